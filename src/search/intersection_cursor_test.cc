#include "search/intersection_cursor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rasai/analysis.h"
#include "rasai/index.h"
#include "test_util.h"

namespace rasai {
namespace {

// One segment of bodies made of the words a..e; the terms are the words themselves.
class IntersectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = Index::Open(testing::TempDir("intersection"), IndexOptions());
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    const std::vector<std::string> bodies = {
        "alpha beta gamma",             // 0: alpha beta once
        "beta alpha",                   // 1: both, never in order
        "alpha beta alpha beta delta",  // 2: alpha beta twice
        "gamma delta",                  // 3: neither
        "alpha gamma beta",             // 4: both, apart
        "alpha beta",                   // 5: once; beta's list ends here
        "alpha alpha"};                 // 6: alpha alone
    for (size_t i = 0; i < bodies.size(); ++i) {
      Document d;
      d.id = "d" + std::to_string(i);
      d.body = bodies[i];
      ASSERT_TRUE(index_->Add(d).ok());
    }
    ASSERT_TRUE(index_->Commit().ok());
    snap_ = index_->snapshot();
    ASSERT_EQ(snap_->segments().size(), 1u);
  }
  PostingsCursor Cursor(const std::string& word) {
    const SegmentReader& seg = *snap_->segments()[0];
    TermInfo ti;
    EXPECT_TRUE(seg.Lookup(seg.schema().FieldId("body"), DefaultAnalyzer().Term(word), &ti)) << word;
    return seg.Postings(ti);
  }
  std::unique_ptr<Index> index_;
  std::shared_ptr<const Snapshot> snap_;
};

TEST_F(IntersectionTest, LeapfrogAndLeadWalkFindTheSameDocumentsAndPhrases) {
  IntersectionCursor x;
  x.Add(Cursor("alpha"));
  x.Add(Cursor("beta"));
  std::vector<std::pair<uint32_t, uint32_t>> leapfrog;  // (doc, phrase frequency)
  for (uint32_t d = x.Advance(0); d != IntersectionCursor::kEnd; d = x.Advance(d + 1))
    leapfrog.emplace_back(d, x.PhraseFreq());
  const std::vector<std::pair<uint32_t, uint32_t>> want = {{0, 1}, {1, 0}, {2, 2}, {4, 0}, {5, 1}};
  EXPECT_EQ(leapfrog, want);

  IntersectionCursor y;
  y.Add(Cursor("alpha"));
  y.Add(Cursor("beta"));
  EXPECT_EQ(y.lead().df(), 5u);  // beta, the rarer (alpha is in 6 documents)
  std::vector<std::pair<uint32_t, uint32_t>> walked;
  bool exhausted = false;
  for (uint32_t d = y.lead().doc(); d != IntersectionCursor::kEnd; d = y.NextLead()) {
    if (y.OthersOn(d)) walked.emplace_back(d, y.PhraseFreq());
    else exhausted = exhausted || y.OthersExhausted();
  }
  EXPECT_EQ(walked, want);
  EXPECT_FALSE(exhausted);  // every beta document holds alpha
}

TEST_F(IntersectionTest, OneTermIsItsListAndAnEndedListEndsTheIntersection) {
  IntersectionCursor one;
  one.Add(Cursor("alpha"));
  EXPECT_EQ(one.Advance(3), 4u);
  EXPECT_EQ(one.PhraseFreq(), 1u);
  EXPECT_EQ(one.Advance(6), 6u);
  EXPECT_EQ(one.PhraseFreq(), 2u);  // a term's frequency
  IntersectionCursor x;
  x.Add(Cursor("alpha"));
  x.Add(Cursor("delta"));  // the rarer: documents 2 and 3
  EXPECT_EQ(x.Advance(0), 2u);
  EXPECT_EQ(x.Advance(3), IntersectionCursor::kEnd);
  IntersectionCursor y;
  y.Add(Cursor("delta"));  // lead
  y.Add(Cursor("gamma"));  // documents 0, 3, 4
  EXPECT_FALSE(y.OthersOn(y.lead().doc()));  // document 2 lacks gamma
  EXPECT_FALSE(y.OthersExhausted());
  EXPECT_EQ(y.NextLead(), 3u);
  EXPECT_TRUE(y.OthersOn(3));
  EXPECT_EQ(y.PhraseFreq(), 0u);  // "delta gamma" never stands in that order
}

TEST_F(IntersectionTest, ARepeatedTermIsFoundOnlyWhereItStandsThatOftenInARow) {
  // «alpha alpha»: only document 6 has it; document 2 has alpha twice apart, 0, 1, 4, 5 once.
  auto walk = [&](bool repeated) {
    IntersectionCursor x;
    x.Add(Cursor("alpha"));
    x.Add(Cursor("alpha"));
    if (repeated) x.SetRepeatedTerm(2);
    std::vector<std::pair<uint32_t, uint32_t>> got;
    for (uint32_t d = x.Advance(0); d != IntersectionCursor::kEnd; d = x.Advance(d + 1)) got.emplace_back(d, x.PhraseFreq());
    return got;
  };
  const std::vector<std::pair<uint32_t, uint32_t>> want = {{0, 0}, {1, 0}, {2, 0}, {4, 0}, {5, 0}, {6, 1}};
  EXPECT_EQ(walk(false), want);
  EXPECT_EQ(walk(true), want);
}

}  // namespace
}  // namespace rasai
