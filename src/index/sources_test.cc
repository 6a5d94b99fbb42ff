#include "rasai/sources.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "test_util.h"

namespace rasai {
namespace {

Document Doc(const std::string& id, const std::string& source) {
  Document d;
  d.id = id;
  d.title = "title " + id;
  d.body = "body of " + id;
  d.source = source;
  return d;
}

std::set<std::string> LiveIds(const Snapshot& s) {
  std::set<std::string> ids;
  for (const auto& seg : s.segments())
    for (uint32_t d = 0; d < seg->max_doc(); ++d)
      if (!seg->IsDeleted(d)) ids.insert(seg->StoredHead(d)->id);
  return ids;
}

TEST(Sources, DeleteSourceRemovesEveryDocumentOfThatSourceAcrossSegments) {
  const std::string dir = testing::TempDir("sources");
  IndexOptions opts;
  opts.merge_on_commit = false;  // keep several segments
  auto index = Index::Open(dir, opts);
  ASSERT_TRUE(index.ok());
  Index* ix = index->get();
  for (int seg = 0; seg < 3; ++seg) {
    for (int i = 0; i < 50; ++i) {
      const std::string n = std::to_string(seg) + "-" + std::to_string(i);
      ASSERT_TRUE(ix->Add(Doc("a/" + n, "archive")).ok());
      ASSERT_TRUE(ix->Add(Doc("b/" + n, "archive-2")).ok());  // a name that starts the same
      ASSERT_TRUE(ix->Add(Doc("c/" + n, "")).ok());
    }
    ASSERT_TRUE(ix->Commit().ok());
  }
  ASSERT_TRUE(ix->Delete("a/1-7").ok());
  ASSERT_TRUE(ix->Commit().ok());
  EXPECT_EQ(CountSource(*ix->snapshot(), "archive"), 149u);
  EXPECT_EQ(CountSource(*ix->snapshot(), "archive-2"), 150u);
  EXPECT_EQ(CountSource(*ix->snapshot(), ""), 0u);

  // Keep the documents of segment 2: only the others go.
  auto kept = DeleteSource(ix, "archive", [](std::string_view id) { return id.starts_with("a/2-"); });
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, 99u);
  ASSERT_TRUE(ix->Commit().ok());
  EXPECT_EQ(CountSource(*ix->snapshot(), "archive"), 50u);

  auto all = DeleteSource(ix, "archive");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 50u);
  ASSERT_TRUE(ix->Commit().ok());
  const auto ids = LiveIds(*ix->snapshot());
  EXPECT_EQ(ids.size(), 300u);
  for (const auto& id : ids) EXPECT_FALSE(id.starts_with("a/")) << id;
  EXPECT_EQ(CountSource(*ix->snapshot(), "archive"), 0u);

  auto none = DeleteSource(ix, "no such source");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
  EXPECT_FALSE(DeleteSource(ix, "").ok());

  // The deletions survive reopening.
  index->reset();
  auto again = Index::OpenReadOnly(dir);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->snapshot()->live_docs(), 300u);
}

// The documents without a source are deleted by DeleteSourceless only; the progress callback
// sees every 256 deletions and can stop them.
TEST(Sources, SourcelessDocumentsAndProgress) {
  const std::string dir = testing::TempDir("sources-progress");
  auto index = Index::Open(dir, IndexOptions{});
  ASSERT_TRUE(index.ok());
  Index* ix = index->get();
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(ix->Add(Doc("n/" + std::to_string(i), "")).ok());
    ASSERT_TRUE(ix->Add(Doc("s/" + std::to_string(i), "site")).ok());
  }
  ASSERT_TRUE(ix->Commit().ok());

  std::vector<uint64_t> seen;
  auto stopped = DeleteSource(ix, "site", nullptr, [&](uint64_t n) {
    seen.push_back(n);
    return false;
  });
  EXPECT_EQ(stopped.status().code(), Status::Code::kAborted);
  EXPECT_EQ(seen, std::vector<uint64_t>({256}));

  seen.clear();
  auto unsourced = DeleteSourceless(ix, [&](uint64_t n) {
    seen.push_back(n);
    return true;
  });
  ASSERT_TRUE(unsourced.ok());
  EXPECT_EQ(*unsourced, 600u);
  EXPECT_EQ(seen, std::vector<uint64_t>({256, 512}));
  ASSERT_TRUE(ix->Commit().ok());
  for (const auto& id : LiveIds(*ix->snapshot())) EXPECT_TRUE(id.starts_with("s/")) << id;
}

}  // namespace
}  // namespace rasai
