// Text analysis: Unicode/Urdu normalization, tokenization, stopwords, stemming and language
// identification. The same Analyzer runs at index time and at query time, so that a word typed
// with Arabic or Farsi code points, with or without diacritics, becomes the same term.
//
// Terms are a function of the token itself (its script and letters), never of the document's
// language, so that a collection mixing Urdu and English is searched as one index.
//
// Thread-safety: every function and const method here may be called from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rasai {

struct Token {
  std::string term;    // what the index stores: normalized, folded, stemmed
  uint32_t position;   // word position from 0; tokens sharing a position are alternatives
  uint32_t begin;      // byte offsets of the source word in the original (unnormalized) text
  uint32_t end;
  bool stop = false;   // a stopword: indexed (phrases need it), may be dropped from scoring
};

// Normalizes raw UTF-8 for matching: invalid UTF-8 replaced, NFKC, Urdu letter folding towards
// the Urdu letters, hamza/madda composition, aerab and tatweel removal, digit unification,
// zero-width and bidi controls removed. Not stemmed and not case-folded.
std::string NormalizeText(std::string_view text);

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // Appends the tokens of `text` to *out. Positions start at 0 for each call.
  virtual void Analyze(std::string_view text, std::vector<Token>* out) const = 0;
  // The term for one query word (normalized, folded, stemmed); "" if the word yields nothing.
  // Equivalent to Analyze() on the word when it is a single token.
  virtual std::string Term(std::string_view word) const = 0;
  // True when `term` (as produced by Analyze) ends in a letter that does not join to the next
  // one, so that "term + next" can be written without a space and look the same (Urdu compounds).
  virtual bool EndsWithNonJoiner(std::string_view term) const = 0;
};

// The default analyzer (Urdu + English + generic Unicode). Built once, lives for the process.
const Analyzer& DefaultAnalyzer();

// Best guess of the BCP 47 language of `text` ("ur", "en", "pa", "ps", "fa", "hi", "ar", ...;
// "" when there is no evidence, e.g. empty or numbers only).
std::string DetectLanguage(std::string_view text);

// True for languages written right to left (ur, ar, fa, ps, skr, pnb, sd, he, ...).
bool IsRightToLeft(std::string_view lang);

}  // namespace rasai
