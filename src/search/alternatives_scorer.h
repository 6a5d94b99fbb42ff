// Internal: the scorer of one group (AlternativesQuery) in one segment: the best of its
// alternatives, each alternative's fields saturated together (BM25F). Its leaves are a range of
// the segment's LeafScorers, ordered by alternative, then field. Driven by ScoreQuery
// (maxscore_scorer.h).
//
// Thread-compatible.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"
#include "search/leaf_scorer.h"

namespace rasai {

struct AlternativesScorer {
  // Rounding room for alt_bound, a saturation of sums taken in another order than the score's.
  static constexpr double kAltBoundSlack = 1e-9;

  uint32_t begin, end;  // its leaves: leaves[begin, end)
  double block_ub = 0;  // over the current blocks, valid for docs < block_next
  uint64_t block_next = 0;

  // The group's score at doc `d` (0 when it does not match). A leaf i with given[i] set is left
  // where it is: its pseudo-frequency at d is pf[i] (0 when it is not on d); the others are
  // aligned on d. Sets *content when a leaf that is not a stopword matches. An alternative whose
  // bound (LeafScorer::alt_bound) cannot beat the best one found is not looked at, unless it
  // could be the first content match of the document (*content still false).
  double Score(std::vector<LeafScorer>& ls, uint32_t d, const std::vector<char>& given, const std::vector<double>& pf,
               const SegmentReader& seg, bool* content) const {
    double best = 0, alt_sum = 0;
    int cur_alt = ls[begin].alt;
    bool skip = false;
    for (uint32_t i = begin; i < end; ++i) {
      LeafScorer& l = ls[i];
      if (l.alt != cur_alt) {
        best = std::max(best, ls[i - 1].Saturate(alt_sum));
        alt_sum = 0;
        cur_alt = l.alt;
        skip = l.alt_bound * (1 + kAltBoundSlack) < best && (*content || l.stop);
      }
      if (skip) continue;
      double v;
      if (given[i]) {
        v = pf[i];
      } else {
        if (l.doc < d) l.Align(d);
        if (l.doc != d) continue;
        v = l.PseudoFreq(seg);
      }
      alt_sum += v;
      if (v > 0 && !l.stop) *content = true;
    }
    return std::max(best, ls[end - 1].Saturate(alt_sum));
  }

  // Upper bound of the group over the postings blocks that would hold doc `d`: its best
  // alternative's, each alternative saturating its fields' bounds together as its score does
  // (docs only grow within a segment, so the bound is kept until a block ends).
  double BlockBound(std::vector<LeafScorer>& ls, uint32_t d) {
    if (d < block_next) return block_ub;
    double best = 0, alt_sum = 0;
    uint32_t until = PostingsCursor::kEnd;
    int cur_alt = ls[begin].alt;
    for (uint32_t i = begin; i < end; ++i) {
      LeafScorer& l = ls[i];
      if (l.alt != cur_alt) {
        best = std::max(best, ls[i - 1].Saturate(alt_sum));
        alt_sum = 0;
        cur_alt = l.alt;
      }
      uint32_t last;
      alt_sum += l.BlockMaxPseudo(d, &last);
      until = std::min(until, last);
    }
    block_ub = std::max(best, ls[end - 1].Saturate(alt_sum));
    block_next = static_cast<uint64_t>(until) + 1;
    return block_ub;
  }
};

}  // namespace rasai
