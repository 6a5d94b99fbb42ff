// Internal: a set of 64-bit hashes (e.g. of document ids): open addressing, linear probing, at
// most 16 bytes per element. The hash 0 is stored as 1 (a slot holding 0 is empty), so two
// hashes differing only there are one element.
//
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace rasai {

class HashSet64 {
 public:
  // True when `h` was not in the set (it is now).
  bool Insert(uint64_t h) {
    if (h == 0) h = 1;
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t i = h & (slots_.size() - 1);
    for (; slots_[i] != 0; i = (i + 1) & (slots_.size() - 1))
      if (slots_[i] == h) return false;
    slots_[i] = h;
    ++size_;
    return true;
  }
  bool Contains(uint64_t h) const {
    if (h == 0) h = 1;
    if (slots_.empty()) return false;
    for (size_t i = h & (slots_.size() - 1); slots_[i] != 0; i = (i + 1) & (slots_.size() - 1))
      if (slots_[i] == h) return true;
    return false;
  }
  size_t size() const { return size_; }
  size_t bytes() const { return slots_.capacity() * sizeof(uint64_t); }
  void Clear() {
    std::vector<uint64_t>().swap(slots_);
    size_ = 0;
  }

 private:
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    size_ = 0;
    for (uint64_t h : old)
      if (h != 0) Insert(h);
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

}  // namespace rasai
