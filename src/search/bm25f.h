// Internal: the ranking model's arithmetic: BM25F (Robertson and Zaragoza) with weighted fields and
// one saturation per alternative. An alternative's fields add their length-normalised, weighted
// term frequencies (a pseudo-frequency) and the sum is saturated once, so that a word in both
// title and body counts less than twice; its idf is one for all its fields. The constants were
// chosen on the four Urdu dev query files together with Cranfield and TIME (docs/analysis.md has
// the sweep). Who applies the model: weight.h (idfs, field models), leaf_scorer.h (per document).
//
// Thread-safety: the functions are pure. A FieldModel caches norms (NormOfCode) and belongs to
// one search.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "rasai/index.h"

namespace rasai {

constexpr double kK1 = 1.2;

// How much a field's term frequencies count (BM25F), and its length normalisation strength.
inline double FieldWeight(std::string_view f) {
  if (f == "summary") return 1.2;
  return 1.0;  // title and body alike: a known article is found by its body as much as its title
}
inline double FieldB(std::string_view) { return 0.5; }

// The idf of a term held by `df` of `n` documents.
inline double Idf(double n, double df) { return std::log(1.0 + (n - df + 0.5) / (df + 0.5)); }

// One text field's statistics for the model.
struct FieldModel {
  double weight, b, avglen;  // weight multiplies the field's term frequencies (BM25F)
  // BM25's length normalisation on the square root of len / avglen: a collection that mixes
  // one-line headlines with full articles (urdu-news + urdu-headlines: the articles are 10-50x
  // the average) would otherwise bury every article under the headlines that share a word.
  // Increasing in len, so a score never rises with the field length.
  double Norm(double len) const { return 1 - b + b * std::sqrt(len / avglen); }
  // Norm of a stored length code (SegmentReader::FieldLengthCode), computed at its first use in
  // a search (0: not yet; a norm is at least 1 - b > 0).
  double NormOfCode(uint8_t code) const {
    double& n = norm_of_code[code];
    if (n == 0) n = Norm(SegmentReader::FieldLengthOfCode(code));
    return n;
  }
  mutable std::array<double, 256> norm_of_code{};
};

// A field's contribution to an alternative's pseudo-frequency: tf occurrences in a field of norm
// `norm`.
inline double PseudoFreq(const FieldModel& m, uint32_t tf, double norm) { return m.weight * tf / norm; }
// An alternative's score from its fields' summed pseudo-frequencies x; `weight` is the
// alternative's weight times its idf. Concave, increasing, Saturate(0) = 0.
inline double Saturate(double weight, double x) { return x > 0 ? weight * (kK1 + 1) * x / (x + kK1) : 0; }

}  // namespace rasai
