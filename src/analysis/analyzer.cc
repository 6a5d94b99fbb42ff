// The default analyzer: segmentation of the raw text (byte offsets into the original), then per
// word: NormalizeText, re-segmentation of the normalized word (NFKC may expand a ligature into
// several words), and a term that depends only on the word's script:
//   Latin:  case fold (ICU), Latin diacritics removed, Snowball English stem; English stopwords.
//   Arabic: Urdu normalization + spelling-variant folds; a few frequent joined forms are split
//           (کیلئے → کے | لیے); Urdu stopwords.
//   digits: the ASCII digits.
//   other:  normalization + case fold.

#include <libstemmer.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"
#include "util/utf8.h"

namespace rasai {
namespace analysis_internal {
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

}  // namespace analysis_internal

namespace {

using analysis_internal::SegKind;

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

struct FoldedCompound {
  std::string joined, first, second;
};

std::string FoldArabicWord(std::string_view w) {
  std::string s = NormalizeText(w);
  analysis_internal::FoldUrduVariants(&s);
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

// Snowball's English stemmer keeps state: one per thread.
class Stemmer {
 public:
  Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}
  ~Stemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  void Stem(std::string* w) {
    if (stemmer_ == nullptr || w->empty()) return;
    const sb_symbol* s =
        sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(w->data()), static_cast<int>(w->size()));
    if (s == nullptr) return;
    const int n = sb_stemmer_length(stemmer_);
    w->assign(reinterpret_cast<const char*>(s), static_cast<size_t>(n));
  }

 private:
  sb_stemmer* stemmer_;
};

Stemmer& ThreadStemmer() {
  thread_local Stemmer stemmer;
  return stemmer;
}

const icu::Normalizer2* Nfd() {
  static const icu::Normalizer2* nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfd;
}

const icu::Normalizer2* Nfc() {
  static const icu::Normalizer2* nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfc;
}

bool IsAscii(std::string_view s) {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

bool ChangesWhenCaseFolded(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char32_t c = DecodeUtf8(s, &i);
    if (u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CHANGES_WHEN_CASEFOLDED)) return true;
  }
  return false;
}

// Latin word → lower case, diacritics removed, ’ → '.
void LatinFold(std::string_view word, std::string* out) {
  out->clear();
  if (IsAscii(word)) {
    out->reserve(word.size());
    for (char ch : word) out->push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.foldCase();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString d;
  if (Nfd() != nullptr) Nfd()->normalize(u, d, status);
  if (U_FAILURE(status) || Nfd() == nullptr) d = u;
  icu::UnicodeString stripped;
  for (int32_t k = 0; k < d.length();) {
    const UChar32 c = d.char32At(k);
    k += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    stripped.append(c == 0x2019 ? UChar32{'\''} : c);
  }
  icu::UnicodeString composed;
  status = U_ZERO_ERROR;
  if (Nfc() != nullptr) Nfc()->normalize(stripped, composed, status);
  if (U_FAILURE(status) || Nfc() == nullptr) composed = stripped;
  composed.toUTF8String(*out);
}

void CaseFold(std::string_view word, std::string* out) {
  out->clear();
  if (!ChangesWhenCaseFolded(word)) {
    out->assign(word);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.foldCase();
  u.toUTF8String(*out);
}

class DefaultAnalyzerImpl final : public Analyzer {
 public:
  DefaultAnalyzerImpl() { (void)Compounds(); }

  void Analyze(std::string_view text, std::vector<Token>* out) const override {
    uint32_t position = 0;
    thread_local std::string normalized;
    analysis_internal::SegmentText(text, /*chunks=*/true, [&](const analysis_internal::Segment& raw) {
      normalized.clear();
      const bool fast = analysis_internal::NormalizeInto(text.substr(raw.begin, raw.end - raw.begin),
                                                         /*allow_fast=*/true, &normalized);
      const auto begin = static_cast<uint32_t>(raw.begin);
      const auto end = static_cast<uint32_t>(raw.end);
      if (fast) {  // NFKC changed nothing: the word is still one word (see NormalizeInto)
        EmitWord(normalized, raw, begin, end, &position, out);
        return;
      }
      analysis_internal::SegmentText(normalized, /*chunks=*/false, [&](const analysis_internal::Segment& seg) {
        EmitWord(std::string_view(normalized).substr(seg.begin, seg.end - seg.begin), seg, begin, end,
                 &position, out);
      });
    });
  }

  std::string Term(std::string_view word) const override {
    thread_local std::vector<Token> tokens;
    tokens.clear();
    Analyze(word, &tokens);
    if (tokens.empty()) return std::string();
    return std::move(tokens.front().term);
  }

  bool EndsWithNonJoiner(std::string_view term) const override {
    if (term.empty()) return false;
    return analysis_internal::IsArabicNonJoiner(LastCodePointOf(term));
  }

 private:
  static char32_t LastCodePointOf(std::string_view s) {
    size_t b = s.size();
    while (b > 0 && (static_cast<unsigned char>(s[b - 1]) & 0xC0) == 0x80 && s.size() - b < 3) --b;
    if (b > 0) --b;
    return DecodeUtf8(s, &b);
  }

  static void Push(std::string term, bool stop, uint32_t begin, uint32_t end, uint32_t* position,
                   std::vector<Token>* out) {
    Token t;
    t.term = std::move(term);
    t.position = (*position)++;
    t.begin = begin;
    t.end = end;
    t.stop = stop;
    out->push_back(std::move(t));
  }

  static void EmitWord(std::string_view word, const analysis_internal::Segment& seg, uint32_t begin,
                       uint32_t end, uint32_t* position, std::vector<Token>* out) {
    if (word.empty()) return;
    if (seg.kind == SegKind::kNumber) {
      Push(std::string(word), false, begin, end, position, out);
      return;
    }
    if (seg.script == USCRIPT_LATIN) {
      std::string term;
      LatinFold(word, &term);
      const bool stop = analysis_internal::IsEnglishStopword(term);
      ThreadStemmer().Stem(&term);
      Push(std::move(term), stop, begin, end, position, out);
      return;
    }
    if (seg.script == USCRIPT_ARABIC) {
      std::string term(word);
      analysis_internal::FoldUrduVariants(&term);
      for (const FoldedCompound& c : Compounds()) {
        if (term.size() == c.joined.size() && term == c.joined) {
          Push(c.first, analysis_internal::IsUrduStopword(c.first), begin, end, position, out);
          Push(c.second, analysis_internal::IsUrduStopword(c.second), begin, end, position, out);
          return;
        }
      }
      const bool stop = analysis_internal::IsUrduStopword(term);
      Push(std::move(term), stop, begin, end, position, out);
      return;
    }
    std::string term;
    CaseFold(word, &term);
    Push(std::move(term), false, begin, end, position, out);
  }
};

}  // namespace

const Analyzer& DefaultAnalyzer() {
  static const DefaultAnalyzerImpl* analyzer = new DefaultAnalyzerImpl();
  return *analyzer;
}

}  // namespace rasai
