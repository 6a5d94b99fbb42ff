// The token-offset store (<seg>.off): record round trips, the index hooks (flush, merge, check)
// and damage (truncated records, flipped and cut files).
#include "index/offsets.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "index/format.h"
#include "rasai/analysis.h"
#include "test_util.h"
#include "util/coding.h"
#include "util/crc32c.h"

namespace rasai {
namespace {

// One span per position, as the analyzer gives them.
std::vector<TokenSpan> AnalyzerSpans(std::string_view text) {
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  std::vector<TokenSpan> out;
  for (const Token& t : toks)
    if (t.position == out.size()) out.push_back(TokenSpan{t.begin, t.end});
  return out;
}

bool SameSpans(const std::vector<TokenSpan>& a, const std::vector<TokenSpan>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].begin != b[i].begin || a[i].end != b[i].end) return false;
  return true;
}

std::string LongText(int words, uint32_t seed) {
  std::mt19937 rng(seed);
  const char* w[] = {"کراچی", "میں", "بارش", "کیلئے", "rain", "2016ء", "نئی\u200Cدہلی", "x™", "COVID-19", "،", "\"quoted\""};
  std::string s;
  for (int i = 0; i < words; ++i) s += std::string(i ? " " : "") + w[rng() % (sizeof(w) / sizeof(w[0]))];
  return s;
}

TEST(TokenOffsets, RecordRoundTripsAnyRange) {
  for (int words : {0, 1, 63, 64, 65, 200, 1000}) {
    const std::string text = LongText(words, 7 + words);
    std::vector<Token> toks;
    DefaultAnalyzer().Analyze(text, &toks);
    std::string rec;
    EncodeTokenSpans(toks, &rec);
    const std::vector<TokenSpan> want = AnalyzerSpans(text);
    std::vector<TokenSpan> got;
    uint32_t npos = 0;
    ASSERT_TRUE(DecodeTokenSpans(rec, 0, UINT32_MAX, &got, &npos).ok());
    EXPECT_EQ(npos, want.size());
    EXPECT_TRUE(SameSpans(got, want)) << words;
    for (uint32_t from : {0u, 1u, 63u, 64u, 130u, 999u}) {
      for (uint32_t len : {0u, 1u, 32u, 100u}) {
        ASSERT_TRUE(DecodeTokenSpans(rec, from, from + len, &got, &npos).ok());
        std::vector<TokenSpan> part;
        for (uint32_t i = from; i < from + len && i < want.size(); ++i) part.push_back(want[i]);
        EXPECT_TRUE(SameSpans(got, part)) << words << " " << from << " " << len;
      }
    }
  }
}

TEST(TokenOffsets, CompoundAndZwnjSpansAreTheSourceWords) {
  // کیلئے is indexed as two terms at two positions that share the source word.
  const std::string text = "ان کیلئے نئی\u200Cدہلی";
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  std::string rec;
  EncodeTokenSpans(toks, &rec);
  std::vector<TokenSpan> got;
  uint32_t npos = 0;
  ASSERT_TRUE(DecodeTokenSpans(rec, 0, UINT32_MAX, &got, &npos).ok());
  ASSERT_EQ(npos, toks.size());
  for (size_t i = 0; i < toks.size(); ++i) {
    EXPECT_EQ(got[i].begin, toks[i].begin);
    EXPECT_EQ(got[i].end, toks[i].end);
  }
  ASSERT_GE(toks.size(), 3u);
  EXPECT_EQ(text.substr(got[1].begin, got[1].end - got[1].begin), "کیلئے");
  EXPECT_EQ(got[1].begin, got[2].begin);  // the two halves of the compound
}

TEST(TokenOffsets, TruncatedOrGarbledRecordsFailCleanly) {
  const std::string text = LongText(300, 3);
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  std::string rec;
  EncodeTokenSpans(toks, &rec);
  std::vector<TokenSpan> got;
  uint32_t npos = 0;
  for (size_t cut = 0; cut < rec.size(); ++cut) {
    Status s = DecodeTokenSpans(std::string_view(rec).substr(0, cut), 0, UINT32_MAX, &got, &npos);
    EXPECT_TRUE(s.IsCorruption()) << cut << " " << s.ToString();
    if (!s.ok()) {
      EXPECT_NE(s.message().find("token offsets"), std::string::npos);
    }
  }
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {  // never crashes, never reads outside the record
    std::string bad = rec;
    bad[rng() % bad.size()] = static_cast<char>(rng());
    if (i % 3 == 0) bad.resize(rng() % bad.size());
    Status s = DecodeTokenSpans(bad, rng() % 400, rng() % 400, &got, &npos);
    EXPECT_TRUE(s.ok() || s.IsCorruption());
  }
  EXPECT_TRUE(DecodeTokenSpans(std::string(12, '\xff'), 0, 10, &got, &npos).IsCorruption());
}

std::vector<std::string> FilesWith(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path().string());
  return out;
}

Document Doc(int i) {
  Document d;
  d.id = "d" + std::to_string(i);
  d.title = "عنوان " + std::to_string(i);
  d.body = i % 7 == 3 ? "" : LongText(5 + (i * 37) % 300, static_cast<uint32_t>(i));
  return d;
}

// Every document's spans read back from the index equal the analyzer's spans of its body.
void ExpectSpansMatchBodies(const Snapshot& snap) {
  std::vector<TokenSpan> got;
  size_t docs = 0;
  for (const auto& seg : snap.segments()) {
    ASSERT_EQ(seg->OffsetsField(), snap.schema().FieldId("body"));
    for (uint32_t d = 0; d < seg->max_doc(); ++d) {
      if (seg->IsDeleted(d)) continue;
      auto doc = seg->Stored(d);
      ASSERT_TRUE(doc.ok());
      uint32_t npos = 0;
      ASSERT_TRUE(seg->TokenSpans(d, 0, UINT32_MAX, &got, &npos).ok());
      EXPECT_TRUE(SameSpans(got, AnalyzerSpans(doc->body))) << doc->id;
      ++docs;
    }
  }
  EXPECT_EQ(docs, snap.live_docs());
}

TEST(TokenOffsets, WrittenAtFlushCarriedThroughMergesAndChecked) {
  std::string dir = testing::TempDir("off-merge");
  IndexOptions o;
  o.ram_buffer_bytes = 32 << 10;  // several segments
  o.merge_on_commit = false;
  auto idx = Index::Open(dir, o);
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 400; ++i) ASSERT_TRUE((*idx)->Add(Doc(i)).ok());
  ASSERT_TRUE((*idx)->Delete("d5").ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  EXPECT_GT((*idx)->snapshot()->segments().size(), 1u);
  EXPECT_EQ(FilesWith(dir, ".off").size(), (*idx)->snapshot()->segments().size());
  ExpectSpansMatchBodies(*(*idx)->snapshot());
  EXPECT_TRUE((*idx)->Check().ok());
  ASSERT_TRUE((*idx)->Add(Doc(1000)).ok());
  ASSERT_TRUE((*idx)->Delete("d9").ok());
  ASSERT_TRUE((*idx)->ForceMerge().ok());
  ASSERT_EQ((*idx)->snapshot()->segments().size(), 1u);
  ExpectSpansMatchBodies(*(*idx)->snapshot());
  EXPECT_TRUE((*idx)->Check().ok());
  EXPECT_TRUE(std::filesystem::exists(FilesWith(dir, ".off").at(0)));
  // The manifest names the file.
  EXPECT_NE(testing::ReadFile(dir + "/MANIFEST").find(".off "), std::string::npos);
}

TEST(TokenOffsets, NoBodyFieldNoOffsets) {
  std::string dir = testing::TempDir("off-nobody");
  IndexOptions o;
  o.schema.fields = {"title"};
  auto idx = Index::Open(dir, o);
  ASSERT_TRUE(idx.ok());
  ASSERT_TRUE((*idx)->Add(Doc(1)).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  EXPECT_TRUE(FilesWith(dir, ".off").empty());
  const auto& seg = *(*idx)->snapshot()->segments().at(0);
  EXPECT_EQ(seg.OffsetsField(), -1);
  std::vector<TokenSpan> got;
  uint32_t npos = 0;
  EXPECT_TRUE(seg.TokenSpans(0, 0, 10, &got, &npos).IsNotFound());
}

// An index written before offsets existed: its segments have no .off; search falls back, and a
// merge makes the records from the stored bodies.
TEST(TokenOffsets, SegmentsWithoutOffsetsAreReadAndGetThemWhenMerged) {
  std::string dir = testing::TempDir("off-old");
  IndexOptions o;
  o.merge_on_commit = false;
  {
    auto idx = Index::Open(dir, o);
    ASSERT_TRUE(idx.ok());
    for (int i = 0; i < 30; ++i) ASSERT_TRUE((*idx)->Add(Doc(i)).ok());
    ASSERT_TRUE((*idx)->Commit().ok());
    for (int i = 30; i < 60; ++i) ASSERT_TRUE((*idx)->Add(Doc(i)).ok());
    ASSERT_TRUE((*idx)->Commit().ok());
  }
  // Rewrite the manifest without the .off files (and its checksum), as an older writer made it.
  std::string m = testing::ReadFile(dir + "/MANIFEST"), kept;
  std::istringstream in(m);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("crc ", 0) != 0 && line.find(".off ") == std::string::npos) kept += line + "\n";
  char crc[32];
  std::snprintf(crc, sizeof crc, "crc %08x\n", Crc32c(0, kept.data(), kept.size()));
  { std::ofstream(dir + "/MANIFEST", std::ios::binary | std::ios::trunc) << kept << crc; }
  for (const auto& f : FilesWith(dir, ".off")) std::filesystem::remove(f);
  auto idx = Index::Open(dir, o);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  ASSERT_EQ((*idx)->snapshot()->segments().size(), 2u);
  for (const auto& seg : (*idx)->snapshot()->segments()) EXPECT_EQ(seg->OffsetsField(), -1);
  EXPECT_TRUE((*idx)->Check().ok());
  ASSERT_TRUE((*idx)->Add(Doc(100)).ok());
  ASSERT_TRUE((*idx)->ForceMerge().ok());
  ASSERT_EQ((*idx)->snapshot()->segments().size(), 1u);
  ExpectSpansMatchBodies(*(*idx)->snapshot());
  EXPECT_TRUE((*idx)->Check().ok());
}

std::string BuildSmall(const std::string& tag) {
  std::string dir = testing::TempDir(tag);
  auto idx = Index::Open(dir, IndexOptions());
  EXPECT_TRUE(idx.ok());
  for (int i = 0; i < 120; ++i) EXPECT_TRUE((*idx)->Add(Doc(i)).ok());
  EXPECT_TRUE((*idx)->Commit().ok());
  return dir;
}

TEST(TokenOffsetsDamage, FlippedByteIsFoundByCheck) {
  std::string dir = BuildSmall("off-flip");
  std::string f = FilesWith(dir, ".off").at(0);
  std::string data = testing::ReadFile(f);
  for (size_t at : {size_t{12} + 40, data.size() / 2, data.size() - 16 - 20}) {
    data[at] ^= 0x5a;
    { std::ofstream(f, std::ios::binary | std::ios::trunc) << data; }
    auto idx = Index::OpenReadOnly(dir);
    if (idx.ok()) {
      Status s = (*idx)->Check();
      EXPECT_TRUE(s.IsCorruption()) << at << ": " << s.ToString();
      // Reading still never crashes.
      std::vector<TokenSpan> got;
      uint32_t npos = 0;
      for (const auto& seg : (*idx)->snapshot()->segments())
        for (uint32_t d = 0; d < seg->max_doc(); ++d) {
          Status r = seg->TokenSpans(d, 0, UINT32_MAX, &got, &npos);
          EXPECT_TRUE(r.ok() || r.IsCorruption()) << r.ToString();
        }
    } else {
      EXPECT_TRUE(idx.status().IsCorruption()) << at << ": " << idx.status().ToString();
    }
    data[at] ^= 0x5a;
  }
  { std::ofstream(f, std::ios::binary | std::ios::trunc) << data; }
  auto healed = Index::OpenReadOnly(dir);
  ASSERT_TRUE(healed.ok());
  EXPECT_TRUE((*healed)->Check().ok());
}

TEST(TokenOffsetsDamage, TruncatedFileFailsToOpen) {
  std::string dir = BuildSmall("off-trunc");
  std::string f = FilesWith(dir, ".off").at(0);
  std::filesystem::resize_file(f, std::filesystem::file_size(f) / 2);
  auto idx = Index::OpenReadOnly(dir);
  ASSERT_FALSE(idx.ok());
  EXPECT_TRUE(idx.status().IsCorruption()) << idx.status().ToString();
}

// A file whose checksums are right but whose content lies: caught by Open or Check.
TEST(TokenOffsetsDamage, BadTableOrSpansWithGoodChecksums) {
  std::string dir = testing::TempDir("off-forge");
  auto posix = OpenPosixDirectory(dir, true);
  ASSERT_TRUE(posix.ok());
  {  // table offset past the data
    auto w = FormatWriter::Create(posix->get(), "a.off", "OFF1");
    ASSERT_TRUE(w.ok());
    std::string body;
    PutFixed64(&body, 0);
    PutFixed64(&body, 999);
    PutFixed32(&body, 0);
    PutFixed32(&body, 1);
    PutFixed64(&body, 0);
    ASSERT_TRUE((*w)->Append(body).ok());
    FileInfo fi;
    ASSERT_TRUE((*w)->Finish(&fi).ok());
    auto f = OffsetsFile::Open(**posix, "a.off", 1);
    EXPECT_TRUE(f.status().IsCorruption()) << f.status().ToString();
    EXPECT_TRUE(OffsetsFile::Open(**posix, "a.off", 2).status().IsCorruption());
  }
  {  // a record that does not decode
    auto w = OffsetsWriter::Create(posix->get(), "b", 0);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Add(std::string("\x05\x01", 2)).ok());  // 5 positions, 1 byte of data
    ASSERT_TRUE((*w)->Add("").ok());
    FileInfo fi;
    ASSERT_TRUE((*w)->Finish(&fi).ok());
    auto f = OffsetsFile::Open(**posix, "b.off", 2);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    std::string_view rec;
    ASSERT_TRUE((*f)->Record(0, &rec).ok());
    std::vector<TokenSpan> got;
    uint32_t npos = 0;
    EXPECT_TRUE(DecodeTokenSpans(rec, 0, 5, &got, &npos).IsCorruption());
    EXPECT_TRUE((*f)->Record(2, &rec).IsCorruption());
    EXPECT_TRUE((*f)->VerifyCrc().ok());
  }
}

}  // namespace
}  // namespace rasai
