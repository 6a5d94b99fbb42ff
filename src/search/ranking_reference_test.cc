// Ranking reference: what the searcher answers on the shared real data, compared with digests
// stored in src/search/ranking_reference.tsv. It fails on any change of the hits or scores (ids
// in order, scores to 6 significant digits) of the four Urdu dev query files, of the totals and
// "did you mean" they report, of the other search paths (date order, filters, facets, counts,
// paging, snippets, query syntax, related articles, completions) on a sample of them, and of the
// Cranfield and TIME rankings. A failure prints the queries whose answer changed, with the answer
// now. Skips when ../shared/data is absent.
//
// A change of ranking that is meant (a new feature, a better model) regenerates the reference:
//   RASAI_RANKING_REFERENCE_OUT=$PWD/src/search/ranking_reference.tsv build/tests/search_test
//       --gtest_filter='RankingReference.*'
// and says in its commit what changed and why (the figures of the query files, before and after).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "rasai/ingest.h"
#include "rasai/search.h"
#include "test_util.h"
#include "util/utf8.h"

namespace rasai {
namespace {

constexpr size_t kSample = 100;  // queries per set for the other search paths

std::string Hex32(const std::string& s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(h ^ (h >> 32)));
  return buf;
}

std::string Score(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", s);
  return buf;
}

std::string HitsText(const std::vector<Hit>& hits, bool details = false) {
  std::string out;
  for (const Hit& h : hits) {
    out += h.id + "\t" + Score(h.score);
    if (details) out += "\t" + h.copy_of + "\t" + h.snippet;
    out += "\n";
  }
  return out;
}

struct Query {
  std::string qid, text, rel;
};

std::vector<Query> ReadTsv(const std::string& path) {
  std::vector<Query> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    Query q;
    std::getline(ss, q.qid, '\t');
    std::getline(ss, q.text, '\t');
    std::getline(ss, q.rel, '\t');
    if (!q.qid.empty()) out.push_back(std::move(q));
  }
  return out;
}

// The lines computed now: "set <TAB> qid <TAB> digest [<TAB> digest]", and what each answered.
class Recorder {
 public:
  void Add(const std::string& set, const std::string& qid, const std::string& query, const std::string& shown,
           const std::string& extra = "") {
    std::string line = set + "\t" + qid + "\t" + Hex32(shown);
    if (!extra.empty()) line += "\t" + Hex32(extra);
    keys_.push_back(set + "\t" + qid);
    lines_[set + "\t" + qid] = {line, query + "\n" + shown + (extra.empty() ? "" : "-- " + extra)};
  }
  // Compares with the stored reference; writes the lines to RASAI_RANKING_REFERENCE_OUT when set.
  void Check(const std::string& reference) {
    if (const char* out = std::getenv("RASAI_RANKING_REFERENCE_OUT")) {
      std::ofstream o(out);
      std::map<std::string, size_t> set_at;  // sets in the order first seen, queries in theirs
      std::vector<std::pair<size_t, std::string>> order;
      for (const auto& k : keys_) order.emplace_back(set_at.try_emplace(k.substr(0, k.find('\t')), set_at.size()).first->second, k);
      std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [set, k] : order) o << lines_[k].first << "\n";
      ASSERT_TRUE(o.good()) << out;
    }
    std::ifstream in(reference);
    ASSERT_TRUE(in.good()) << "no reference at " << reference;
    std::map<std::string, std::string> stored;
    std::string line;
    while (std::getline(in, line)) {
      const size_t a = line.find('\t'), b = line.find('\t', a + 1);
      if (a != std::string::npos && b != std::string::npos) stored[line.substr(0, b)] = line;
    }
    std::map<std::string, size_t> changed;
    size_t printed = 0;
    for (const auto& k : keys_) {
      auto it = stored.find(k);
      const auto& [now, answer] = lines_[k];
      if (it != stored.end() && it->second == now) continue;
      ++changed[k.substr(0, k.find('\t'))];
      if (printed++ < 30)
        ADD_FAILURE() << "changed: " << k << (it == stored.end() ? " (not in the reference)" : "")
                      << "\nquery and answer now:\n" << answer;
    }
    for (const auto& [k, l] : stored)
      if (!lines_.count(k)) ++changed["missing:" + k.substr(0, k.find('\t'))];
    for (const auto& [set, n] : changed) ADD_FAILURE() << set << ": " << n << " queries answer differently";
    EXPECT_EQ(stored.size(), keys_.size());
  }

 private:
  std::vector<std::string> keys_;
  std::map<std::string, std::pair<std::string, std::string>> lines_;
};

std::string Reference() { return std::string(RASAI_SOURCE_DIR) + "/src/search/ranking_reference.tsv"; }

SearchResult Run(const Searcher& s, SearchRequest r) {
  auto res = s.Search(r);
  EXPECT_TRUE(res.ok()) << r.query << ": " << res.status().ToString();
  return res.ok() ? std::move(*res) : SearchResult{};
}

std::string Totals(const SearchResult& r) {
  return std::to_string(r.total) + (r.total_exact ? "" : "~") + "\t" + r.suggestion;
}

void RecordUrdu(const Searcher& s, const std::string& data, Recorder* rec) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"dev", "queries-dev.tsv"}, {"variant", "queries-dev-variant.tsv"}, {"mid", "queries-dev-mid.tsv"},
      {"summary", "queries-dev-summary.tsv"}};
  std::map<std::string, std::vector<Query>> sets;
  for (const auto& [set, file] : files) {
    sets[set] = ReadTsv(data + "/urdu/" + file);
    ASSERT_EQ(sets[set].size(), 973u) << file;
    for (const Query& q : sets[set]) {
      SearchRequest r;
      r.query = q.text;
      r.snippets = false;
      const SearchResult res = Run(s, r);
      rec->Add(set, q.qid, q.text, HitsText(res.hits), Totals(res));
    }
  }
  // The other paths, on the first kSample queries of a file: two common words (many matches)
  // for orders, filters, facets, counts and pages; three distinctive ones for the rest.
  for (size_t i = 0; i < kSample; ++i) {
    const Query& q = sets["mid"][i];
    SearchRequest r;
    r.snippets = false;
    r.query = q.text + " sort:date";
    SearchResult res = Run(s, r);
    rec->Add("date", q.qid, r.query, HitsText(res.hits), Totals(res));
    r.query = q.text;
    r.sort = SearchRequest::Sort::kDateAsc;
    res = Run(s, r);
    rec->Add("date-asc", q.qid, r.query, HitsText(res.hits), Totals(res));
    r.sort = SearchRequest::Sort::kRelevance;
    r.query = q.text + " year:2016";
    res = Run(s, r);
    rec->Add("year", q.qid, r.query, HitsText(res.hits), Totals(res));
    r.query = q.text;
    r.source = i % 2 ? "bbc" : "express";
    r.date_from = "2014-03";
    res = Run(s, r);
    rec->Add("filters", q.qid, r.query + " " + r.source, HitsText(res.hits), Totals(res));
    r.source.clear();
    r.date_from.clear();
    r.facets = true;
    res = Run(s, r);
    std::string facets;
    for (const auto& [name, values] : res.facets)
      for (const auto& [v, n] : values) facets += name + "=" + v + ":" + std::to_string(n) + "\n";
    rec->Add("facets", q.qid, r.query, HitsText(res.hits), Totals(res) + "\n" + facets);
    r.facets = false;
    r.n = 0;
    res = Run(s, r);
    rec->Add("count", q.qid, r.query, HitsText(res.hits), Totals(res));
    r.n = 10;
    r.offset = 10;
    res = Run(s, r);
    rec->Add("page2", q.qid, r.query, HitsText(res.hits, true), Totals(res));
    r.offset = 0;
    r.collapse_duplicates = false;
    res = Run(s, r);
    rec->Add("all-copies", q.qid, r.query, HitsText(res.hits, true), Totals(res));
  }
  for (size_t i = 0; i < kSample; ++i) {
    const Query& q = sets["dev"][i];
    std::vector<std::string> w;
    std::stringstream ss(q.text);
    for (std::string x; ss >> x;) w.push_back(x);
    if (w.size() < 3) continue;
    SearchRequest r;
    r.query = q.text;
    SearchResult res = Run(s, r);
    rec->Add("snippets", q.qid, r.query, HitsText(res.hits, true), Totals(res));
    r.snippets = false;
    std::u32string first;
    DecodeUtf8(w[0], &first);
    std::string stem;
    for (char32_t c : first.substr(0, 3)) AppendUtf8(c, &stem);
    const std::vector<std::pair<std::string, std::string>> syntax = {
        {"prefix", stem + "* " + w[1]},
        {"phrase", "\"" + w[0] + " " + w[1] + "\" " + w[2]},
        {"or", w[0] + " OR " + w[1] + " " + w[2]},
        {"exclude", w[0] + " " + w[1] + " -" + w[2]},
        {"field", "title:" + w[0] + " " + w[1]}};
    for (const auto& [set, text] : syntax) {
      r.query = text;
      res = Run(s, r);
      rec->Add(set, q.qid, text, HitsText(res.hits), Totals(res));
    }
    auto rel = s.Related(q.rel, 5);
    EXPECT_TRUE(rel.ok()) << q.rel;
    rec->Add("related", q.qid, q.rel, rel.ok() ? HitsText(*rel) : "error");
    std::u32string second;
    DecodeUtf8(w[1], &second);
    std::string typed;
    for (char32_t c : second.substr(0, 2)) AppendUtf8(c, &typed);
    std::string shown;
    for (const std::string& typed_now : {w[0] + " " + typed, stem, w[0] + " "})
      for (const std::string& c : s.Suggest(typed_now, 8)) shown += typed_now + "\t" + c + "\n";
    rec->Add("suggest", q.qid, w[0] + " " + typed, shown);
  }
}

// The English test collections as the relevance benchmark reads them (bench/bench_common.cc):
// Cranfield title (.T) and abstract (.W); TIME lower-cased, body only.
void RecordEnglish(const std::string& data, Recorder* rec) {
  struct Doc {
    std::string id, title, body;
  };
  auto append = [](std::string* s, const std::string& line) {
    if (!s->empty()) *s += "\n";
    *s += line;
  };
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
  };
  for (const std::string suite : {"cranfield", "time"}) {
    std::vector<Doc> docs;
    std::vector<Query> queries;
    const bool cran = suite == "cranfield";
    std::ifstream in(data + "/english/" + suite + (cran ? "/cran.all.1400" : "/TIME.ALL"));
    std::string line;
    char section = 0;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (cran && line.size() >= 2 && line[0] == '.' && (line.size() == 2 || line[2] == ' ')) {
        if (line[1] == 'I') docs.push_back({std::to_string(std::atoi(line.c_str() + 2)), "", ""});
        section = line[1];
        continue;
      }
      if (!cran && line.rfind("*TEXT", 0) == 0) {
        docs.push_back({std::to_string(docs.size() + 1), "", ""});
        continue;
      }
      if (!cran && line.rfind("*STOP", 0) == 0) break;
      if (docs.empty()) continue;
      if (cran && section == 'T') append(&docs.back().title, line);
      if (cran && section == 'W') append(&docs.back().body, line);
      if (!cran) append(&docs.back().body, lower(line));
    }
    std::ifstream qin(data + "/english/" + suite + (cran ? "/cran.qry" : "/TIME.QUE"));
    while (std::getline(qin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind(cran ? ".I" : "*FIND", 0) == 0) {
        queries.push_back({std::to_string(queries.size() + 1), "", ""});
        continue;
      }
      if (line.rfind(cran ? ".W" : "*STOP", 0) == 0) continue;
      if (!queries.empty()) append(&queries.back().text, cran ? line : lower(line));
    }
    ASSERT_EQ(docs.size(), cran ? 1400u : 423u);
    ASSERT_EQ(queries.size(), cran ? 225u : 83u);
    IndexOptions opts;
    opts.schema.fields = {"title", "body"};
    auto idx = Index::Open(testing::TempDir(suite), opts);
    ASSERT_TRUE(idx.ok());
    for (const Doc& d : docs) {
      Document doc;
      doc.id = d.id;
      doc.title = d.title;
      doc.body = d.body;
      doc.lang = "en";
      ASSERT_TRUE((*idx)->Add(doc).ok());
    }
    ASSERT_TRUE((*idx)->Commit().ok());
    Searcher s((*idx)->snapshot());
    for (const Query& q : queries) {
      SearchRequest r;
      r.query = q.text;
      r.snippets = false;
      const SearchResult res = Run(s, r);
      rec->Add(suite, q.qid, q.text, HitsText(res.hits), Totals(res));
    }
  }
}

TEST(RankingReference, SameAnswersAsTheStoredReference) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string data = testing::SharedData();
  // The collection of the query files: urdu-news + urdu-headlines, the summary not indexed.
  IndexOptions opts;
  opts.schema.fields = {"title", "body"};
  auto idx = Index::Open(testing::TempDir("reference"), opts);
  ASSERT_TRUE(idx.ok());
  IngestStats st;
  for (const char* f : {"/urdu/urdu-news.jsonl", "/urdu/urdu-headlines.jsonl"})
    ASSERT_TRUE(IngestPath(data + f, [&](Document&& d) { return (*idx)->Add(d); }, &st).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  ASSERT_EQ((*idx)->snapshot()->live_docs(), 74673u);
  Recorder rec;
  Searcher s((*idx)->snapshot());
  RecordUrdu(s, data, &rec);
  RecordEnglish(data, &rec);
  rec.Check(Reference());
}

}  // namespace
}  // namespace rasai
