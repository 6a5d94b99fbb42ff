// Top-k pruning (MaxScore with block bounds) returns exactly what the exhaustive evaluation
// returns. A request with facets is always evaluated exhaustively (facets need every match), so
// each query is answered twice, with and without facets, and the hits must agree: same ids, same
// order, same scores.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "rasai/ingest.h"
#include "rasai/search.h"
#include "test_util.h"

namespace rasai {
namespace {

SearchResult Ask(const Searcher& s, const std::string& q, uint32_t n, bool exhaustive,
                 SearchRequest::Sort sort = SearchRequest::Sort::kRelevance, const std::string& source = "") {
  SearchRequest r;
  r.query = q;
  r.n = n;
  r.snippets = false;
  r.facets = exhaustive;
  r.sort = sort;
  r.source = source;
  auto res = s.Search(r);
  EXPECT_TRUE(res.ok()) << q;
  return res.ok() ? *res : SearchResult();
}

// Empty when the two answers agree; else what differs.
std::string Differ(const SearchResult& pruned, const SearchResult& exact) {
  if (pruned.hits.size() != exact.hits.size())
    return "hit count " + std::to_string(pruned.hits.size()) + " vs " + std::to_string(exact.hits.size());
  for (size_t i = 0; i < exact.hits.size(); ++i) {
    const Hit& a = pruned.hits[i];
    const Hit& b = exact.hits[i];
    if (a.id != b.id) return "rank " + std::to_string(i) + ": " + a.id + " vs " + b.id;
    if (std::abs(a.score - b.score) > 1e-9 * std::abs(b.score))
      return "rank " + std::to_string(i) + ": score " + std::to_string(a.score) + " vs " + std::to_string(b.score);
  }
  if (!exact.total_exact) return "the exhaustive total is flagged inexact";
  if (pruned.total_exact && pruned.total != exact.total)
    return "total flagged exact but " + std::to_string(pruned.total) + " vs " + std::to_string(exact.total);
  return "";
}

// --- a synthetic collection: three segments, deletions, sources, dates -------------------------
class PruningFixture : public ::testing::Test {
 protected:
  static constexpr int kVocab = 300;
  static std::string Word(int i) { return "w" + std::to_string(i); }

  void SetUp() override {
    dir_ = testing::TempDir("maxscore");
    IndexOptions opts;
    opts.schema.fields = {"title", "body"};
    opts.merge_on_commit = false;
    auto idx = Index::Open(dir_, opts);
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    std::mt19937 rng(7);
    // Zipf-like word choice: word i with weight 1/(i+1).
    std::vector<double> w(kVocab);
    for (int i = 0; i < kVocab; ++i) w[i] = 1.0 / (i + 1);
    std::discrete_distribution<int> pick(w.begin(), w.end());
    int id = 0;
    for (int segment = 0; segment < 3; ++segment) {
      for (int d = 0; d < 1500; ++d, ++id) {
        Document doc;
        doc.id = "d" + std::to_string(id);
        const int tlen = 2 + static_cast<int>(rng() % 6), blen = 5 + static_cast<int>(rng() % 200);
        for (int t = 0; t < tlen; ++t) doc.title += Word(pick(rng)) + " ";
        for (int t = 0; t < blen; ++t) doc.body += Word(pick(rng)) + " ";
        doc.source = id % 3 == 0 ? "alpha" : "beta";
        doc.date = "20" + std::to_string(10 + id % 10) + "-0" + std::to_string(1 + id % 9) + "-15";
        doc.lang = "en";
        ASSERT_TRUE(index_->Add(doc).ok());
      }
      // Deletes, some of them in earlier segments.
      for (int d = id - 1500; d < id; d += 37) ASSERT_TRUE(index_->Delete("d" + std::to_string(d)).ok());
      if (segment > 0) {
        ASSERT_TRUE(index_->Delete("d" + std::to_string(id - 1600)).ok());
      }
      ASSERT_TRUE(index_->Commit().ok());
    }
    ASSERT_GE(index_->snapshot()->segments().size(), 3u);
  }

  std::string dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(PruningFixture, SameTopKAsExhaustiveWithFiltersExclusionsDeletesAndSegments) {
  Searcher s(index_->snapshot());
  std::mt19937 rng(11);
  std::vector<std::string> queries = {Word(0), Word(1) + " " + Word(2), Word(250) + " " + Word(0),
                                      "\"" + Word(0) + " " + Word(1) + "\" " + Word(5),
                                      Word(3) + " OR " + Word(40) + " " + Word(7),
                                      Word(1) + "* " + Word(2),  // a prefix: many alternatives in one group
                                      "title:" + Word(3) + " " + Word(0) + " " + Word(120)};
  for (int q = 0; q < 100; ++q) {
    std::string text;
    const int words = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < words; ++i) {
      int w = static_cast<int>(rng() % kVocab);
      if (rng() % 3 == 0) w %= 10;  // some frequent words
      text += (rng() % 10 == 0 ? "-" : "") + Word(w) + " ";
    }
    queries.push_back(text);
  }
  size_t inexact = 0;
  for (const std::string& q : queries) {
    for (uint32_t n : {1u, 10u, 40u}) {
      EXPECT_EQ(Differ(Ask(s, q, n, false), Ask(s, q, n, true)), "") << q << " n=" << n;
      SearchResult filtered = Ask(s, q, n, false, SearchRequest::Sort::kRelevance, "alpha");
      EXPECT_EQ(Differ(filtered, Ask(s, q, n, true, SearchRequest::Sort::kRelevance, "alpha")), "") << q;
      for (const Hit& h : filtered.hits) EXPECT_EQ(h.source, "alpha");
      EXPECT_EQ(Differ(Ask(s, q, n, false, SearchRequest::Sort::kDateDesc), Ask(s, q, n, true, SearchRequest::Sort::kDateDesc)),
                "")
          << q;
      inexact += !Ask(s, q, n, false).total_exact;
    }
  }
  // The comparison is not vacuous: pruning did skip documents for many queries.
  EXPECT_GT(inexact, queries.size());
}

TEST_F(PruningFixture, DeletedAndExcludedDocumentsNeverReturned) {
  Searcher s(index_->snapshot());
  for (const std::string& q : {Word(0) + " " + Word(1), Word(0) + " -" + Word(1), Word(2) + " " + Word(3) + " -" + Word(0)}) {
    SearchResult r = Ask(s, q, 200, false);
    for (const Hit& h : r.hits) {
      const int id = std::stoi(h.id.substr(1));
      EXPECT_NE((id % 1500) % 37, 0) << h.id << " is deleted";  // every 37th of a segment
    }
    if (q.find('-') != std::string::npos) {
      const std::string excluded = q.substr(q.find('-') + 1);
      for (const Hit& h : r.hits) {
        auto doc = s.snapshot().Get(h.id);
        ASSERT_TRUE(doc.ok());
        EXPECT_EQ((" " + doc->title + doc->body).find(" " + excluded + " "), std::string::npos) << h.id;
      }
    }
  }
}

TEST_F(PruningFixture, CountRequestsAndFacetsGiveExactTotals) {
  Searcher s(index_->snapshot());
  const std::string q = Word(0) + " " + Word(1);
  SearchResult full = Ask(s, q, 10, true);
  EXPECT_TRUE(full.total_exact);
  SearchResult count = Ask(s, q, 0, false);
  EXPECT_TRUE(count.total_exact);
  EXPECT_EQ(count.total, full.total);
  EXPECT_TRUE(count.hits.empty());
  SearchResult pruned = Ask(s, q, 10, false);
  if (!pruned.total_exact) {
    EXPECT_GT(pruned.total, 0u);
  }
}

TEST_F(PruningFixture, RelatedStillWorks) {
  Searcher s(index_->snapshot());
  auto rel = s.Related("d1", 5);
  ASSERT_TRUE(rel.ok());
  EXPECT_FALSE(rel->empty());
  for (const Hit& h : *rel) EXPECT_NE(h.id, "d1");
}

// --- window bounds: a window's bound of a leaf covers every block the window holds ---------------
// The first 2,000 documents hold «xa xb» among few words: the 30 best of them set the threshold.
// Later ones hold them among many words (their blocks' bounds are below that threshold), except
// one short document near the end, «xa xa xa xb xb xb»: the best of all, in a late block of both
// words. A window whose bound of xa or xb were taken from its first blocks only would leave both
// words non-essential there and never see it.
TEST(PruningWindows, ABestDocumentInALateBlockOfCommonWordsIsFound) {
  const std::string dir = testing::TempDir("maxscore-windows");
  IndexOptions opts;
  opts.schema.fields = {"title", "body"};
  auto idx = Index::Open(dir, opts);
  ASSERT_TRUE(idx.ok());
  constexpr int kDocs = 20000, kBest = kDocs - 50;
  for (int i = 0; i < kDocs; ++i) {
    Document doc;
    doc.id = "w" + std::to_string(i);
    doc.title = "t" + std::to_string(i % 97);
    if (i == kBest) {
      doc.body = "xa xa xa xb xb xb";
    } else {
      const int filler = i < 2000 ? 4 : 60;
      doc.body = i % 2 == 0 ? "xa xb" : (i % 3 == 0 ? "xa" : "xb");
      for (int f = 0; f < filler; ++f) doc.body += " f" + std::to_string((i + f) % 50);
    }
    ASSERT_TRUE((*idx)->Add(doc).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  ASSERT_EQ((*idx)->snapshot()->segments().size(), 1u);
  Searcher s((*idx)->snapshot());
  for (uint32_t n : {1u, 10u}) {
    SearchResult exact = Ask(s, "xa xb", n, true);
    ASSERT_FALSE(exact.hits.empty());
    EXPECT_EQ(exact.hits[0].id, "w" + std::to_string(kBest));  // the case is what it says
    SearchResult pruned = Ask(s, "xa xb", n, false);
    EXPECT_FALSE(pruned.total_exact);  // pruning did skip documents
    EXPECT_EQ(Differ(pruned, exact), "") << "n=" << n;
  }
}

// --- every Urdu dev query on the real collection -------------------------------------------------
TEST(PruningRealData, EveryUrduDevQueryGivesTheExhaustiveTopK) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string data = testing::SharedData();
  IndexOptions opts;
  opts.schema.fields = {"title", "body"};
  opts.ram_buffer_bytes = 16 << 20;  // several segments: the threshold carries across them
  const std::string dir = testing::TempDir("maxscore-real");
  auto idx = Index::Open(dir, opts);
  ASSERT_TRUE(idx.ok());
  IngestStats st;
  for (const char* f : {"/urdu/urdu-news.jsonl", "/urdu/urdu-headlines.jsonl"}) {
    ASSERT_TRUE(IngestPath(data + f, [&](Document&& d) { return (*idx)->Add(d); }, &st).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  Searcher s((*idx)->snapshot());
  for (const char* file : {"/urdu/queries-dev.tsv", "/urdu/queries-dev-variant.tsv", "/urdu/queries-dev-mid.tsv",
                           "/urdu/queries-dev-summary.tsv"}) {
    std::ifstream in(data + file);
    std::string line;
    size_t n = 0, differ = 0, inexact = 0;
    while (std::getline(in, line)) {
      std::string q = line.substr(line.find('\t') + 1);
      q = q.substr(0, q.find('\t'));
      ++n;
      SearchResult pruned = Ask(s, q, 10, false);
      inexact += !pruned.total_exact;
      std::string why = Differ(pruned, Ask(s, q, 10, true));
      if (!why.empty() && ++differ <= 3) ADD_FAILURE() << file << ": " << q << ": " << why;
    }
    EXPECT_EQ(n, 973u);
    EXPECT_EQ(differ, 0u) << file;
    std::printf("%s: %zu queries, %zu with pruning (estimated total)\n", file, n, inexact);
  }
  // Roman Urdu queries: groups of several readings each, function words' readings as stopwords.
  for (const std::string& path : {data + "/urdu/queries-dev-roman.tsv", std::string(RASAI_SOURCE_DIR) + "/bench/queries-roman-heldout.tsv"}) {
    std::ifstream in(path);
    std::string line;
    size_t n = 0, differ = 0;
    while (std::getline(in, line)) {
      std::string q = line.substr(line.find('\t') + 1);
      q = q.substr(0, q.find('\t'));
      ++n;
      std::string why = Differ(Ask(s, q, 10, false), Ask(s, q, 10, true));
      if (!why.empty() && ++differ <= 3) ADD_FAILURE() << path << ": " << q << ": " << why;
    }
    EXPECT_GE(n, 50u) << path;
    EXPECT_EQ(differ, 0u) << path;
  }
}

}  // namespace
}  // namespace rasai
