#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "util/bitpack.h"
#include "util/coding.h"
#include "util/crc32c.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/utf8.h"
#include "test_util.h"

namespace rasai {
namespace {

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(Crc32c(0, "123456789", 9), 0xE3069283u);
  EXPECT_EQ(Crc32c(0, "", 0), 0u);
  std::string zeros(32, '\0');
  EXPECT_EQ(Crc32c(0, zeros.data(), zeros.size()), 0x8A9136AAu);
  // Incremental equals whole.
  std::string s = "the quick brown fox jumps over the lazy dog";
  EXPECT_EQ(Crc32c(Crc32c(0, s.data(), 10), s.data() + 10, s.size() - 10), Crc32c(0, s.data(), s.size()));
}

// Every length up to three words, and every single-byte change of a word, hashes apart (the
// tail bytes and the length take part); equal bytes hash equal wherever they live.
TEST(HashBytes, SpreadsNearbyStrings) {
  std::set<uint64_t> seen;
  std::string s;
  for (int len = 0; len <= 24; ++len, s += 'a') EXPECT_TRUE(seen.insert(HashBytes(s)).second) << len;
  const std::string word = "\xd9\x84\xd8\xa7\xdb\x81\xd9\x88\xd8\xb1 school";  // Urdu + Latin, 16 bytes
  for (size_t i = 0; i < word.size(); ++i) {
    std::string w = word;
    w[i] = static_cast<char>(w[i] ^ 1);
    EXPECT_TRUE(seen.insert(HashBytes(w)).second) << i;
  }
  const std::string copy(word.data(), word.size());
  EXPECT_EQ(HashBytes(word), HashBytes(copy));
  EXPECT_NE(HashBytes(std::string_view("ab")), HashBytes(std::string_view("ba")));
}

TEST(Coding, VarintRoundTripAndBounds) {
  std::string buf;
  const uint64_t vals[] = {0, 1, 127, 128, 300, 16383, 16384, 0xffffffffull, 0xffffffffffffffffull};
  for (uint64_t v : vals) PutVarint(&buf, v);
  Decoder d(buf);
  for (uint64_t v : vals) EXPECT_EQ(d.Varint(), v);
  EXPECT_TRUE(d.ok());
  EXPECT_EQ(d.remaining(), 0u);
  d.Varint();
  EXPECT_FALSE(d.ok());  // reading past the end latches failure
  std::string bad = "\xff\xff";  // unterminated
  Decoder d2(bad);
  d2.Varint();
  EXPECT_FALSE(d2.ok());
}

TEST(Bitpack, RoundTripEveryWidth) {
  std::mt19937 rng(7);
  for (uint32_t w = 0; w <= 32; ++w) {
    for (size_t n : {1u, 5u, 127u, 128u}) {
      std::vector<uint32_t> in(n);
      for (auto& v : in) v = w == 0 ? 0 : (w == 32 ? rng() : rng() & ((1u << w) - 1));
      std::string out;
      Pack(in.data(), n, w, &out);
      EXPECT_EQ(out.size(), PackedBytes(n, w));
      out.append(8, '\0');  // decoders may read 8 bytes past
      std::vector<uint32_t> back(n);
      Unpack(reinterpret_cast<const uint8_t*>(out.data()), n, w, back.data());
      EXPECT_EQ(in, back) << "width " << w << " n " << n;
      EXPECT_LE(MaxBits(in.data(), n), w);
    }
  }
}

TEST(Bitpack, Deltas) {
  std::vector<uint32_t> gaps = {0, 4, 0, 9};  // docs 0, 5, 6, 16 from base -1
  std::string out;
  Pack(gaps.data(), gaps.size(), 4, &out);
  out.append(8, '\0');
  uint32_t docs[4];
  UnpackDeltas(reinterpret_cast<const uint8_t*>(out.data()), 4, 4, 0xffffffffu, docs);
  EXPECT_EQ(docs[0], 0u);
  EXPECT_EQ(docs[1], 5u);
  EXPECT_EQ(docs[2], 6u);
  EXPECT_EQ(docs[3], 16u);
}

TEST(Utf8, DecodesAWholeStringReplacingTheOutput) {
  std::u32string out = U"old";
  DecodeUtf8("کتاب a\xff", &out);
  EXPECT_EQ(out, std::u32string(U"کتاب a\uFFFD"));
  DecodeUtf8("", &out);
  EXPECT_TRUE(out.empty());
}

TEST(Utf8, ValidateAndRepair) {
  EXPECT_TRUE(IsValidUtf8("پاکستان abc"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));  // a real U+FFFD is valid
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));     // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("ab\xE0"));       // truncated
  bool repaired = false;
  EXPECT_EQ(RepairUtf8("a\xFF" "b", &repaired), "a\xEF\xBF\xBD" "b");
  EXPECT_TRUE(repaired);
  EXPECT_EQ(RepairUtf8("ok", &repaired), "ok");
  EXPECT_FALSE(repaired);
}

TEST(FileLock, SecondWriterIsRefused) {
  std::string p = testing::TempDir("lock") + "/LOCK";
  auto a = FileLock::Acquire(p);
  ASSERT_TRUE(a.ok());
  // flock locks are per open file description: a second open in the same process conflicts.
  auto b = FileLock::Acquire(p);
  EXPECT_FALSE(b.ok());
}

}  // namespace
}  // namespace rasai
