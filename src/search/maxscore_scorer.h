// Internal: the scorer of a BooleanQuery over a whole snapshot: MaxScore in windows of documents
// with block-max bounds, handing every live match, fully scored, to a Collector (collector.h).
//
// A document's score is coord[matched groups] * sum over matched groups of the group's best
// alternative (AlternativesScorer), with coord increasing. The partition is over leaves (one
// term or phrase of one alternative in one field, LeafScorer), each with its own upper bound: a
// document matching only leaves from a set L scores at most coord[groups of L] * the sum over
// those groups of their best alternative's bound, an alternative saturating its leaves'
// pseudo-frequency bounds together as its score does (so a word's readings, or its title and
// body, do not add up). Leaves are ordered by bound per document they hold; the longest prefix
// whose bound stays below the collector's MinCompetitiveScore is "non-essential": candidates come
// from the other leaves only. Bounding by leaf rather than by group matters when a group holds a
// rare alternative next to a common word («کے» with the joined «کےبعد»): the common word's
// documents no longer have to be scored one by one. The documents are taken in windows of a
// fixed width, in doc order; once there is a threshold, each window bounds every leaf by the postings blocks it holds
// there (0 when none) and partitions the leaves again, so that a common word whose blocks there
// cannot lift a document to the threshold hands out no candidates there. The essential leaves'
// documents of a window are read leaf by leaf into per-document buckets (no heap), with their
// pseudo-frequencies. A candidate is cut before scoring when its groups' block bounds, then
// their essential leaves' exact part, plus what the other groups may add cannot reach the
// threshold; otherwise its groups are scored in full (every alternative and field), and the
// groups it reaches only through non-essential leaves are looked at (block bound first, then
// postings) only while it can still reach the threshold; a non-essential leaf already past the
// candidate adds nothing to its bound. For a collector that takes every match
// (Collector::TakesBest false) no threshold is ever set: every match is scored and collected.
// The scores are the exhaustive ones bit for bit: groups are summed in query order.
//
// Thread-compatible: one call per search (a thread keeps its window buffers between calls).
#pragma once

#include <cstdint>

#include "search/collector.h"
#include "search/weight.h"

namespace rasai {

// What pruning left uncounted.
struct ScoreCoverage {
  bool pruned = false;       // documents were skipped without being counted
  // Live documents seen and cut before full scoring: matches, unless `pruned` (a cut document
  // may then be excluded or filtered out).
  uint64_t pruned_seen = 0;
  uint64_t df_floor = 0;     // sum over segments of the longest posting list of one group
  // Sum over segments of the documents holding a term of some group (the lists of df_floor), were
  // the terms independent.
  uint64_t union_guess = 0;
};

// Scores `weight`'s query over every segment of its snapshot, giving each live matching document
// (not excluded, not only stopwords under the content rule) to `collector`.
ScoreCoverage ScoreQuery(QueryWeight& weight, Collector* collector);

// The total a search reports: the documents collected and those seen and cut; when pruning
// skipped some uncounted (*exact false), raised to the longest posting list (and the union
// guess) when no filter applies.
uint64_t EstimateTotal(uint64_t collected, const ScoreCoverage& coverage, bool filtered, bool* exact);

}  // namespace rasai
