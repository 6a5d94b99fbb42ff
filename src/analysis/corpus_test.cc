// Properties checked over the real shared data (skipped when ../shared/data is absent).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"
#include "test_util.h"

namespace rasai {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The text fields of a JSONL file, one string per document.
std::vector<std::string> Texts(const std::string& path, const char* field) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(path)) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains(field) && j[field].is_string()) out.push_back(j[field].get<std::string>());
  }
  return out;
}

std::vector<std::string> Terms(std::string_view text) {
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  std::vector<std::string> t;
  for (const Token& k : toks) t.push_back(k.term);
  return t;
}

std::string UrduNews() { return testing::SharedData() + "/urdu/urdu-news.jsonl"; }

TEST(Corpus, FastNormalizationEqualsIcuPath) {
  RASAI_REQUIRE_SHARED_DATA();
  const auto bodies = Texts(UrduNews(), "body");
  ASSERT_GT(bodies.size(), 2000u);
  size_t differ = 0;
  for (const std::string& b : bodies) {
    std::string fast, slow;
    analysis_internal::NormalizeInto(b, true, &fast);
    analysis_internal::NormalizeInto(b, false, &slow);
    if (fast != slow) ++differ;
  }
  EXPECT_EQ(differ, 0u);
}

TEST(Corpus, NormalizationIsIdempotentAndAnalyzerAgreesWithIt) {
  RASAI_REQUIRE_SHARED_DATA();
  std::vector<std::string> docs = Texts(UrduNews(), "body");
  for (auto& t : Texts(testing::SharedData() + "/open/ur.jsonl", "body")) docs.push_back(std::move(t));
  for (auto& t : Texts(testing::SharedData() + "/open/en.jsonl", "body")) docs.push_back(std::move(t));
  ASSERT_GT(docs.size(), 4000u);
  size_t not_idempotent = 0, disagree = 0;
  for (const std::string& d : docs) {
    const std::string n = NormalizeText(d);
    if (NormalizeText(n) != n) ++not_idempotent;
    // Analyzing the raw text and analyzing its normalized form give the same terms.
    if (Terms(d) != Terms(n)) ++disagree;
  }
  EXPECT_EQ(not_idempotent, 0u);
  EXPECT_EQ(disagree, 0u);
}

TEST(Corpus, TokensPointIntoTheOriginalText) {
  RASAI_REQUIRE_SHARED_DATA();
  size_t checked = 0;
  for (const std::string& d : Texts(testing::SharedData() + "/open/ur.jsonl", "body")) {
    std::vector<Token> toks;
    DefaultAnalyzer().Analyze(d, &toks);
    for (size_t i = 0; i < toks.size(); ++i) {
      const Token& k = toks[i];
      ASSERT_EQ(k.position, i);
      ASSERT_LT(k.begin, k.end);
      ASSERT_LE(k.end, d.size());
      ASSERT_FALSE(k.term.empty());
      if (i > 0) {
        ASSERT_GE(k.begin, toks[i - 1].begin);
      }
      // the source bytes of a token analyze to (at least) that token's term
      const std::string src = d.substr(k.begin, k.end - k.begin);
      const auto t = Terms(src);
      ASSERT_NE(std::find(t.begin(), t.end(), k.term), t.end()) << src;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10000u);
}

TEST(Corpus, DetectsTheLanguageOfRealDocuments) {
  RASAI_REQUIRE_SHARED_DATA();
  auto share = [](const std::vector<std::string>& docs, const char* lang) {
    size_t hit = 0;
    for (const auto& d : docs) hit += DetectLanguage(d) == lang;
    return static_cast<double>(hit) / static_cast<double>(docs.size());
  };
  // 13 news bodies are empty ("" is right) and 2 are binary garbage.
  EXPECT_GE(share(Texts(UrduNews(), "body"), "ur"), 0.99);
  EXPECT_GE(share(Texts(testing::SharedData() + "/open/ur.jsonl", "body"), "ur"), 0.97);
  EXPECT_GE(share(Texts(testing::SharedData() + "/open/en.jsonl", "body"), "en"), 0.97);
}

// Variant queries typed with Arabic-keyboard letters or a diacritic analyze to exactly the terms
// of the original query.
TEST(Corpus, VariantQueriesMeetTheirOriginals) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string dir = testing::SharedData() + "/urdu/";
  std::map<std::string, std::string> original;
  for (const std::string& line : Lines(dir + "queries-dev.tsv")) {
    std::istringstream in(line);
    std::string qid, q;
    std::getline(in, qid, '\t');
    std::getline(in, q, '\t');
    original[qid] = q;
  }
  std::map<std::string, std::pair<int, int>> by_kind;  // kind → (equal, total)
  for (const std::string& line : Lines(dir + "queries-dev-variant.tsv")) {
    std::istringstream in(line);
    std::string qid, q, rel, kind;
    std::getline(in, qid, '\t');
    std::getline(in, q, '\t');
    std::getline(in, rel, '\t');
    std::getline(in, kind, '\t');
    auto& [equal, total] = by_kind[kind];
    ++total;
    equal += Terms(q) == Terms(original[qid]);
  }
  ASSERT_GT(by_kind["arabic-letters"].second, 500);
  EXPECT_EQ(by_kind["arabic-letters"].first, by_kind["arabic-letters"].second);
  EXPECT_EQ(by_kind["diacritic"].first, by_kind["diacritic"].second);
  for (const auto& [kind, c] : by_kind) {
    std::printf("  variant kind %-15s identical terms %d/%d\n", kind.c_str(), c.first, c.second);
  }
}

// The Urdu stopwords come from real frequencies: each is among the 3,000 most frequent word
// types of the Makhzan corpus (111k types, 6.27M words), counted after our normalization.
TEST(Corpus, UrduStopwordsAreFrequentWords) {
  RASAI_REQUIRE_SHARED_DATA();
  std::ifstream in(testing::SharedData() + "/urdu/wordfreq/makhzan-word-frequency.json");
  const auto freq = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(freq.is_object());
  std::map<std::string, uint64_t> counts;
  for (const auto& [word, count] : freq.items()) {
    if (!count.is_number_unsigned()) continue;
    for (const std::string& t : Terms(word)) counts[t] += count.get<uint64_t>();
  }
  std::vector<std::pair<uint64_t, std::string>> by_count;
  for (const auto& [t, c] : counts) by_count.emplace_back(c, t);
  std::sort(by_count.rbegin(), by_count.rend());
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < by_count.size(); ++i) rank.emplace(by_count[i].second, i + 1);
  size_t n = 0;
  const char* const* list = analysis_internal::UrduStopwordList(&n);
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& t : Terms(list[i])) {
      const auto it = rank.find(t);
      ASSERT_NE(it, rank.end()) << list[i];
      EXPECT_LE(it->second, 3000u) << list[i];
    }
  }
  // and the most frequent content words are not on the list
  for (const char* w : {"پاکستان", "اللہ", "حکومت", "قرآن", "دنیا"}) {
    ASSERT_NE(rank.find(w), rank.end());
    EXPECT_LE(rank[w], 200u) << w;
    std::vector<Token> toks;
    DefaultAnalyzer().Analyze(w, &toks);
    EXPECT_FALSE(toks.at(0).stop) << w;
  }
}

// Throughput over the news bodies (printed, not asserted: machines differ).
TEST(Corpus, Throughput) {
  RASAI_REQUIRE_SHARED_DATA();
  const auto bodies = Texts(UrduNews(), "body");
  size_t bytes = 0, tokens = 0;
  std::vector<Token> out;
  const auto t0 = std::chrono::steady_clock::now();
  for (const std::string& b : bodies) {
    out.clear();
    DefaultAnalyzer().Analyze(b, &out);
    bytes += b.size();
    tokens += out.size();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  analyzed %.1f MB, %zu tokens in %.2f s: %.1f MB/s\n", bytes / 1e6, tokens, s, bytes / 1e6 / s);
  EXPECT_GT(tokens, 500000u);
}

}  // namespace
}  // namespace rasai
