#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "search/collector.h"
#include "test_util.h"

namespace rasai {
namespace {

// A segment whose documents carry sources and dates for the filters and facets.
class CollectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = Index::Open(testing::TempDir("collectors"), IndexOptions());
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    const char* sources[] = {"bbc", "voa", "bbc", "express"};
    const char* dates[] = {"2016-01-05", "2015-06-01", "2016-03", ""};
    for (int i = 0; i < 4; ++i) {
      Document d;
      d.id = "d" + std::to_string(i);
      d.body = "news number " + std::to_string(i);
      d.source = sources[i];
      d.date = dates[i];
      ASSERT_TRUE(index_->Add(d).ok());
    }
    ASSERT_TRUE(index_->Commit().ok());
    snap_ = index_->snapshot();
    ASSERT_EQ(snap_->segments().size(), 1u);
  }
  const SegmentReader& seg() { return *snap_->segments()[0]; }
  std::unique_ptr<Index> index_;
  std::shared_ptr<const Snapshot> snap_;
};

std::vector<uint32_t> Docs(const std::vector<Candidate>& top) {
  std::vector<uint32_t> out;
  for (const Candidate& c : top) out.push_back(c.doc);
  return out;
}

TEST_F(CollectorsTest, TopDocsKeepsTheBestAndReportsTheKth) {
  TopDocsCollector top(2, TopDocsCollector::Order::kRelevance);
  EXPECT_TRUE(top.TakesBest());
  ASSERT_TRUE(top.BeginSegment(0, seg()));
  EXPECT_TRUE(std::isinf(top.MinCompetitiveScore()));
  EXPECT_TRUE(top.Collect(0, 1.0, 1, nullptr));
  EXPECT_TRUE(top.Collect(1, 3.0, 1, nullptr));
  EXPECT_EQ(top.MinCompetitiveScore(), 1.0);
  EXPECT_FALSE(top.Collect(2, 0.5, 1, nullptr));  // below the 2nd
  EXPECT_TRUE(top.Collect(3, 2.0, 1, nullptr));
  EXPECT_EQ(top.MinCompetitiveScore(), 2.0);
  EXPECT_EQ(top.total(), 4u);  // every document collected counts
  EXPECT_EQ(Docs(top.Take()), (std::vector<uint32_t>{1, 3}));
}

TEST_F(CollectorsTest, TiesGoToTheNewerArticle) {
  TopDocsCollector top(3, TopDocsCollector::Order::kRelevance);
  ASSERT_TRUE(top.BeginSegment(0, seg()));
  for (uint32_t d = 0; d < 3; ++d) top.Collect(d, 1.0, 1, nullptr);
  EXPECT_EQ(Docs(top.Take()), (std::vector<uint32_t>{2, 0, 1}));  // 2016-03, 2016-01-05, 2015-06-01
}

// Copies of one text tie on everything but where they are stored: the first added comes first
// whether the copies share a segment or not.
TEST(CollectorsCopies, TheFirstAddedCopyComesFirstHoweverSegmentsAreCut) {
  for (bool one_segment : {true, false}) {
    IndexOptions opts;
    opts.merge_on_commit = false;
    auto idx = Index::Open(testing::TempDir(one_segment ? "copies1" : "copies3"), opts);
    ASSERT_TRUE(idx.ok());
    for (int i = 0; i < 3; ++i) {
      Document d;
      d.id = "copy" + std::to_string(i);
      d.body = "the same text";
      d.date = "2020-01-01";
      ASSERT_TRUE((*idx)->Add(d).ok());
      if (!one_segment) {
        ASSERT_TRUE((*idx)->Commit().ok());
      }
    }
    ASSERT_TRUE((*idx)->Commit().ok());
    auto snap = (*idx)->snapshot();
    ASSERT_EQ(snap->segments().size(), one_segment ? 1u : 3u);
    TopDocsCollector top(3, TopDocsCollector::Order::kRelevance);
    // Newest segment first, to show that the order of collection does not matter either.
    for (uint32_t s = snap->segments().size(); s-- > 0;) {
      ASSERT_TRUE(top.BeginSegment(s, *snap->segments()[s]));
      for (uint32_t d = 0; d < snap->segments()[s]->max_doc(); ++d) top.Collect(d, 1.0, 1, nullptr);
    }
    std::vector<std::string> ids;
    for (const Candidate& c : top.Take()) {
      auto doc = snap->segments()[c.seg]->StoredHead(c.doc);
      ASSERT_TRUE(doc.ok());
      ids.push_back(doc->id);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"copy0", "copy1", "copy2"})) << "one segment: " << one_segment;
  }
}

TEST_F(CollectorsTest, DateOrdersTakeEveryMatchMoreWordsFirst) {
  TopDocsCollector newest(4, TopDocsCollector::Order::kDateDesc);
  EXPECT_FALSE(newest.TakesBest());
  ASSERT_TRUE(newest.BeginSegment(0, seg()));
  newest.Collect(0, 1.0, 1, nullptr);
  newest.Collect(1, 9.0, 2, nullptr);  // more of the query's words: first, whatever its date
  newest.Collect(2, 1.0, 1, nullptr);
  newest.Collect(3, 1.0, 1, nullptr);  // undated: last of its level
  EXPECT_EQ(Docs(newest.Take()), (std::vector<uint32_t>{1, 2, 0, 3}));
  TopDocsCollector oldest(4, TopDocsCollector::Order::kDateAsc);
  ASSERT_TRUE(oldest.BeginSegment(0, seg()));
  for (uint32_t d = 0; d < 4; ++d) oldest.Collect(d, 1.0, 1, nullptr);
  EXPECT_EQ(Docs(oldest.Take()), (std::vector<uint32_t>{3, 1, 0, 2}));  // undated first
}

TEST_F(CollectorsTest, FiltersFacetsCountsAndOneDocumentLeftOut) {
  CountCollector count;
  FacetCollector facets(&count);
  DocFilters f;
  f.source = "bbc";
  FilterCollector filter(&facets, f);
  EXPECT_FALSE(filter.TakesBest());  // facets need every match
  EXPECT_TRUE(filter.Filters());
  ASSERT_TRUE(filter.BeginSegment(0, seg()));
  for (uint32_t d = 0; d < 4; ++d) filter.Collect(d, 1.0, 1, nullptr);
  EXPECT_EQ(count.total(), 2u);
  auto counted = facets.Take();
  EXPECT_EQ(counted["source"], (std::map<std::string, uint64_t>{{"bbc", 2}}));
  EXPECT_EQ(counted["year"], (std::map<std::string, uint64_t>{{"2016", 2}}));

  DocFilters missing;
  missing.source = "dawn";  // no document of the segment has it
  CountCollector none;
  FilterCollector skip(&none, missing);
  EXPECT_FALSE(skip.BeginSegment(0, seg()));

  DocFilters dates;
  dates.from = 20160101;
  dates.to = 20161231;
  CountCollector in_2016;
  FilterCollector by_date(&in_2016, dates);
  ASSERT_TRUE(by_date.BeginSegment(0, seg()));
  for (uint32_t d = 0; d < 4; ++d) by_date.Collect(d, 1.0, 1, nullptr);
  EXPECT_EQ(in_2016.total(), 2u);  // 2016-01-05 and 2016-03; not 2015, not undated

  TopDocsCollector top(5, TopDocsCollector::Order::kRelevance);
  SkipDocCollector others(&top, 0, 1);
  EXPECT_TRUE(others.TakesBest());
  ASSERT_TRUE(others.BeginSegment(0, seg()));
  for (uint32_t d = 0; d < 4; ++d) others.Collect(d, 1.0 + d, 1, nullptr);
  EXPECT_EQ(Docs(top.Take()), (std::vector<uint32_t>{3, 2, 0}));
}

}  // namespace
}  // namespace rasai
