#include "util/bloom_filter.h"

#include <gtest/gtest.h>

#include <string>

#include "util/hash.h"

namespace rasai {
namespace {

TEST(BloomFilter, NoFalseNegativesAndFewFalsePositives) {
  const size_t n = 100000;
  BloomFilter f(n);
  for (size_t i = 0; i < n; ++i) f.Insert(HashBytes("in-" + std::to_string(i)));
  for (size_t i = 0; i < n; ++i) ASSERT_TRUE(f.MayContain(HashBytes("in-" + std::to_string(i)))) << i;
  size_t fp = 0;
  for (size_t i = 0; i < n; ++i) fp += f.MayContain(HashBytes("out-" + std::to_string(i)));
  EXPECT_LT(fp, n / 200) << "false positives at 16 bits a key";  // about 0.1%; 0.5% fails
  EXPECT_LE(f.bytes(), n * 16 / 8 + 64);
}

TEST(BloomFilter, EmptyAndTiny) {
  BloomFilter none;
  EXPECT_FALSE(none.MayContain(42));
  BloomFilter tiny(0);
  EXPECT_FALSE(tiny.MayContain(HashBytes("a")));
  tiny.Insert(HashBytes("a"));
  EXPECT_TRUE(tiny.MayContain(HashBytes("a")));
  tiny.Insert(0);
  EXPECT_TRUE(tiny.MayContain(0));
}

}  // namespace
}  // namespace rasai
