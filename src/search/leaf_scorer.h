// Internal: the scorer of one leaf of the query tree in one segment: a term or a phrase (one
// Alternative of a group) in one text field, over an IntersectionCursor of its terms' postings,
// with its BM25F contribution (bm25f.h) and the upper bounds top-k pruning needs (whole list and
// per block). Built by QueryWeight::MakeScorers; driven by ScoreQuery (maxscore_scorer.h).
//
// Thread-compatible; copyable.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "rasai/index.h"
#include "rasai/postings.h"
#include "search/bm25f.h"
#include "search/intersection_cursor.h"

namespace rasai {

struct LeafScorer {
  int group;      // index of the group in the query (scoring groups, then exclusions)
  int alt;        // index of the alternative within its group
  int field;
  bool stop;      // the alternative is one stopword
  double weight;  // alt weight * idf (the field's weight is in the model)
  // An upper bound of its alternative's score (every field): set by the driver (ScoreQuery),
  // INFINITY when unknown. AlternativesScorer::Score skips an alternative that cannot beat the
  // best one already found.
  double alt_bound = INFINITY;
  const FieldModel* model;
  IntersectionCursor postings;  // one term, or a phrase's terms in order
  uint32_t doc = PostingsCursor::kEnd;

  // Moves to the first doc >= target holding the leaf's terms; returns it.
  uint32_t Align(uint32_t target) { return doc = postings.Advance(target); }
  // Moves to the next doc holding the leaf's terms; returns it.
  uint32_t Next() { return doc = postings.size() == 1 ? postings.cursors()[0].Next() : postings.Advance(doc + 1); }

  // Frequency at the current doc (phrase occurrences for a phrase).
  uint32_t Freq() { return postings.PhraseFreq(); }

  // The pseudo-frequency of this leaf at the current doc (0 when it is absent); an alternative
  // saturates its leaves' sum (Saturate).
  double PseudoFreq(const SegmentReader& seg) {
    uint32_t tf = Freq();
    if (tf == 0) return 0;
    return PseudoOfNorm(tf, model->NormOfCode(seg.FieldLengthCode(field, doc)));
  }
  double PseudoOf(uint32_t tf, double len) const { return PseudoOfNorm(tf, model->Norm(len)); }
  double PseudoOfNorm(uint32_t tf, double norm) const { return rasai::PseudoFreq(*model, tf, norm); }
  // The alternative's score from its fields' summed pseudo-frequencies (weight is the same for
  // every leaf of one alternative).
  double Saturate(double x) const { return rasai::Saturate(weight, x); }
  // This leaf's score alone: increasing in tf, decreasing in the field length. The saturation is
  // concave with Saturate(0) = 0, so an alternative's score is at most the sum of its leaves'
  // scores alone: the per-leaf bounds below stay safe for the fields summed.
  double ScoreOf(uint32_t tf, double len) const { return Saturate(PseudoOf(tf, len)); }

  // Upper bounds for top-k pruning: the largest pseudo-frequency the leaf can have (at the largest
  // freq and the smallest length), whole list and per block. A phrase occurs at most as often as
  // its rarest word, in a field at least as long as any word's minimum. An alternative scores at
  // most Saturate(the sum of its leaves' bounds) (Saturate is increasing), which is also at most
  // the sum of its leaves' MaxScore (it is concave with Saturate(0) = 0).
  double MaxPseudo() const {
    uint32_t tf = UINT32_MAX, len = 0;
    for (const auto& c : postings.cursors()) {
      tf = std::min(tf, c.MaxFreq());
      len = std::max(len, c.MinLength());
    }
    return tf == 0 || tf == UINT32_MAX ? 0 : PseudoOf(tf, len);
  }
  double MaxScore() const { return Saturate(MaxPseudo()); }
  // The same over the blocks that would hold `target`; 0 when no doc >= target is left. *last is
  // the last doc for which this bound holds (the end of the shortest of those blocks).
  double BlockMaxPseudo(uint32_t target, uint32_t* last) {
    uint32_t tf = UINT32_MAX, len = 0;
    *last = PostingsCursor::kEnd;
    for (auto& c : postings.cursors()) {
      const uint32_t end = c.ShallowAdvance(target);
      if (end == PostingsCursor::kEnd) {
        *last = PostingsCursor::kEnd;
        return 0;
      }
      *last = std::min(*last, end);
      uint32_t f = c.BlockMaxFreq();
      if (f >= 0xffff) f = std::max(f, c.MaxFreq());  // the block table saturates at 65535
      tf = std::min(tf, f);
      len = std::max(len, c.BlockMinLength());
    }
    return tf == 0 || tf == UINT32_MAX ? 0 : PseudoOf(tf, len);
  }
  // The same over every block that may hold a doc of [max(from, doc), last]: 0 when the leaf
  // holds none there. *next is the first doc >= from the leaf may hold (kEnd when none is left).
  // Moves the cursors' block windows (BlockMaxPseudo moves them back).
  double RangeMaxPseudo(uint32_t from, uint32_t last, uint32_t* next) {
    const uint32_t at = std::max(from, doc);
    *next = at;
    if (at > last) return 0;  // doc is past the range, or kEnd
    uint32_t tf = UINT32_MAX, len = 0;
    for (auto& c : postings.cursors()) {
      uint32_t end = c.ShallowAdvance(at), f = 0, l = UINT32_MAX;
      if (end == PostingsCursor::kEnd) {
        *next = PostingsCursor::kEnd;
        return 0;
      }
      for (;;) {
        uint32_t bf = c.BlockMaxFreq();
        if (bf >= 0xffff) bf = std::max(bf, c.MaxFreq());  // the block table saturates at 65535
        f = std::max(f, bf);
        l = std::min(l, c.BlockMinLength());
        if (end >= last) break;
        end = c.ShallowAdvance(end + 1);
        if (end == PostingsCursor::kEnd) break;
      }
      tf = std::min(tf, f);
      len = std::max(len, l);
    }
    return tf == 0 || tf == UINT32_MAX ? 0 : PseudoOf(tf, len);
  }
};

}  // namespace rasai
