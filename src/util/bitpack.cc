#include "util/bitpack.h"

#include <array>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RASAI_BITPACK_AVX2 1
#endif

namespace rasai {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "bitpack loads assume a little-endian host");

// Generic path (any n): one unaligned 64-bit load per value. Reads at most 8 bytes past the packed
// data (the load of the last value starts inside it).
template <uint32_t W>
void UnpackFixed(const uint8_t* in, size_t n, uint32_t* out) {
  if constexpr (W == 0) {
    std::memset(out, 0, n * sizeof(uint32_t));
  } else {
    constexpr uint64_t kMask = (W == 32) ? 0xffffffffull : ((1ull << W) - 1);
    for (size_t i = 0; i < n; ++i) {
      const size_t bit = i * W;
      uint64_t word;
      std::memcpy(&word, in + (bit >> 3), 8);
      out[i] = static_cast<uint32_t>((word >> (bit & 7)) & kMask);
    }
  }
}

inline uint64_t Load64(const uint8_t* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// One group of 8 values at width W occupies exactly W bytes and starts on a byte boundary, so the
// byte offset and shift of every value are compile-time constants.
template <uint32_t W, uint32_t J>
inline uint32_t Extract(const uint8_t* group) {
  constexpr uint32_t kBit = J * W;
  constexpr uint64_t kMask = (W == 32) ? 0xffffffffull : ((1ull << W) - 1);
  return static_cast<uint32_t>((Load64(group + (kBit >> 3)) >> (kBit & 7)) & kMask);
}

template <uint32_t W, uint32_t... Js>
inline void Unpack8(const uint8_t* group, uint32_t* out, std::integer_sequence<uint32_t, Js...>) {
  ((out[Js] = Extract<W, Js>(group)), ...);
}

// n == 128: 16 groups of 8, fully unrolled. The last load starts at byte 15*W + (7*W)/8 < 16*W, so
// it reads at most 8 bytes past the 16*W packed bytes. Width 32 is a plain little-endian copy.
template <uint32_t W>
void Unpack128(const uint8_t* in, uint32_t* out) {
  if constexpr (W == 0) {
    std::memset(out, 0, 128 * sizeof(uint32_t));
  } else if constexpr (W == 32) {
    std::memcpy(out, in, 128 * sizeof(uint32_t));
  } else {
#pragma GCC unroll 16
    for (uint32_t g = 0; g < 16; ++g) {
      Unpack8<W>(in + g * W, out + g * 8, std::make_integer_sequence<uint32_t, 8>{});
    }
  }
}

using UnpackFn = void (*)(const uint8_t*, size_t, uint32_t*);
using Unpack128Fn = void (*)(const uint8_t*, uint32_t*);

template <uint32_t... Ws>
constexpr auto MakeTable(std::integer_sequence<uint32_t, Ws...>) {
  return std::array<UnpackFn, sizeof...(Ws)>{&UnpackFixed<Ws>...};
}
template <uint32_t... Ws>
constexpr auto MakeTable128(std::integer_sequence<uint32_t, Ws...>) {
  return std::array<Unpack128Fn, sizeof...(Ws)>{&Unpack128<Ws>...};
}

const auto kUnpack = MakeTable(std::make_integer_sequence<uint32_t, 33>{});
const auto kUnpack128 = MakeTable128(std::make_integer_sequence<uint32_t, 33>{});

inline void Decode(const uint8_t* in, size_t n, uint32_t width, uint32_t* out) {
  if (n == 128) {
    kUnpack128[width](in, out);
  } else {
    kUnpack[width](in, n, out);
  }
}

// out[i] = base + sum(out[0..i]) + i + 1, in place.
inline void PrefixSumPlusOne(uint32_t* out, size_t n, uint32_t base) {
  size_t i = 0;
#if defined(__SSE2__)
  __m128i carry = _mm_set1_epi32(static_cast<int>(base));
  const __m128i one = _mm_set1_epi32(1);
  const size_t n4 = n & ~size_t{3};
  for (; i < n4; i += 4) {
    // Local prefix sums first (independent across vectors); the loop-carried chain is one add.
    __m128i x = _mm_add_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(out + i)), one);
    x = _mm_add_epi32(x, _mm_slli_si128(x, 4));
    x = _mm_add_epi32(x, _mm_slli_si128(x, 8));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_add_epi32(x, carry));
    carry = _mm_add_epi32(carry, _mm_shuffle_epi32(x, 0xff));
  }
  base = static_cast<uint32_t>(_mm_cvtsi128_si32(carry));
#endif
  uint32_t cur = base;
  for (; i < n; ++i) {
    cur += out[i] + 1;
    out[i] = cur;
  }
}

// n == 128: 4 chunks of 32 values; 32 values at width W fill exactly W 32-bit words, so every bit
// position is a compile-time constant once the loop is unrolled.
template <uint32_t W>
void Pack128(const uint32_t* in, uint8_t* p) {
  if constexpr (W == 0) {
    // nothing to write
  } else if constexpr (W == 32) {
    std::memcpy(p, in, 128 * sizeof(uint32_t));
  } else {
    for (uint32_t c = 0; c < 4; ++c) {
      const uint32_t* v = in + c * 32;
      uint8_t* o = p + c * 4 * W;
      uint64_t acc = 0;
      uint32_t bits = 0;
#pragma GCC unroll 32
      for (uint32_t j = 0; j < 32; ++j) {
        acc |= static_cast<uint64_t>(v[j]) << bits;
        bits += W;
        if (bits >= 32) {
          const auto word = static_cast<uint32_t>(acc);
          std::memcpy(o, &word, 4);
          o += 4;
          acc >>= 32;
          bits -= 32;
        }
      }
    }
  }
}

using Pack128Fn = void (*)(const uint32_t*, uint8_t*);
template <uint32_t... Ws>
constexpr auto MakePackTable128(std::integer_sequence<uint32_t, Ws...>) {
  return std::array<Pack128Fn, sizeof...(Ws)>{&Pack128<Ws>...};
}
const auto kPack128 = MakePackTable128(std::make_integer_sequence<uint32_t, 33>{});

#if RASAI_BITPACK_AVX2
// The same prefix sum 8 lanes at a time (runtime dispatch: only called when the CPU has AVX2).
__attribute__((target("avx2"))) void PrefixSumPlusOne128Avx2(uint32_t* out, uint32_t base) {
  __m256i carry = _mm256_set1_epi32(static_cast<int>(base));
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i last = _mm256_set1_epi32(7);
  for (size_t i = 0; i < 128; i += 8) {
    __m256i x = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(out + i)), one);
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));  // within each 128-bit lane
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
    // Add the low lane's total to every element of the high lane.
    x = _mm256_add_epi32(x, _mm256_shuffle_epi32(_mm256_permute2x128_si256(x, x, 0x08), 0xff));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm256_add_epi32(x, carry));
    carry = _mm256_add_epi32(carry, _mm256_permutevar8x32_epi32(x, last));
  }
}

using PrefixFn = void (*)(uint32_t*, uint32_t);
void PrefixSumPlusOne128Portable(uint32_t* out, uint32_t base) { PrefixSumPlusOne(out, 128, base); }
const PrefixFn kPrefix128 =
    __builtin_cpu_supports("avx2") ? &PrefixSumPlusOne128Avx2 : &PrefixSumPlusOne128Portable;
#endif

}  // namespace

void Pack(const uint32_t* in, size_t n, uint32_t width, std::string* out) {
  const size_t start = out->size();
  if (n == 128) {
    out->resize(start + PackedBytes(n, width));
    kPack128[width](in, reinterpret_cast<uint8_t*>(out->data() + start));
    return;
  }
  out->append(PackedBytes(n, width), '\0');
  if (width == 0) return;
  auto* p = reinterpret_cast<uint8_t*>(out->data() + start);
  uint64_t acc = 0;
  uint32_t bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= static_cast<uint64_t>(in[i]) << bits;
    bits += width;
    while (bits >= 8) {
      p[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) p[o++] = static_cast<uint8_t>(acc);
}

void Unpack(const uint8_t* in, size_t n, uint32_t width, uint32_t* out) { Decode(in, n, width, out); }

void UnpackDeltas(const uint8_t* in, size_t n, uint32_t width, uint32_t base, uint32_t* out) {
  Decode(in, n, width, out);
#if RASAI_BITPACK_AVX2
  if (n == 128) {
    kPrefix128(out, base);
    return;
  }
#endif
  PrefixSumPlusOne(out, n, base);
}

}  // namespace rasai
