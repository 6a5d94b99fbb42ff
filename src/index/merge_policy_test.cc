// The merge policy (which segments merge next), and what it is for: an index whose merges are
// cut short again and again (the process killed while documents are being posted) still comes
// down in segments, since each merge is small enough to finish.
#include "index/merge_policy.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "util/fault_injection_directory.h"

namespace rasai {
namespace {

MergeCandidate Seg(uint64_t bytes, uint32_t docs = 100, uint32_t live = 100) { return {docs, live, bytes}; }

constexpr uint64_t kMiB = 1 << 20;

TEST(MergePolicy, NothingWhileFewSegments) {
  MergePolicy p;
  std::vector<MergeCandidate> s(8, Seg(kMiB / 2));
  EXPECT_TRUE(PickMerge(s, false, p).empty());
  s.push_back(Seg(kMiB / 2));
  EXPECT_EQ(PickMerge(s, false, p).size(), 8u);
}

TEST(MergePolicy, TheSmallestTierFirstAndNeverMixed) {
  MergePolicy p;
  // Four large segments, five of a middle tier, two small ones: the two small ones merge alone,
  // though the factor allows eight.
  std::vector<MergeCandidate> s = {Seg(60 * kMiB), Seg(3 * kMiB), Seg(60 * kMiB), Seg(200 * 1024),
                                   Seg(3 * kMiB),  Seg(60 * kMiB), Seg(3 * kMiB), Seg(4 * kMiB),
                                   Seg(300 * 1024), Seg(60 * kMiB), Seg(5 * kMiB)};
  EXPECT_EQ(PickMerge(s, false, p), (std::vector<size_t>{3, 8}));
  // Without them, the middle tier's five.
  s.erase(s.begin() + 8);
  s.erase(s.begin() + 3);
  EXPECT_EQ(PickMerge(s, false, p), (std::vector<size_t>{1, 3, 5, 6, 8}));
  EXPECT_EQ(MergeTier(Seg(kMiB / 2), p), 0);
  EXPECT_EQ(MergeTier(Seg(3 * kMiB), p), 1);
  EXPECT_EQ(MergeTier(Seg(60 * kMiB), p), 2);
}

TEST(MergePolicy, OneMergeReadsAtMostTheBound) {
  MergePolicy p;
  p.max_merge_bytes = 10 * kMiB;
  std::vector<MergeCandidate> s(12, Seg(2 * kMiB));
  std::vector<size_t> pick = PickMerge(s, false, p);
  EXPECT_EQ(pick.size(), 5u);  // 5 x 2 MiB
  // Segments over half the bound stay as they are: nine of them are no reason to merge.
  std::vector<MergeCandidate> big(9, Seg(6 * kMiB));
  EXPECT_TRUE(PickMerge(big, false, p).empty());
  big.push_back(Seg(kMiB));
  EXPECT_TRUE(PickMerge(big, false, p).empty());
  EXPECT_EQ(PickMerge(big, true, p).size(), 10u);  // a forced merge has no bound
}

TEST(MergePolicy, DeletedDocumentsMakeASegmentSmaller) {
  MergePolicy p;
  EXPECT_EQ(MergeTier(Seg(60 * kMiB, 1000, 1000), p), 2);
  EXPECT_EQ(MergeTier(Seg(60 * kMiB, 1000, 10), p), 0);  // 0.6 MiB of live documents
}

TEST(MergePolicy, AForcedMergeTakesAllUnlessDone) {
  MergePolicy p;
  EXPECT_TRUE(PickMerge({Seg(kMiB)}, true, p).empty());
  EXPECT_EQ(PickMerge({Seg(kMiB, 100, 90)}, true, p), (std::vector<size_t>{0}));
  EXPECT_EQ(PickMerge({Seg(kMiB), Seg(kMiB)}, true, p), (std::vector<size_t>{0, 1}));
}

// ---------------------------------------------------------------------------------------------
// Killed again and again while documents are posted.

Document Post(int n) {
  Document d;
  d.id = "p" + std::to_string(n);
  d.title = "post " + std::to_string(n);
  for (int k = 0; k < 12; ++k) d.body += "word" + std::to_string((n * 7 + k) % 50) + " river mountain ";
  return d;
}

size_t Segments(const FaultInjectionDirectory& disk, const IndexOptions& o) {
  auto idx = Index::Open(disk.NewFaultHandle(), o);
  EXPECT_TRUE(idx.ok()) << idx.status().ToString();
  if (!idx.ok()) return 0;
  EXPECT_TRUE((*idx)->Check().ok());
  return (*idx)->stats().segments;
}

TEST(MergeProgress, RepeatedKillsStillBringTheSegmentCountDown) {
  IndexOptions o;
  o.index_threads = 1;
  o.merge_on_commit = false;
  FaultInjectionDirectory disk;
  // 48 segments of 30 documents: what lives whose merges never finished left.
  constexpr size_t kStart = 48;
  int n = 0;
  {
    auto idx = Index::Open(disk.NewFaultHandle(), o);
    ASSERT_TRUE(idx.ok());
    for (size_t s = 0; s < kStart; ++s) {
      for (int k = 0; k < 30; ++k) ASSERT_TRUE((*idx)->Add(Post(n++)).ok());
      ASSERT_TRUE((*idx)->Commit().ok());
    }
  }
  ASSERT_EQ(Segments(disk, o), kStart);
  const uint64_t seg_bytes = disk.BytesUsed() / kStart;
  // Each life of the server: open, 20 documents posted and committed (merges follow), killed
  // once it has written five segments' worth of bytes, the power cut with it. A merge of the
  // eight smallest segments at once (the policy before) writes about eight: none finishes, and
  // every life adds a segment (108 after the 60 lives).
  o.merge_on_commit = true;
  o.max_merge_bytes = 3 * seg_bytes;  // merges of two or three such segments at most
  constexpr int kLives = 60, kPosted = 20;
  for (int life = 0; life < kLives; ++life) {
    disk.SetPlan({.crash_after_bytes = 5 * seg_bytes});
    {
      auto idx = Index::Open(disk.NewFaultHandle(), o);
      ASSERT_TRUE(idx.ok()) << idx.status().ToString();
      Status st;
      for (int k = 0; k < kPosted && st.ok(); ++k) st = (*idx)->Add(Post(n++));
      if (st.ok()) (*idx)->Commit().PermitUnchecked();
    }
    disk.PowerCut();
    disk.SetPlan({});
  }
  const size_t after = Segments(disk, o);
  EXPECT_LT(after, kStart) << kStart << " segments before; " << kLives << " lives added one each";
  auto idx = Index::Open(disk.NewFaultHandle(), o);
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ((*idx)->stats().live_docs, kStart * 30 + kLives * kPosted);  // every post was acknowledged
}

}  // namespace
}  // namespace rasai
