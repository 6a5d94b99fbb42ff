// Little-endian fixed-width and varint encoding into byte strings; bounds-checked decoding.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace rasai {

inline void PutFixed32(std::string* dst, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only (checked in coding.cc)
  dst->append(b, 4);
}
inline void PutFixed64(std::string* dst, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  dst->append(b, 8);
}
inline uint32_t DecodeFixed32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t DecodeFixed64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline void PutVarint(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}
inline void PutString(std::string* dst, std::string_view s) {
  PutVarint(dst, s.size());
  dst->append(s);
}

// Reads values from a byte range; every read is bounds-checked and a failed read latches
// ok() to false (the caller checks once at the end).
class Decoder {
 public:
  Decoder() = default;
  Decoder(const void* p, size_t n) : p_(static_cast<const uint8_t*>(p)), end_(p_ + n) {}
  explicit Decoder(std::string_view s) : Decoder(s.data(), s.size()) {}
  bool ok() const { return ok_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* ptr() const { return p_; }
  uint64_t Varint() {
    if (p_ < end_ && *p_ < 0x80) return *p_++;  // one byte: most varints
    uint64_t v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (p_ >= end_) return Fail();
      uint8_t b = *p_++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return Fail();
  }
  uint32_t Varint32() {
    uint64_t v = Varint();
    if (v > 0xffffffffu) return static_cast<uint32_t>(Fail());
    return static_cast<uint32_t>(v);
  }
  uint32_t Fixed32() {
    if (remaining() < 4) return static_cast<uint32_t>(Fail());
    uint32_t v = DecodeFixed32(p_);
    p_ += 4;
    return v;
  }
  uint64_t Fixed64() {
    if (remaining() < 8) return Fail();
    uint64_t v = DecodeFixed64(p_);
    p_ += 8;
    return v;
  }
  uint8_t Byte() {
    if (p_ >= end_) return static_cast<uint8_t>(Fail());
    return *p_++;
  }
  std::string_view Bytes(size_t n) {
    if (remaining() < n) {
      Fail();
      return {};
    }
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  std::string_view String() { return Bytes(Varint()); }
  void Skip(size_t n) {
    if (remaining() < n) {
      Fail();
      return;
    }
    p_ += n;
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  bool ok_ = true;
};

// Unchecked varint read for hot loops over data whose bounds were validated.
inline uint32_t ReadVarint32Unchecked(const uint8_t** pp) {
  const uint8_t* p = *pp;
  uint32_t v = *p & 0x7f;
  if (*p++ & 0x80) {
    v |= (*p & 0x7f) << 7;
    if (*p++ & 0x80) {
      v |= (*p & 0x7f) << 14;
      if (*p++ & 0x80) {
        v |= (*p & 0x7f) << 21;
        if (*p++ & 0x80) v |= static_cast<uint32_t>(*p++ & 0x0f) << 28;
      }
    }
  }
  *pp = p;
  return v;
}

}  // namespace rasai
