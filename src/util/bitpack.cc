#include "util/bitpack.h"

#include <array>
#include <cstring>
#include <utility>

namespace rasai {
namespace {

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

using UnpackFn = void (*)(const uint8_t*, size_t, uint32_t*);

template <uint32_t... Ws>
constexpr auto MakeTable(std::integer_sequence<uint32_t, Ws...>) {
  return std::array<UnpackFn, sizeof...(Ws)>{&UnpackFixed<Ws>...};
}

const auto kUnpack = MakeTable(std::make_integer_sequence<uint32_t, 33>{});
}  // namespace

void Pack(const uint32_t* in, size_t n, uint32_t width, std::string* out) {
  const size_t start = out->size();
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

void Unpack(const uint8_t* in, size_t n, uint32_t width, uint32_t* out) { kUnpack[width](in, n, out); }

void UnpackDeltas(const uint8_t* in, size_t n, uint32_t width, uint32_t base, uint32_t* out) {
  kUnpack[width](in, n, out);
  uint32_t cur = base;
  for (size_t i = 0; i < n; ++i) {
    cur += out[i] + 1;
    out[i] = cur;
  }
}

}  // namespace rasai
