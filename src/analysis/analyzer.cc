// The default analyzer: segmentation of the raw text (byte offsets into the original), then per
// word: NormalizeText, re-segmentation of the normalized word (NFKC may expand a ligature into
// several words), and a term that depends only on the word's script:
//   Latin:  case fold (ICU), Latin diacritics removed, Snowball English stem; English stopwords.
//   Arabic: Urdu normalization + spelling-variant folds; a few frequent joined forms are split
//           (کیلئے → کے | لیے); Urdu stopwords.
//   digits: the ASCII digits.
//   other:  normalization + case fold.
//
// DefaultAnalyzer() is defined here; the parts live in files of their own: urdu_folds.cc,
// case_fold.cc, english_stemmer.cc (the term rules), reference_path.cc (ReferenceAnalyze, one raw
// segment at a time), fast_path.cc with word_table.cc and fast_table.cc (the one-pass fast path
// that Analyze runs).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/fast_table.h"
#include "analysis/text_internal.h"
#include "analysis/word_table.h"
#include "rasai/analysis.h"
#include "util/utf8.h"

namespace rasai {
namespace {

class DefaultAnalyzerImpl final : public Analyzer {
 public:
  DefaultAnalyzerImpl() {
    (void)analysis_internal::Compounds();
    (void)analysis_internal::UrduWords();
    (void)analysis_internal::EnglishWords();
    (void)analysis_internal::FastTable();
  }

  void Analyze(std::string_view text, std::vector<Token>* out) const override {
    analysis_internal::FastAnalyze(text, out);
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

const Analyzer& DefaultAnalyzer() {
  static const DefaultAnalyzerImpl* analyzer = new DefaultAnalyzerImpl();
  return *analyzer;
}

}  // namespace rasai
