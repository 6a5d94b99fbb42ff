// Snippets from token offsets: golden tests on mixed Urdu/English text, agreement with the
// analyzer path on real news, HTML escaping, bidi balance and damaged offsets.
#include "search/snippet.h"

#include <gtest/gtest.h>

#include <cstring>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rasai/analysis.h"
#include "rasai/ingest.h"
#include "rasai/search.h"
#include "test_util.h"

namespace rasai {
namespace {

std::unordered_set<std::string> TermsOf(std::string_view query) {
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(query, &toks);
  std::unordered_set<std::string> out;
  for (const Token& t : toks) out.insert(t.term);
  return out;
}

// The texts inside <mark>…</mark>, in order.
std::vector<std::string> Marked(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = s.find("<mark>", i)) != std::string::npos) {
    size_t j = s.find("</mark>", i);
    if (j == std::string::npos) break;
    out.push_back(s.substr(i + 6, j - i - 6));
    i = j + 7;
  }
  return out;
}

// The source words (whole, once per word) whose analyzer terms meet `terms`.
std::vector<std::string> AnalyzerMarked(std::string_view text, const std::unordered_set<std::string>& terms) {
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  std::vector<std::string> out;
  uint32_t last_begin = UINT32_MAX;
  for (const Token& t : toks) {
    if (!terms.count(t.term)) continue;
    if (t.begin == last_begin) continue;
    last_begin = t.begin;
    out.emplace_back(text.substr(t.begin, t.end - t.begin));
  }
  return out;
}

class OneDocIndex : public ::testing::Test {
 protected:
  void Build(const std::vector<Document>& docs) {
    dir_ = testing::TempDir("snippet");
    auto idx = Index::Open(dir_, IndexOptions());
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    for (const auto& d : docs) ASSERT_TRUE(index_->Add(d).ok());
    ASSERT_TRUE(index_->Commit().ok());
  }
  // The offsets-path snippet of the document with this id.
  std::string Snip(const std::string& id, const std::unordered_set<std::string>& terms, size_t words = 32) {
    auto snap = index_->snapshot();
    for (uint32_t s = 0; s < snap->segments().size(); ++s) {
      int64_t d = snap->segments()[s]->FindId(id);
      if (d < 0) continue;
      auto doc = snap->segments()[s]->Stored(static_cast<uint32_t>(d));
      EXPECT_TRUE(doc.ok());
      SnippetMaker m(*snap, terms, words);
      auto r = m.MakeFromOffsets(s, static_cast<uint32_t>(d), doc->body);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      return r.ok() ? *r : "";
    }
    ADD_FAILURE() << "no " << id;
    return "";
  }
  std::string dir_;
  std::unique_ptr<Index> index_;
};

Document D(const std::string& id, const std::string& body, const std::string& title = "t") {
  Document d;
  d.id = id;
  d.title = title;
  d.body = body;
  return d;
}

const char kMixed[] =
    "کراچی میں COVID-19 کے 2016ء کے بعد ان کیلئے نئی\u200Cدہلی سے خبر آئی۔ WHO said: \"cases <rose> & fell\". "
    "پاکستان کے وزیراعظم نے 12 فیصد اضافہ کیا (report, p.4).";

TEST_F(OneDocIndex, GoldenMixedUrduEnglishDigitsZwnjCompound) {
  Build({D("m", kMixed)});
  for (const char* q : {"کیلئے", "covid", "19", "دہلی", "نئی", "cases rose", "وزیراعظم", "2016", "کراچی خبر", "report"}) {
    const auto terms = TermsOf(q);
    const std::string s = Snip("m", terms);
    EXPECT_EQ(Marked(s), AnalyzerMarked(kMixed, terms)) << q << "\n" << s;
    EXPECT_FALSE(Marked(s).empty()) << q;
    EXPECT_EQ(s, BuildSnippet(kMixed, terms)) << q;
  }
  // The compound shows once, whole, marked; the markup in the text is escaped.
  const std::string s = Snip("m", TermsOf("کیلئے"));
  EXPECT_NE(s.find("ان <mark>کیلئے</mark> نئی"), std::string::npos) << s;
  EXPECT_NE(s.find("&quot;cases &lt;rose&gt; &amp; fell&quot;"), std::string::npos) << s;
  EXPECT_EQ(s.find("<rose>"), std::string::npos);
  // Latin case and digits: COVID-19 is two words, each marked alone.
  const std::string c = Snip("m", TermsOf("covid 19"));
  EXPECT_NE(c.find("<mark>COVID</mark>-<mark>19</mark>"), std::string::npos) << c;
}

TEST_F(OneDocIndex, HtmlIsEscapedAndNothingButMarkIsATag) {
  Build({D("h", "<script>alert('x')</script> & \"q\" خبر <img src=x onerror=y> > end")});
  const std::string s = Snip("h", TermsOf("خبر alert"));
  // The passage starts at the first word (as before: leading punctuation is not shown).
  EXPECT_EQ(s, "script&gt;<mark>alert</mark>(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; <mark>خبر</mark> "
               "&lt;img src=x onerror=y&gt; &gt; end");
}

TEST_F(OneDocIndex, PassageAroundTheBestWindowWithEllipses) {
  std::string body;
  for (int i = 0; i < 300; ++i) body += "filler ";
  body += "کسان گندم ";
  for (int i = 0; i < 300; ++i) body += "filler ";
  body += "گندم آخری";  // a match on the very last word
  Build({D("long", body)});
  const std::string l = Snip("long", TermsOf("کسان گندم"), 20);
  EXPECT_EQ(l.rfind("… ", 0), 0u) << l;
  EXPECT_EQ(Marked(l), (std::vector<std::string>{"کسان", "گندم"})) << l;
  EXPECT_TRUE(l.ends_with(" …")) << l;
  const std::string e = Snip("long", TermsOf("آخری"), 20);
  EXPECT_EQ(Marked(e), (std::vector<std::string>{"آخری"})) << e;
  EXPECT_TRUE(e.ends_with("filler گندم <mark>آخری</mark>")) << e;  // the window slid back to fit the text
  const std::string none = Snip("long", TermsOf("absent"), 5);
  EXPECT_EQ(none, "filler filler filler filler filler …");
}

TEST(SnippetRender, DamagedSpansAreCorruptionNotCrashes) {
  const std::string text = "کراچی میں بارش";
  std::string out;
  std::vector<SnippetMatch> m = {{0, 0}};
  EXPECT_TRUE(RenderSnippet(text, 0, 1, 1, {{0, 10}}, m, &out).ok());
  EXPECT_EQ(out, "<mark>کراچی</mark>");
  EXPECT_TRUE(RenderSnippet(text, 0, 1, 1, {{0, 999}}, m, &out).IsCorruption());           // past the end
  EXPECT_TRUE(RenderSnippet(text, 0, 1, 1, {{1, 10}}, m, &out).IsCorruption());            // inside a letter
  EXPECT_TRUE(RenderSnippet(text, 0, 1, 1, {{0, 9}}, m, &out).IsCorruption());             // inside a letter
  EXPECT_TRUE(RenderSnippet(text, 0, 1, 1, {{8, 4}}, m, &out).IsCorruption());             // backwards
  EXPECT_TRUE(RenderSnippet(text, 0, 3, 3, {{0, 10}}, m, &out).IsCorruption());            // too few spans
  EXPECT_TRUE(RenderSnippet("", 0, 0, 0, {}, m, &out).ok());
  EXPECT_EQ(out, "");
}

TEST(SnippetRender, BidiControlsAreBalanced) {
  std::string s = "\u202Bعربی abc";  // RLE left open by the cut
  BalanceBidiControls(&s);
  EXPECT_EQ(s, "\u202Bعربی abc\u202C");
  s = "abc\u202C def\u2069";  // closers of what the cut left out
  BalanceBidiControls(&s);
  EXPECT_EQ(s, "abc def");
  s = "\u2067x\u202Ay\u2069 z\u202C";  // PDI closes the embedding inside it; the PDF then closes nothing
  BalanceBidiControls(&s);
  EXPECT_EQ(s, "\u2067x\u202Ay\u202C\u2069 z");
  s = "no controls — ok";
  BalanceBidiControls(&s);
  EXPECT_EQ(s, "no controls — ok");
}

// Damaged offsets: the offsets path reports Corruption, the search still answers (analyzer path).
TEST_F(OneDocIndex, DamagedOffsetsFallBackToTheAnalyzer) {
  std::vector<Document> docs;
  for (int i = 0; i < 20; ++i) docs.push_back(D("d" + std::to_string(i), std::string(kMixed) + " گندم " + std::to_string(i)));
  Build(docs);
  index_.reset();
  std::string off;
  for (auto& e : std::filesystem::directory_iterator(dir_))
    if (e.path().extension() == ".off") off = e.path().string();
  ASSERT_FALSE(off.empty());
  std::string data = testing::ReadFile(off);
  // Garble every record (the bytes after the header up to the record table), keep the table.
  const uint64_t table = [&] {
    uint64_t v;
    std::memcpy(&v, data.data() + data.size() - 16 - 8, 8);
    return v;
  }();
  for (size_t i = 12; i < 12 + table; ++i) data[i] = '\xff';
  { std::ofstream(off, std::ios::binary | std::ios::trunc) << data; }
  auto idx = Index::OpenReadOnly(dir_);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_TRUE((*idx)->Check().IsCorruption());
  auto snap = (*idx)->snapshot();
  SnippetMaker m(*snap, TermsOf("گندم"));
  auto doc = snap->segments()[0]->Stored(0);
  ASSERT_TRUE(doc.ok());
  auto r = m.MakeFromOffsets(0, 0, doc->body);
  ASSERT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  EXPECT_NE(r.status().message().find(".off"), std::string::npos) << r.status().ToString();
  Searcher s(snap);
  SearchRequest req;
  req.query = "گندم";
  auto res = s.Search(req);
  ASSERT_TRUE(res.ok());
  ASSERT_FALSE(res->hits.empty());
  for (const auto& h : res->hits) EXPECT_NE(h.snippet.find("<mark>گندم</mark>"), std::string::npos) << h.snippet;
}

TEST_F(OneDocIndex, TitleOnlyDocumentsUseTheTitle) {
  Build({D("t", "", "سیلاب کی تباہی")});
  Searcher s(index_->snapshot());
  SearchRequest req;
  req.query = "سیلاب";
  auto res = s.Search(req);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->hits.size(), 1u);
  EXPECT_EQ(res->hits[0].snippet, "<mark>سیلاب</mark> کی تباہی");
}

// Real news: for every article and a set of queries, the snippet from the index's positions and
// offsets is exactly the snippet from analyzing the stored body.
TEST(SnippetRealData, OffsetsPathAgreesWithTheAnalyzerOnUrduNews) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string data = testing::SharedData();
  std::string dir = testing::TempDir("snippet-real");
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  std::ifstream in(data + "/urdu/urdu-news.jsonl");
  std::string line;
  int n = 0;
  while (std::getline(in, line) && n < 600) {
    auto d = ParseJsonDocument(line);
    if (!d.ok()) continue;
    ASSERT_TRUE((*idx)->Add(*d).ok());
    ++n;
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  std::vector<std::unordered_set<std::string>> queries;
  std::ifstream qf(data + "/urdu/queries-dev.tsv");
  while (std::getline(qf, line) && queries.size() < 40) {
    std::stringstream ss(line);
    std::string qid, q;
    std::getline(ss, qid, '\t');
    std::getline(ss, q, '\t');
    queries.push_back(TermsOf(q));
  }
  queries.push_back(TermsOf("پاکستان کیلئے حکومت"));
  queries.push_back(TermsOf("کے"));
  auto snap = (*idx)->snapshot();
  size_t compared = 0, with_marks = 0;
  for (const auto& terms : queries) {
    SnippetMaker m(*snap, terms);
    SnippetMaker prepared(*snap, terms);  // positions read in one pass for a set of hits
    std::vector<std::pair<uint32_t, uint32_t>> hits;
    for (uint32_t s = 0; s < snap->segments().size(); ++s)
      for (uint32_t d = 0; d < snap->segments()[s]->max_doc(); d += 14) hits.emplace_back(s, d);
    std::reverse(hits.begin(), hits.end());
    prepared.Prepare(hits);
    for (uint32_t s = 0; s < snap->segments().size(); ++s) {
      const auto& seg = *snap->segments()[s];
      for (uint32_t d = 0; d < seg.max_doc(); d += 7) {
        auto doc = seg.Stored(d);
        ASSERT_TRUE(doc.ok());
        if (doc->body.empty() || doc->body.size() > (64 << 10)) continue;
        auto got = m.MakeFromOffsets(s, d, doc->body);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        const std::string want = BuildSnippet(doc->body, terms);
        ASSERT_EQ(*got, want) << doc->id;
        auto again = prepared.MakeFromOffsets(s, d, doc->body);
        ASSERT_TRUE(again.ok());
        ASSERT_EQ(*again, want) << doc->id;
        // From the store: the body read only up to the window's end.
        auto stored = m.Make(s, d);
        ASSERT_TRUE(stored.ok()) << stored.status().ToString();
        ASSERT_EQ(*stored, want) << doc->id;
        stored = prepared.Make(s, d);
        ASSERT_TRUE(stored.ok());
        ASSERT_EQ(*stored, want) << doc->id;
        ++compared;
        with_marks += got->find("<mark>") != std::string::npos;
      }
    }
  }
  EXPECT_GT(compared, 1000u);
  EXPECT_GT(with_marks, 100u);
}

}  // namespace
}  // namespace rasai
