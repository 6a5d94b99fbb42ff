// The merge policy.
#include "index/merge_policy.h"

#include <algorithm>

namespace rasai {
namespace {

uint64_t LiveBytes(const MergeCandidate& c) {
  if (c.max_doc == 0) return 0;
  return static_cast<uint64_t>(static_cast<long double>(c.bytes) * c.live_docs / c.max_doc);
}

}  // namespace

int MergeTier(const MergeCandidate& c, const MergePolicy& p) {
  const uint64_t factor = std::max<size_t>(2, p.merge_factor);
  int tier = 0;
  for (uint64_t top = p.floor_bytes; LiveBytes(c) > top && tier < 62; top *= factor) ++tier;
  return tier;
}

std::vector<size_t> PickMerge(const std::vector<MergeCandidate>& segments, bool force, const MergePolicy& p) {
  std::vector<size_t> pick;
  if (force) {
    bool has_deletes = false;
    for (const auto& s : segments) has_deletes |= s.live_docs != s.max_doc;
    if (segments.size() <= 1 && !has_deletes) return pick;
    for (size_t i = 0; i < segments.size(); ++i) pick.push_back(i);
    return pick;
  }
  // Segments that can still merge, by tier, smallest first.
  struct Entry {
    int tier;
    uint64_t live;
    size_t index;
  };
  std::vector<Entry> can;
  for (size_t i = 0; i < segments.size(); ++i)
    if (segments[i].bytes <= p.max_merge_bytes / 2)
      can.push_back({MergeTier(segments[i], p), LiveBytes(segments[i]), i});
  if (can.size() <= p.max_segments) return pick;
  std::sort(can.begin(), can.end(), [](const Entry& a, const Entry& b) {
    return a.tier != b.tier ? a.tier < b.tier : a.live != b.live ? a.live < b.live : a.index < b.index;
  });
  for (size_t i = 0; i < can.size();) {
    size_t j = i;
    while (j < can.size() && can[j].tier == can[i].tier) ++j;
    if (j - i >= 2) {
      uint64_t total = 0;
      for (size_t k = i; k < j && pick.size() < std::max<size_t>(2, p.merge_factor); ++k) {
        const uint64_t b = segments[can[k].index].bytes;
        if (pick.size() >= 2 && total + b > p.max_merge_bytes) break;
        total += b;
        pick.push_back(can[k].index);
      }
      break;
    }
    i = j;
  }
  std::sort(pick.begin(), pick.end());  // keep segment order: later segments hold newer docs
  return pick;
}

}  // namespace rasai
