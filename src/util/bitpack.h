// Bit packing of unsigned 32-bit integers at a fixed width, LSB first.
// Unpack reads up to 8 bytes past the packed data: callers guarantee that much readable memory
// after it (every Rasai file ends with a 16-byte footer, so a block inside a file is safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rasai {

// Bits needed for the largest of n values (0 when all are 0).
inline uint32_t MaxBits(const uint32_t* v, size_t n) {
  uint32_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc |= v[i];
  return acc ? 32 - static_cast<uint32_t>(__builtin_clz(acc)) : 0;
}
inline size_t PackedBytes(size_t n, uint32_t width) { return (n * width + 7) / 8; }

// Appends n values packed at `width` bits (each value must fit).
void Pack(const uint32_t* in, size_t n, uint32_t width, std::string* out);
// Decodes n values packed at `width` bits from `in`.
void Unpack(const uint8_t* in, size_t n, uint32_t width, uint32_t* out);
// Decodes n values and turns them from gaps into absolute values (doc gaps are stored minus one):
// out[i] = base + sum(in[0..i]) + i + 1, modulo 2^32.
// n == 128 (a full postings block) takes a fully unrolled, width-specialized path.
void UnpackDeltas(const uint8_t* in, size_t n, uint32_t width, uint32_t base, uint32_t* out);

}  // namespace rasai
