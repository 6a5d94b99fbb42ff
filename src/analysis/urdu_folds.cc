// Urdu spelling-variant folds (FoldUrduVariants) and the frequent joined forms (Compounds) of
// Arabic-script terms; see text_internal.h for the contracts and docs/analysis.md for the rules.

#include <string>
#include <string_view>
#include <vector>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"
#include "util/utf8.h"

namespace rasai::analysis_internal {
namespace {

// UTF-8 spellings of the letters the folds look at.
constexpr std::string_view kYeh = "\u06CC";            // ی
constexpr std::string_view kYehHamza = "\u0626";       // ئ
constexpr std::string_view kYehBarree = "\u06D2";      // ے
constexpr std::string_view kYehBarreeHamza = "\u06D3"; // ۓ
constexpr std::string_view kHehGoal = "\u06C1";        // ہ
constexpr std::string_view kHehGoalHamza = "\u06C2";   // ۂ
constexpr std::string_view kWawHamza = "\u0624";       // ؤ
constexpr std::string_view kWaw = "\u0648";            // و
constexpr std::string_view kYehHamzaBarreeEnd = "\u06CC\u0626\u06D2";  // یئے
constexpr std::string_view kHamzaBarreeEnd = "\u0626\u06D2";          // ئے
constexpr std::string_view kHamzaWawEnd = "\u0626\u0648";             // ئو
constexpr std::string_view kYehYeh = "\u06CC\u06CC";                  // یی

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && std::string_view(s).substr(s.size() - suffix.size()) == suffix;
}

// The code point that ends s[0, end).
char32_t LastCodePoint(std::string_view s, size_t end, size_t* start) {
  size_t b = end;
  while (b > 0 && (static_cast<unsigned char>(s[b - 1]) & 0xC0) == 0x80 && end - b < 3) --b;
  if (b > 0) --b;
  size_t i = b;
  const char32_t c = DecodeUtf8(s, &i);
  if (start) *start = b;
  return c;
}

// Letters after which ئ is the regular hamza glide (جائے، ہوئے، آئے), not a variant of ی.
bool IsVowelLetter(char32_t c) {
  return c == 0x0627 || c == 0x0622 || c == 0x0648 || c == 0x06CC || c == 0x06D2 || c == 0x0626 ||
         c == 0x0624;
}

}  // namespace

void FoldUrduVariants(std::string* w) {
  // Rules 1–5 look at a word ending in ۓ ۂ ے or و; rule 6 at یی.
  if (w->size() < 2) return;
  const std::string_view last2 = std::string_view(*w).substr(w->size() - 2);
  const bool tail = last2 == kYehBarreeHamza || last2 == kHehGoalHamza || last2 == kYehBarree || last2 == kWaw;
  if (!tail && w->find(kYehYeh) == std::string::npos) return;
  // 1. final ۓ is written for ئے (ہوۓ = ہوئے, جاۓ = جائے).
  if (EndsWith(*w, kYehBarreeHamza)) {
    w->resize(w->size() - kYehBarreeHamza.size());
    w->append(kYehHamza).append(kYehBarree);
  }
  // 2. final ۂ is ہ + the izafat hamza (محکمۂ خارجہ = محکمہ خارجہ); the izafat zer is stripped
  //    as an aerab, so the izafat hamza goes too.
  if (EndsWith(*w, kHehGoalHamza)) {
    w->resize(w->size() - kHehGoalHamza.size());
    w->append(kHehGoal);
  }
  // 3. final یئے → یے (دیئے = دیے, چاہیئے = چاہیے, لیئے = لیے).
  constexpr std::string_view yeh_hamza_barree = kYehHamzaBarreeEnd;
  constexpr std::string_view hamza_barree = kHamzaBarreeEnd;
  if (EndsWith(*w, yeh_hamza_barree)) {
    w->erase(w->size() - yeh_hamza_barree.size() + kYeh.size(), kYehHamza.size());
  } else if (EndsWith(*w, hamza_barree) && w->size() > hamza_barree.size()) {
    // 4. consonant + ئے → consonant + یے (لئے = لیے, کیجئے = کیجیے, چاہئے = چاہیے).
    const char32_t before = LastCodePoint(*w, w->size() - hamza_barree.size(), nullptr);
    if (!IsVowelLetter(before)) {
      w->replace(w->size() - hamza_barree.size(), kYehHamza.size(), kYeh);
    }
  }
  // 5. final ئو → ؤ (دبائو = دباؤ, بچائو = بچاؤ).
  constexpr std::string_view hamza_waw = kHamzaWawEnd;
  if (EndsWith(*w, hamza_waw)) {
    w->replace(w->size() - hamza_waw.size(), hamza_waw.size(), kWawHamza);
  }
  // 6. یی → ئی at the end of the word or after ا آ و (گیی = گئی، کارروایی = کارروائی،
  //    ماییک = مائیک). Standard Urdu has no یی there; ئی is the usual spelling.
  constexpr std::string_view yy = kYehYeh;
  for (size_t p = w->find(yy); p != std::string::npos; p = w->find(yy, p + kYeh.size())) {
    const bool at_end = p + yy.size() == w->size();
    const bool after_vowel = p > 0 && [&] {
      const char32_t c = LastCodePoint(*w, p, nullptr);
      return c == 0x0627 || c == 0x0622 || c == 0x0648;
    }();
    if (at_end || after_vowel) w->replace(p, kYeh.size(), kYehHamza);
  }
}

namespace {

// Very frequent joined spellings of two words where the join changes a letter (کے لیے → کیلئے)
// or hides after a joining letter (اس کے → اسکے), so the query engine cannot find them by gluing
// or splitting terms. Counted in urdu-news + urdu-headlines; see docs/analysis.md.
struct Compound {
  const char* joined;
  const char* first;
  const char* second;
};
constexpr Compound kCompounds[] = {
    {"کیلئے", "کے", "لیے"}, {"کیخلاف", "کے", "خلاف"}, {"کیساتھ", "کے", "ساتھ"},
    {"کیجانب", "کی", "جانب"}, {"اسلئے", "اس", "لیے"}, {"اسکے", "اس", "کے"},
    {"اسکی", "اس", "کی"}, {"اسکا", "اس", "کا"}, {"اسکو", "اس", "کو"},
    {"انکے", "ان", "کے"}, {"انکی", "ان", "کی"}, {"انکا", "ان", "کا"},
    {"انکو", "ان", "کو"}, {"جسکے", "جس", "کے"}, {"جسکی", "جس", "کی"},
    {"جسکا", "جس", "کا"}, {"جنکے", "جن", "کے"}, {"جنکی", "جن", "کی"},
    {"جنکا", "جن", "کا"},
};

}  // namespace

std::string FoldArabicWord(std::string_view w) {
  std::string s = NormalizeText(w);
  FoldUrduVariants(&s);
  return s;
}

const std::vector<FoldedCompound>& Compounds() {
  static const auto* table = [] {
    auto* t = new std::vector<FoldedCompound>();
    for (const Compound& c : kCompounds) {
      t->push_back({FoldArabicWord(c.joined), FoldArabicWord(c.first), FoldArabicWord(c.second)});
    }
    return t;
  }();
  return *table;
}

}  // namespace rasai::analysis_internal
