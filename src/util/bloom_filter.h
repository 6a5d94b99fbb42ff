// Internal: a Bloom filter over 64-bit hashes (e.g. of document ids), sized once for a known
// number of keys: "maybe present" or "surely absent". Split blocks: each key sets one bit in each
// of the eight 32-bit words of one 32-byte block, so a query reads one cache line. With 16 bits
// a key (the default) about 1 in 1,000 absent keys is reported maybe present.
//
// Thread-safety: a plain value (Insert writes; MayContain on a filter no one writes is safe from
// any thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rasai {

class BloomFilter {
 public:
  BloomFilter() = default;
  explicit BloomFilter(size_t keys, size_t bits_per_key = 16) {
    size_t blocks = (keys * bits_per_key + 255) / 256;
    words_.assign((blocks > 0 ? blocks : 1) * 8, 0);
  }
  void Insert(uint64_t h) {
    uint32_t* b = Block(h);
    for (int i = 0; i < 8; ++i) b[i] |= Bit(h, i);
  }
  bool MayContain(uint64_t h) const {
    if (words_.empty()) return false;
    const uint32_t* b = words_.data() + BlockIndex(h) * 8;
    for (int i = 0; i < 8; ++i)
      if (!(b[i] & Bit(h, i))) return false;
    return true;
  }
  size_t bytes() const { return words_.capacity() * sizeof(uint32_t); }

 private:
  size_t BlockIndex(uint64_t h) const {
    // The high half picks the block (multiply-shift: no modulo); the low half the bits.
    return static_cast<size_t>(((h >> 32) * (words_.size() / 8)) >> 32);
  }
  uint32_t* Block(uint64_t h) { return words_.data() + BlockIndex(h) * 8; }
  static uint32_t Bit(uint64_t h, int i) {
    static constexpr uint32_t kSalt[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                                          0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};
    return 1u << ((static_cast<uint32_t>(h) * kSalt[i]) >> 27);
  }
  std::vector<uint32_t> words_;
};

}  // namespace rasai
