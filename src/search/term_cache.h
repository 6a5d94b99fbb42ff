// Internal: the term dictionary entries one search needs, looked up once per (field, term) and
// segment: planning (compounds, typos), scoring (idf, postings), the rerank and snippets ask for
// the same terms.
//
// Thread-compatible: one per search (one thread). Holds a reference to the snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"

namespace rasai {

class TermCache {
 public:
  explicit TermCache(const Snapshot& snap) : snap_(snap), nsegs_(snap.segments().size()) { map_.reserve(64); }
  const Snapshot& snapshot() const { return snap_; }
  // df over every segment (deleted documents included).
  uint64_t DocFreq(int field, std::string_view term) { return Get(field, term).df; }
  // The term's entry in segment `seg`; false where the segment lacks the term.
  bool Lookup(uint32_t seg, int field, std::string_view term, TermInfo* info) {
    const TermInfo& ti = infos_[Get(field, term).first + seg];
    if (ti.df == 0) return false;
    *info = ti;
    return true;
  }

 private:
  struct Entry {
    uint64_t df = 0;
    size_t first = 0;  // infos_[first + s]: segment s's entry (df 0 where it lacks the term)
  };
  const Entry& Get(int field, std::string_view term) {
    key_.assign(1, static_cast<char>(field + 1));
    key_.append(term);
    auto [it, inserted] = map_.try_emplace(key_);
    Entry& e = it->second;
    if (inserted) {
      e.first = infos_.size();
      infos_.resize(infos_.size() + nsegs_);
      const auto& segs = snap_.segments();
      for (size_t s = 0; s < nsegs_; ++s)
        if (segs[s]->Lookup(field, term, &infos_[e.first + s])) e.df += infos_[e.first + s].df;
    }
    return e;
  }

  const Snapshot& snap_;
  const size_t nsegs_;
  std::string key_;
  std::unordered_map<std::string, Entry> map_;
  std::vector<TermInfo> infos_;  // every entry's per-segment infos, in one array
};

}  // namespace rasai
