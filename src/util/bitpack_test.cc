// Property tests of the bit packing codec (util/bitpack.h) against a naive bit-by-bit reference.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "util/bitpack.h"

namespace rasai {
namespace {

// Reference: value i is bits [i*width, (i+1)*width) of the byte string, LSB first.
std::vector<uint32_t> NaiveUnpack(const std::string& packed, size_t n, uint32_t width) {
  std::vector<uint32_t> v(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t b = 0; b < width; ++b) {
      const size_t bit = i * width + b;
      const uint32_t set = (static_cast<uint8_t>(packed[bit / 8]) >> (bit % 8)) & 1u;
      v[i] |= set << b;
    }
  }
  return v;
}

// Reference encoder, to check the byte layout Pack produces.
std::string NaivePack(const std::vector<uint32_t>& v, uint32_t width) {
  std::string s(PackedBytes(v.size(), width), '\0');
  for (size_t i = 0; i < v.size(); ++i) {
    for (uint32_t b = 0; b < width; ++b) {
      if ((v[i] >> b) & 1u) {
        const size_t bit = i * width + b;
        s[bit / 8] = static_cast<char>(static_cast<uint8_t>(s[bit / 8]) | (1u << (bit % 8)));
      }
    }
  }
  return s;
}

std::vector<uint32_t> RandomValues(std::mt19937_64& rng, size_t n, uint32_t width, bool force_max) {
  const uint64_t mask = width == 32 ? 0xffffffffull : ((1ull << width) - 1);
  std::vector<uint32_t> v(n);
  for (auto& x : v) x = static_cast<uint32_t>(rng() & mask);
  if (force_max && n > 0) v[rng() % n] = static_cast<uint32_t>(mask);
  return v;
}

// Copies `packed` into a heap buffer of exactly packed.size() + 8 bytes, so ASan flags any read
// further than the 8 bytes of slack the header allows.
std::unique_ptr<uint8_t[]> WithExactSlack(const std::string& packed) {
  auto buf = std::make_unique<uint8_t[]>(packed.size() + 8);
  if (!packed.empty()) std::memcpy(buf.get(), packed.data(), packed.size());
  std::memset(buf.get() + packed.size(), 0xA5, 8);  // garbage slack must not leak into values
  return buf;
}

TEST(Bitpack, RoundTripEveryWidthAndLength) {
  std::mt19937_64 rng(12345);
  for (uint32_t width = 0; width <= 32; ++width) {
    for (size_t n = 1; n <= 128; ++n) {
      SCOPED_TRACE("width " + std::to_string(width) + " n " + std::to_string(n));
      const auto vals = RandomValues(rng, n, width, /*force_max=*/n % 3 == 0);
      std::string packed;
      Pack(vals.data(), n, width, &packed);
      ASSERT_EQ(packed.size(), PackedBytes(n, width));
      ASSERT_EQ(packed, NaivePack(vals, width));
      ASSERT_EQ(NaiveUnpack(packed, n, width), vals);

      auto buf = WithExactSlack(packed);
      std::vector<uint32_t> out(n + 1, 0xdeadbeef);
      Unpack(buf.get(), n, width, out.data());
      EXPECT_EQ(std::vector<uint32_t>(out.begin(), out.begin() + n), vals);
      EXPECT_EQ(out[n], 0xdeadbeefu) << "wrote past n";

      const uint32_t base = static_cast<uint32_t>(rng());
      std::fill(out.begin(), out.end(), 0xdeadbeef);
      UnpackDeltas(buf.get(), n, width, base, out.data());
      uint32_t cur = base;
      for (size_t i = 0; i < n; ++i) {
        cur += vals[i] + 1;  // wraps mod 2^32 like the codec
        ASSERT_EQ(out[i], cur) << "i " << i;
      }
      EXPECT_EQ(out[n], 0xdeadbeefu) << "wrote past n";
    }
  }
}

// Full 128-value blocks (the fast path) at an unaligned offset inside a larger buffer, several
// blocks back to back, the last one ending exactly 8 bytes before the end of the allocation.
TEST(Bitpack, ConsecutiveBlocksUnalignedWithExactSlack) {
  std::mt19937_64 rng(777);
  for (uint32_t width = 0; width <= 32; ++width) {
    SCOPED_TRACE("width " + std::to_string(width));
    constexpr size_t kBlocks = 5;
    std::vector<std::vector<uint32_t>> blocks;
    std::string packed = "x";  // odd offset
    for (size_t b = 0; b < kBlocks; ++b) {
      blocks.push_back(RandomValues(rng, 128, width, b == 2));
      Pack(blocks.back().data(), 128, width, &packed);
    }
    auto buf = WithExactSlack(packed);
    const size_t bb = PackedBytes(128, width);
    for (size_t b = 0; b < kBlocks; ++b) {
      uint32_t out[128];
      Unpack(buf.get() + 1 + b * bb, 128, width, out);
      ASSERT_EQ(std::vector<uint32_t>(out, out + 128), blocks[b]) << "block " << b;
      UnpackDeltas(buf.get() + 1 + b * bb, 128, width, 7, out);
      uint32_t cur = 7;
      for (size_t i = 0; i < 128; ++i) {
        cur += blocks[b][i] + 1;
        ASSERT_EQ(out[i], cur);
      }
    }
  }
}

TEST(Bitpack, MaxBits) {
  const uint32_t zeros[3] = {0, 0, 0};
  EXPECT_EQ(MaxBits(zeros, 3), 0u);
  for (uint32_t w = 1; w <= 32; ++w) {
    const uint32_t v[2] = {1, w == 32 ? 0xffffffffu : ((1u << w) - 1)};
    EXPECT_EQ(MaxBits(v, 2), w);
  }
}

}  // namespace
}  // namespace rasai
