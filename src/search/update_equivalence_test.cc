// Updating an index in place (replace 10% of the documents, delete 1%) answers every dev query
// exactly as a fresh build of the final collection does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "rasai/ingest.h"
#include "rasai/search.h"
#include "test_util.h"

namespace rasai {
namespace {

std::vector<Document> LoadUrdu(const std::string& data) {
  std::vector<Document> docs;
  IngestStats st;
  for (const char* f : {"/urdu/urdu-news.jsonl", "/urdu/urdu-headlines.jsonl"}) {
    Status s = IngestPath(data + f, [&](Document&& d) {
      docs.push_back(std::move(d));
      return Status::OK();
    }, &st);
    EXPECT_TRUE(s.ok());
  }
  return docs;
}

// A query's answer with ties put in id order, and the ids of the last tied score group dropped
// (which of several equal-scored documents makes the cut may depend on document order).
std::vector<std::pair<double, std::string>> Answer(const Searcher& s, const std::string& q) {
  SearchRequest r;
  r.query = q;
  r.n = 10;
  r.snippets = false;
  auto res = s.Search(r);
  EXPECT_TRUE(res.ok());
  std::vector<std::pair<double, std::string>> out;
  for (const auto& h : res->hits) out.emplace_back(std::round(h.score * 1e6) / 1e6, h.id);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (out.size() == 10) {
    const double last = out.back().first;
    for (auto& p : out)
      if (p.first == last) p.second = "(tied)";
  }
  return out;
}

TEST(RealData, ReplaceTenPercentDeleteOnePercentEqualsAFreshBuild) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string data = testing::SharedData();
  std::vector<Document> docs = LoadUrdu(data);
  ASSERT_EQ(docs.size(), 74673u);
  IndexOptions opts;
  opts.schema.fields = {"title", "body"};
  opts.ram_buffer_bytes = 16 << 20;  // several segments, so merges and cross-segment deletes happen

  // In place: the original collection, then every 10th document replaced by a changed version
  // and every 100th (offset 5) deleted, in a second commit.
  std::string updated_dir = testing::TempDir("updated");
  auto updated = Index::Open(updated_dir, opts);
  ASSERT_TRUE(updated.ok());
  for (const auto& d : docs) ASSERT_TRUE((*updated)->Add(d).ok());
  ASSERT_TRUE((*updated)->Commit().ok());
  std::vector<Document> final_docs;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i % 100 == 5) {
      ASSERT_TRUE((*updated)->Delete(docs[i].id).ok());
      continue;
    }
    Document d = docs[i];
    if (i % 10 == 0) {
      d.title += " (تازہ)";
      d.body = d.body.substr(0, d.body.size() / 2);
      ASSERT_TRUE((*updated)->Add(d).ok());
    }
    final_docs.push_back(std::move(d));
  }
  ASSERT_TRUE((*updated)->Commit().ok());
  // Statistics of deleted documents linger until a merge, as in every segment engine: merge.
  ASSERT_TRUE((*updated)->ForceMerge().ok());

  std::string fresh_dir = testing::TempDir("fresh");
  auto fresh = Index::Open(fresh_dir, opts);
  ASSERT_TRUE(fresh.ok());
  for (const auto& d : final_docs) ASSERT_TRUE((*fresh)->Add(d).ok());
  ASSERT_TRUE((*fresh)->Commit().ok());
  ASSERT_TRUE((*fresh)->ForceMerge().ok());

  ASSERT_EQ((*updated)->snapshot()->live_docs(), final_docs.size());
  ASSERT_EQ((*fresh)->snapshot()->live_docs(), final_docs.size());
  Searcher a((*updated)->snapshot()), b((*fresh)->snapshot());
  for (const char* file : {"/urdu/queries-dev.tsv", "/urdu/queries-dev-variant.tsv", "/urdu/queries-dev-mid.tsv",
                           "/urdu/queries-dev-summary.tsv"}) {
    std::ifstream in(data + file);
    std::string line;
    size_t n = 0, differ = 0;
    while (std::getline(in, line)) {
      std::string q = line.substr(line.find('\t') + 1);
      q = q.substr(0, q.find('\t'));
      ++n;
      auto x = Answer(a, q), y = Answer(b, q);
      if (x != y && ++differ <= 3) ADD_FAILURE() << file << ": " << q << " answers differ";
    }
    EXPECT_EQ(n, 973u);
    EXPECT_EQ(differ, 0u) << file;
  }
}

}  // namespace
}  // namespace rasai
