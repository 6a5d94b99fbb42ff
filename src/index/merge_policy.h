// Internal: the merge policy — which segments the writer merges next, from their sizes alone.
// Small segments are merged first, segments of one size tier together, and no merge reads more
// than a bound: a merge cut short (a crash, a kill, a power cut) starts again from nothing, so
// progress must come in steps that finish.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rasai {

// What the policy knows of one segment of the index.
struct MergeCandidate {
  uint32_t max_doc = 0;    // documents, deleted ones included
  uint32_t live_docs = 0;  // documents not deleted
  uint64_t bytes = 0;      // its files on disk
};

struct MergePolicy {
  // Merges run while more segments than this can merge.
  size_t max_segments = 8;
  // Segments merged at once, at most.
  size_t merge_factor = 8;
  // Bytes (on disk, of the sources) one merge reads at most; a segment over half of it is not
  // merged again (except by a forced merge).
  uint64_t max_merge_bytes = 256ull << 20;
  // Sizes below this count as this: the smallest tier.
  uint64_t floor_bytes = 1ull << 20;
};

// The tier of a segment: 0 up to floor_bytes of live data, then one more per merge_factor times
// more. Live data: the segment's bytes times its share of live documents.
int MergeTier(const MergeCandidate& c, const MergePolicy& p);

// The positions in `segments` (index order) of the segments to merge into one, in increasing
// order; empty when there is nothing to do. While more than max_segments segments can merge:
// from the lowest tier holding two or more, its smallest segments (up to merge_factor, at most
// max_merge_bytes in all). Forced: every segment, unless the index is one segment without
// deletions already.
std::vector<size_t> PickMerge(const std::vector<MergeCandidate>& segments, bool force, const MergePolicy& p);

}  // namespace rasai
