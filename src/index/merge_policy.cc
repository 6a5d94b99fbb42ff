// The merge policy.
#include "index/merge_policy.h"

#include <algorithm>

namespace rasai {

// Merges the smallest segments while there are more than kMaxSegments, or all of them when
// forced.
std::vector<size_t> PickMerge(const std::vector<MergeCandidate>& segments, bool force) {
  constexpr size_t kMaxSegments = 8, kMergeFactor = 8;
  std::vector<size_t> idx(segments.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::vector<size_t> pick;
  if (force) {
    bool has_deletes = false;
    for (const auto& s : segments) has_deletes |= s.live_docs != s.max_doc;
    if (segments.size() <= 1 && !has_deletes) return pick;
    pick = idx;
  } else {
    if (segments.size() <= kMaxSegments) return pick;
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return segments[a].live_docs < segments[b].live_docs; });
    pick.assign(idx.begin(), idx.begin() + std::min(kMergeFactor, idx.size()));
  }
  std::sort(pick.begin(), pick.end());  // keep segment order: later segments hold newer docs
  return pick;
}

}  // namespace rasai
