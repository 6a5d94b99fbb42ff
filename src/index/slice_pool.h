// Internal: the byte streams of the write buffer's postings — many short streams growing at once
// (two per buffered term), kept in large blocks instead of a heap allocation per term. Each
// stream is a chain of slices that double in size as it grows (8 bytes, 16, ... up to 4 KiB);
// a full slice ends with the 4-byte address of the next one. Memory is the blocks, counted
// exactly by bytes(); Clear() gives all of it back at once.
//
// Thread-safety: single-threaded (the writer's inverting thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace rasai {

class SlicePool {
 public:
  static constexpr size_t kBlockBytes = 1 << 16;
  // The largest number of blocks: addresses are 32-bit (4 GiB; the write buffer flushes long
  // before, see WriteBuffer::full()).
  static constexpr size_t kMaxBlocks = (size_t{1} << 32) / kBlockBytes - 1;

  // Where a stream is: its first slice, the next byte to write and the end of the current slice
  // (the address of its link). A stream with no byte yet has end == 0.
  struct Stream {
    uint32_t head = 0, tail = 0, end = 0;
    uint32_t level = 0;  // of the current slice: 0, 1, ...
  };

  void Put(Stream* s, uint8_t byte) {
    if (s->tail == s->end) NextSlice(s);
    At(s->tail++) = byte;
  }
  void PutVarint(Stream* s, uint32_t v) {
    while (v >= 0x80) {
      Put(s, static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Put(s, static_cast<uint8_t>(v));
  }
  // Appends the bytes of stream `s` to *out.
  void Read(const Stream& s, std::string* out) const {
    if (s.end == 0) return;
    uint32_t at = s.head;
    for (uint32_t level = 0;; ++level) {
      const uint32_t link = at + static_cast<uint32_t>(SliceBytes(level)) - 4;
      if (level == s.level) {
        out->append(reinterpret_cast<const char*>(&At(at)), s.tail - at);
        return;
      }
      out->append(reinterpret_cast<const char*>(&At(at)), link - at);
      std::memcpy(&at, &At(link), 4);
    }
  }
  // Bytes held (whole blocks).
  size_t bytes() const { return blocks_.size() * kBlockBytes; }
  bool near_full() const { return blocks_.size() + 2 >= kMaxBlocks; }
  void Clear() {
    blocks_.clear();
    blocks_.shrink_to_fit();
    used_ = kBlockBytes;
  }

 private:
  static size_t SliceBytes(uint32_t level) { return size_t{8} << (level < 9 ? level : 9); }
  uint8_t& At(uint32_t a) { return blocks_[a / kBlockBytes][a % kBlockBytes]; }
  const uint8_t& At(uint32_t a) const { return blocks_[a / kBlockBytes][a % kBlockBytes]; }
  uint32_t Allocate(size_t n) {
    if (used_ + n > kBlockBytes) {
      blocks_.push_back(std::make_unique_for_overwrite<uint8_t[]>(kBlockBytes));
      used_ = 0;
    }
    const uint32_t a = static_cast<uint32_t>((blocks_.size() - 1) * kBlockBytes + used_);
    used_ += n;
    return a;
  }
  void NextSlice(Stream* s) {
    const bool first = s->end == 0;
    const uint32_t level = first ? 0 : s->level + 1;
    const size_t n = SliceBytes(level);
    const uint32_t a = Allocate(n);
    if (first) {
      s->head = a;
    } else {
      std::memcpy(&At(s->end), &a, 4);  // the link of the full slice
    }
    s->level = level;
    s->tail = a;
    s->end = a + static_cast<uint32_t>(n) - 4;
  }
  std::vector<std::unique_ptr<uint8_t[]>> blocks_;
  size_t used_ = kBlockBytes;  // of the last block
};

}  // namespace rasai
