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
#include "util/hash.h"
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

// ---- The reference path: one raw segment at a time ----------------------------------------

void Push(std::string term, bool stop, uint32_t begin, uint32_t end, uint32_t* position, std::vector<Token>* out) {
  Token t;
  t.term = std::move(term);
  t.position = (*position)++;
  t.begin = begin;
  t.end = end;
  t.stop = stop;
  out->push_back(std::move(t));
}

void EmitWord(std::string_view word, const analysis_internal::Segment& seg, uint32_t begin, uint32_t end,
              uint32_t* position, std::vector<Token>* out) {
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

// The tokens of one segment of the raw text (SegmentText with chunks): normalized, segmented again
// when NFKC changed something, and turned into terms.
void AnalyzeRawSegment(std::string_view text, const analysis_internal::Segment& raw, uint32_t* position,
                       std::vector<Token>* out) {
  thread_local std::string normalized;
  normalized.clear();
  const bool fast =
      analysis_internal::NormalizeInto(text.substr(raw.begin, raw.end - raw.begin), /*allow_fast=*/true, &normalized);
  const auto begin = static_cast<uint32_t>(raw.begin);
  const auto end = static_cast<uint32_t>(raw.end);
  if (fast) {  // NFKC changed nothing: the word is still one word (see NormalizeInto)
    EmitWord(normalized, raw, begin, end, position, out);
    return;
  }
  analysis_internal::SegmentText(normalized, /*chunks=*/false, [&](const analysis_internal::Segment& seg) {
    EmitWord(std::string_view(normalized).substr(seg.begin, seg.end - seg.begin), seg, begin, end, position, out);
  });
}

// ---- The fast path --------------------------------------------------------------------------
//
// One pass over the raw text that decodes each code point once, looks it up in one table (class,
// script, folded form) and writes the term straight into the token. It handles the words that
// make up nearly all real text: Arabic-script words of NFKC-inert letters and marks, ASCII Latin
// words (with digits and an apostrophe between letters), and numbers. Anything else (a character
// NFKC may change, ZWNJ, invisible characters, the high hamza, other scripts, non-ASCII Latin,
// ill-formed or 4-byte UTF-8, ...) sends the whole word to AnalyzeRawSegment, from the same
// position; segments do not depend on what came before them, so both paths cut the text alike.

// A small open-addressing hash set of words with a flag byte (stopword, compound index), built once.
class WordTable {
 public:
  static constexpr uint8_t kStop = 1;

  struct Entry {
    std::string word;
    uint64_t hash = 0;
    uint8_t stop = 0;
    int8_t compound = -1;  // index in Compounds(), or -1
  };

  // The entry of `w`, added if absent. Pointers stay valid until the next Add.
  Entry* Add(std::string_view w) {
    if (Entry* e = const_cast<Entry*>(Find(w))) return e;
    entries_.push_back(Entry{std::string(w), HashBytes(w)});
    Rehash();
    return &entries_.back();
  }

  const Entry* Find(std::string_view w) const {
    if (slots_.empty()) return nullptr;
    const uint64_t h = HashBytes(w);
    for (size_t k = h & mask_;; k = (k + 1) & mask_) {
      const uint32_t s = slots_[k];
      if (s == 0) return nullptr;
      const Entry& e = entries_[s - 1];
      if (e.hash == h && e.word.size() == w.size() && Equal(e.word.data(), w.data(), w.size())) return &e;
    }
  }

 private:
  // Inline comparison for the short words of the tables (a memcmp call costs more here).
  static bool Equal(const char* a, const char* b, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t x, y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    for (; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }


  void Rehash() {
    size_t n = 16;
    while (n < entries_.size() * 4) n *= 2;
    mask_ = n - 1;
    slots_.assign(n, 0);
    for (size_t e = 0; e < entries_.size(); ++e) {
      size_t k = HashBytes(entries_[e].word) & mask_;
      while (slots_[k] != 0) k = (k + 1) & mask_;
      slots_[k] = static_cast<uint32_t>(e + 1);
    }
  }

  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;
  size_t mask_ = 0;
};

// Splits a stopword list's multi-word entries (ہوں گے) like stopwords.cc does.
template <typename Fn>
void ForEachListWord(const char* const* list, size_t n, Fn&& fn) {
  for (size_t k = 0; k < n; ++k) {
    std::string_view entry = list[k];
    while (!entry.empty()) {
      const size_t sp = entry.find(' ');
      fn(entry.substr(0, sp));
      entry = sp == std::string_view::npos ? std::string_view() : entry.substr(sp + 1);
    }
  }
}

const WordTable& UrduWords() {
  static const WordTable* table = [] {
    auto* t = new WordTable();
    size_t n = 0;
    const char* const* list = analysis_internal::UrduStopwordList(&n);
    ForEachListWord(list, n, [&](std::string_view w) {
      if (!w.empty()) t->Add(FoldArabicWord(w))->stop = WordTable::kStop;
    });
    const auto& compounds = Compounds();
    for (size_t c = 0; c < compounds.size(); ++c) {
      t->Add(compounds[c].joined)->compound = static_cast<int8_t>(c);
    }
    return t;
  }();
  return *table;
}

const WordTable& EnglishWords() {
  static const WordTable* table = [] {
    auto* t = new WordTable();
    size_t n = 0;
    const char* const* list = analysis_internal::EnglishStopwordList(&n);
    ForEachListWord(list, n, [&](std::string_view w) {
      if (!w.empty()) t->Add(w)->stop = WordTable::kStop;
    });
    return t;
  }();
  return *table;
}

// Per BMP code point, for the fast path: bits 0–15 the folded code point (FoldCodePoint),
// 16–19 the kind, 20–27 the script (UScriptCode), bit 28 "deleted by normalization".
enum FastKind : uint32_t {
  kFastBail = 0,    // not handled here: the word goes to the reference path
  kFastSep = 1,     // a separator NFKC leaves alone (or turns into such separators only)
  kFastLetter = 2,  // an NFKC-inert letter of a script other than Common/Inherited
  kFastMark = 3,    // an NFKC-inert combining mark or stripped Arabic mark (inside a word)
  kFastDigit = 4,   // an NFKC-inert digit
  kFastApos = 5,    // ' or ’
};
constexpr uint32_t kFastDeleted = 1u << 28;

inline uint32_t FastKindOf(uint32_t v) { return (v >> 16) & 0xF; }
inline int32_t FastScriptOf(uint32_t v) { return static_cast<int32_t>((v >> 20) & 0xFF); }

const uint32_t* FastTable() {
  static const uint32_t* table = [] {
    auto* t = new uint32_t[0x10000];
    for (char32_t c = 0; c < 0x10000; ++c) {
      uint32_t kind = kFastBail;
      bool slow = false;
      const analysis_internal::CharInfo info =
          (c >= 0xD800 && c <= 0xDFFF) ? analysis_internal::CharInfo{analysis_internal::CharClass::kIgnorable, 0}
                                       : analysis_internal::ClassifyCodePoint(c, &slow);
      const char32_t fold = slow ? c : analysis_internal::FoldCodePoint(c);
      const bool composes = c == 0x0653 || c == 0x0654 || c == 0x0655 || c == 0x0674;
      if (!slow && !composes && c != 0xFFFD) {
        switch (info.cls) {
          case analysis_internal::CharClass::kSeparator:
            kind = kFastSep;
            break;
          case analysis_internal::CharClass::kLetter:
            if (info.script != USCRIPT_COMMON && info.script != USCRIPT_INHERITED && fold != analysis_internal::kFoldDelete) {
              kind = kFastLetter;
            }
            break;
          case analysis_internal::CharClass::kMark:
            kind = kFastMark;
            break;
          case analysis_internal::CharClass::kDigit:
            if (fold != analysis_internal::kFoldDelete) kind = kFastDigit;
            break;
          case analysis_internal::CharClass::kApostrophe:
            kind = kFastApos;
            break;
          default:
            break;
        }
      }
      uint32_t v = kind << 16 | static_cast<uint32_t>(info.script & 0xFF) << 20;
      if (fold == analysis_internal::kFoldDelete) {
        v |= kFastDeleted;
      } else if (fold < 0x10000) {
        v |= static_cast<uint32_t>(fold);
      } else {
        v = 0;  // never expected: a fold outside the BMP goes to the reference path
      }
      t[c] = v;
    }
    return t;
  }();
  return table;
}

// Decodes one well-formed 1-, 2- or 3-byte sequence at s[*i]; false (and *i unchanged) for
// anything else (4-byte sequences, ill-formed bytes), which the reference path handles.
inline bool DecodeBmp(const unsigned char* s, size_t n, size_t* i, char32_t* c) {
  const unsigned b0 = s[*i];
  if (b0 < 0x80) {
    *c = b0;
    ++*i;
    return true;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (*i + 1 >= n || (s[*i + 1] & 0xC0) != 0x80) return false;
    *c = (static_cast<char32_t>(b0 & 0x1F) << 6) | (s[*i + 1] & 0x3F);
    *i += 2;
    return true;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (*i + 2 >= n) return false;
    const unsigned b1 = s[*i + 1], b2 = s[*i + 2];
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
    if (b0 == 0xE0 && b1 < 0xA0) return false;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return false;  // surrogate
    *c = (static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F);
    *i += 3;
    return true;
  }
  return false;
}

inline void AppendCodePoint(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    const char two[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    out->append(two, 2);
  } else {
    const char three[3] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                           static_cast<char>(0x80 | (c & 0x3F))};
    out->append(three, 3);
  }
}

enum class Step { kWord, kEnd, kBail };

class FastAnalyzer {
 public:
  FastAnalyzer(std::string_view text, std::vector<Token>* out)
      : s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), text_(text), out_(out),
        table_(FastTable()) {}

  void Run() {
    size_t pos = 0;
    uint64_t fast = 0, fallback = 0;
    while (pos < n_) {
      const Step step = NextWord(&pos);
      if (step == Step::kWord) {
        ++fast;
        continue;
      }
      if (step == Step::kEnd) break;
      // Reference path for one segment from `pos` (a word start, or a character that needs it).
      analysis_internal::Segment seg;
      if (!analysis_internal::NextSegment(text_, &pos, &seg, /*chunks=*/true)) break;
      AnalyzeRawSegment(text_, seg, &position_, out_);
      ++fallback;
    }
    auto& stats = analysis_internal::ThreadFastPathStats();
    stats.fast_words += fast;
    stats.fallback_words += fallback;
  }

 private:
  // Skips separators, then analyzes one word: kWord when it did (*pos is then where NextSegment
  // would continue), kEnd at the end of the text, kBail with *pos at the start of what the fast
  // path cannot handle (a word, or a character NextSegment must see).
  Step NextWord(size_t* pos) {
    size_t i = *pos;
    char32_t c = 0;
    uint32_t v = 0;
    for (;;) {  // separators, and marks before any word (NextSegment drops both)
      if (i >= n_) {
        *pos = i;
        return Step::kEnd;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        v = table_[b];
        if (FastKindOf(v) == kFastSep) {
          ++i;
          continue;
        }
        c = b;
        break;
      }
      size_t j = i;
      if (!DecodeBmp(s_, n_, &j, &c)) {
        *pos = i;
        return Step::kBail;
      }
      v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastSep || k == kFastMark) {
        i = j;
        continue;
      }
      break;
    }
    *pos = i;
    const uint32_t kind = FastKindOf(v);
    if (kind == kFastLetter) {
      const int32_t script = FastScriptOf(v);
      if (script == USCRIPT_LATIN) return c < 0x80 ? Latin(pos, i) : Step::kBail;
      if (script == USCRIPT_ARABIC) return Arabic(pos, i, script);
      return Step::kBail;
    }
    if (kind == kFastDigit) return Number(pos, i);
    return Step::kBail;
  }

  // An ASCII Latin word from s_[start]: ASCII letters and digits, ' or ’ between letters.
  Step Latin(size_t* pos, size_t start) {
    std::string& term = NewTerm();
    return LatinFrom(pos, start, start, &term);
  }

  // Continues a Latin word whose term so far is *term (a number may turn into one: 19th).
  Step LatinFrom(size_t* pos, size_t start, size_t i, std::string* term) {
    size_t end = i;
    size_t next = i;
    for (;;) {
      if (i >= n_) {
        next = i;
        break;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
          term->push_back(static_cast<char>(b | 0x20));
          end = ++i;
          continue;
        }
        if (b >= '0' && b <= '9') {
          term->push_back(static_cast<char>(b));
          end = ++i;
          continue;
        }
        if (b == '\'') {
          if (LatinLetterAt(i + 1)) {
            term->push_back('\'');
            end = ++i;
            continue;
          }
          if (i + 1 < n_ && s_[i + 1] >= 0x80) return Bail(pos);
          next = i + 1;  // the apostrophe separates
          break;
        }
        if (FastKindOf(table_[b]) == kFastSep) {
          next = i + 1;
          break;
        }
        return Bail(pos);
      }
      size_t j = i;
      char32_t c;
      if (!DecodeBmp(s_, n_, &j, &c)) return Bail(pos);
      const uint32_t v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastSep) {
        next = j;
        break;
      }
      if (k == kFastLetter && FastScriptOf(v) != USCRIPT_LATIN) {
        next = i;  // a script change ends the word; the letter starts the next one
        break;
      }
      if (k == kFastApos) {  // ’ (U+2019)
        if (LatinLetterAt(j)) {
          term->push_back('\'');
          end = i = j;
          continue;
        }
        if (j < n_ && s_[j] >= 0x80) return Bail(pos);
        next = j;
        break;
      }
      return Bail(pos);
    }
    const bool stop = EnglishWords().Find(*term) != nullptr;
    ThreadStemmer().Stem(term);
    Finish(start, end, stop);
    *pos = next;
    return Step::kWord;
  }

  bool LatinLetterAt(size_t i) const {
    return i < n_ && s_[i] < 0x80 && (s_[i] | 0x20) >= 'a' && (s_[i] | 0x20) <= 'z';
  }

  // A number from s_[start]: digits (folded to ASCII where NormalizeText does) and marks.
  Step Number(size_t* pos, size_t start) {
    std::string& term = NewTerm();
    bool ascii = true;  // the term so far is ASCII
    size_t i = start;
    size_t end = start;
    size_t next;
    for (;;) {
      if (i >= n_) {
        next = i;
        break;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        if (b >= '0' && b <= '9') {
          term.push_back(static_cast<char>(b));
          end = ++i;
          continue;
        }
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {  // 19th: the number turns into a Latin word
          if (!ascii) return Bail(pos);                 // (non-ASCII digits or marks: ICU's LatinFold)
          return LatinFrom(pos, start, i, &term);
        }
        if (FastKindOf(table_[b]) == kFastSep || b == '\'') {
          next = i + 1;
          break;
        }
        return Bail(pos);
      }
      size_t j = i;
      char32_t c;
      if (!DecodeBmp(s_, n_, &j, &c)) return Bail(pos);
      const uint32_t v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastDigit || k == kFastMark) {
        if (!(v & kFastDeleted)) {
          const char32_t f = v & 0xFFFF;
          ascii = ascii && f < 0x80;
          AppendCodePoint(f, &term);
        }
        end = i = j;
        continue;
      }
      if (k == kFastSep || k == kFastApos) {
        next = j;
        break;
      }
      if (k == kFastLetter && FastScriptOf(v) != USCRIPT_LATIN) {
        next = i;  // 2005ء → 2005 | ء
        break;
      }
      return Bail(pos);
    }
    Finish(start, end, false);
    *pos = next;
    return Step::kWord;
  }

  // An Arabic-script word from s_[start]: letters of that script and marks.
  Step Arabic(size_t* pos, size_t start, int32_t script) {
    std::string& term = NewTerm();
    size_t i = start;
    size_t end = start;
    size_t next;
    char32_t last = 0;  // last code point written to the term
    bool yeh_yeh = false;
    for (;;) {
      if (i >= n_) {
        next = i;
        break;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        const uint32_t k = FastKindOf(table_[b]);
        if (k == kFastSep || k == kFastApos) {
          next = i + 1;
          break;
        }
        if (k == kFastLetter || k == kFastDigit) {  // a Latin letter or a digit ends the word
          next = i;
          break;
        }
        return Bail(pos);
      }
      size_t j = i;
      char32_t c;
      if (!DecodeBmp(s_, n_, &j, &c)) return Bail(pos);
      const uint32_t v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastLetter) {
        if (FastScriptOf(v) != script) {
          next = i;
          break;
        }
      } else if (k == kFastMark) {
        if (v & kFastDeleted) {
          end = i = j;
          continue;
        }
      } else if (k == kFastSep || k == kFastApos) {
        next = j;
        break;
      } else if (k == kFastDigit) {
        next = i;  // ویں11 → ویں | 11
        break;
      } else {
        return Bail(pos);
      }
      const char32_t f = v & 0xFFFF;
      if (f == 0x06CC && last == 0x06CC) yeh_yeh = true;
      last = f;
      AppendCodePoint(f, &term);
      end = i = j;
    }
    // Arabic-script terms: the spelling-variant folds (they only look at words ending in ۓ ۂ ے و
    // or containing یی), then the joined forms and the stopwords.
    if (yeh_yeh || last == 0x06D3 || last == 0x06C2 || last == 0x06D2 || last == 0x0648) {
      analysis_internal::FoldUrduVariants(&term);
    }
    const WordTable::Entry* e = UrduWords().Find(term);
    if (e != nullptr && e->compound >= 0) {
      const FoldedCompound& fc = Compounds()[static_cast<size_t>(e->compound)];
      term = fc.first;
      Finish(start, end, UrduWords().Find(fc.first) != nullptr && UrduWords().Find(fc.first)->stop);
      NewTerm() = fc.second;
      Finish(start, end, UrduWords().Find(fc.second) != nullptr && UrduWords().Find(fc.second)->stop);
    } else {
      Finish(start, end, e != nullptr && e->stop);
    }
    *pos = next;
    return Step::kWord;
  }

  // A new token at the end of *out_, whose term the caller fills; Finish completes it, Bail drops it.
  std::string& NewTerm() {
    out_->emplace_back();
    return out_->back().term;
  }
  void Finish(size_t begin, size_t end, bool stop) {
    Token& t = out_->back();
    if (t.term.empty()) {  // nothing left after normalization: no token (as EmitWord)
      out_->pop_back();
      return;
    }
    t.position = position_++;
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.stop = stop;
  }
  Step Bail(size_t* pos) {
    out_->pop_back();
    (void)pos;  // *pos still points at the start of the word
    return Step::kBail;
  }

  const unsigned char* s_;
  size_t n_;
  std::string_view text_;
  std::vector<Token>* out_;
  const uint32_t* table_;
  uint32_t position_ = 0;
};

class DefaultAnalyzerImpl final : public Analyzer {
 public:
  DefaultAnalyzerImpl() {
    (void)Compounds();
    (void)UrduWords();
    (void)EnglishWords();
    (void)FastTable();
  }

  void Analyze(std::string_view text, std::vector<Token>* out) const override {
    FastAnalyzer(text, out).Run();
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
};

}  // namespace

namespace analysis_internal {

void ReferenceAnalyze(std::string_view text, std::vector<Token>* out) {
  uint32_t position = 0;
  SegmentText(text, /*chunks=*/true, [&](const Segment& raw) { AnalyzeRawSegment(text, raw, &position, out); });
}

FastPathStats& ThreadFastPathStats() {
  thread_local FastPathStats stats;
  return stats;
}

}  // namespace analysis_internal

const Analyzer& DefaultAnalyzer() {
  static const DefaultAnalyzerImpl* analyzer = new DefaultAnalyzerImpl();
  return *analyzer;
}

}  // namespace rasai
