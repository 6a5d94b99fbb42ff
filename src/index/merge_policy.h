// Internal: the merge policy — which segments the writer merges next, from their sizes alone.
//
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rasai {

// What the policy knows of one segment of the index.
struct MergeCandidate {
  uint32_t max_doc = 0;    // documents, deleted ones included
  uint32_t live_docs = 0;  // documents not deleted
};

// The positions in `segments` (in index order) of the segments to merge into one, in increasing
// order; empty when there is nothing to do. Forced: every segment, unless the index is one
// segment without deletions already.
std::vector<size_t> PickMerge(const std::vector<MergeCandidate>& segments, bool force);

}  // namespace rasai
