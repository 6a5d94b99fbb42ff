// The Roman lexicon of a snapshot: the same readings, completions and transliterations however
// the collection is split into segments.
#include "search/roman_lexicon.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "rasai/search.h"
#include "search/roman_urdu.h"
#include "util/utf8.h"
#include "test_util.h"

namespace rasai {
namespace {

// Words whose frequencies differ from segment to segment: حکمت is the most common of its key in
// the first four documents, حکومت in the collection; دورہ and دور, کابل and قبل likewise.
const char* const kBodies[] = {
    "حکمت عملی پر بات ہوئی اور قبل از وقت انتخاب کی بات",
    "حکمت اور دانائی کی باتیں، قبل ازیں بھی",
    "حکمت کی کتاب میں دور حاضر کا ذکر",
    "حکومت نے دور دراز علاقوں کا دورہ کیا",
    "حکومت نے کابل میں سفارت خانہ کھولا اور وزیر اعظم کا دورہ",
    "حکومت کا دورہ کابل، وزیر خارجہ بھی ساتھ",
    "کابل میں حملہ، حکومت کی مذمت",
    "وزیر اعظم کا دورہ امریکا اور حکومت کی پالیسی",
    "حکومت نے بجٹ پیش کیا، دورہ ملتوی",
    "کابل اور اسلام آباد کے درمیان دورہ، حکومت خاموش",
    "حکمت عملی بدلنے کا فیصلہ، حکومت کا اعلان",
    "عمران خان کی حکومت اور کابل کا دورہ",
};

std::unique_ptr<Index> Collection(const std::string& name, size_t per_commit) {
  IndexOptions options;
  options.merge_on_commit = false;
  auto idx = Index::Open(testing::TempDir(name), options);
  EXPECT_TRUE(idx.ok());
  if (!idx.ok()) return nullptr;
  size_t i = 0;
  for (const char* body : kBodies) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.title = i % 3 == 0 ? "خبر" : "";
    d.body = body;
    EXPECT_TRUE((*idx)->Add(d).ok());
    if (++i % per_commit == 0) {
      EXPECT_TRUE((*idx)->Commit().ok());
    }
  }
  EXPECT_TRUE((*idx)->Commit().ok());
  return std::move(*idx);
}

using Entries = std::vector<std::pair<std::string, uint32_t>>;
Entries All(const RomanLexicon& lex) {
  Entries out;
  EXPECT_TRUE(lex.ForKeyPrefix("", 1 << 20, [&](std::string_view t, uint32_t df) { out.emplace_back(std::string(t), df); }));
  return out;
}

using Readings = std::vector<std::tuple<std::string, float, uint64_t, double>>;
Readings Of(const std::vector<RomanCandidate>& cands) {
  Readings out;
  for (const RomanCandidate& c : cands) out.emplace_back(c.term, c.cost, c.df, c.weight);
  return out;
}

class RomanSegments : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    one_ = Collection("roman-one", 1000).release();
    four_ = Collection("roman-four", 4).release();
    ragged_ = Collection("roman-ragged", 5).release();
  }
  static void TearDownTestSuite() {
    delete one_;
    delete four_;
    delete ragged_;
  }
  static Index* one_;
  static Index* four_;
  static Index* ragged_;
};
Index* RomanSegments::one_ = nullptr;
Index* RomanSegments::four_ = nullptr;
Index* RomanSegments::ragged_ = nullptr;

TEST_F(RomanSegments, TheSnapshotLexiconIsTheWholeCollections) {
  ASSERT_EQ(one_->snapshot()->segments().size(), 1u);
  ASSERT_EQ(four_->snapshot()->segments().size(), 3u);
  ASSERT_EQ(ragged_->snapshot()->segments().size(), 3u);
  const Entries whole = All(*RomanLexicon::Build(*one_->snapshot()->segments()[0]));
  ASSERT_FALSE(whole.empty());
  EXPECT_EQ(All(*RomanLexicon::Of(*four_->snapshot())), whole);
  EXPECT_EQ(All(*RomanLexicon::Of(*ragged_->snapshot())), whole);
  // Document frequencies are summed: حکومت is in 9 bodies, over all three segments.
  uint32_t hukumat = 0;
  for (const auto& [term, df] : whole)
    if (term == "حکومت") hukumat = df;
  EXPECT_EQ(hukumat, 9u);
  // The segments' own lexicons disagree (the test would not tell otherwise).
  const auto first = RomanLexicon::Of(four_->snapshot()->segments()[0]);
  std::string first_kmt;
  first->ForKey("kmt", 1, [&](std::string_view t, uint32_t) { return first_kmt = t, false; });
  EXPECT_EQ(first_kmt, "حکمت");
}

// Every term is found under its own key, and under every prefix of it, in a segment's lexicon
// and in a merged one: the key table and the text laid out again after sorting agree with the
// entries.
TEST_F(RomanSegments, EveryTermIsFoundByItsKeyAndItsKeysPrefixes) {
  for (const auto& lex : {RomanLexicon::Build(*one_->snapshot()->segments()[0]), RomanLexicon::Of(*four_->snapshot())}) {
    const Entries all = All(*lex);
    ASSERT_GT(all.size(), 40u);
    for (const auto& [term, df] : all) {
      std::u32string u;
      DecodeUtf8(term, &u);
      std::string key;
      ASSERT_TRUE(roman::UrduKey(u, &key)) << term;
      bool found = false;
      lex->ForKey(key, 1 << 20, [&](std::string_view t, uint32_t d) {
        found = found || (t == term && d == df);
        return true;
      });
      EXPECT_TRUE(found) << term << " under " << key;
      for (size_t n = 0; n <= key.size(); ++n) {
        bool listed = false;
        EXPECT_TRUE(lex->ForKeyPrefix(key.substr(0, n), 1 << 20, [&](std::string_view t, uint32_t) { listed = listed || t == term; }));
        EXPECT_TRUE(listed) << term << " under the prefix " << key.substr(0, n);
      }
    }
    // A key no term has finds nothing.
    size_t none = 0;
    lex->ForKey("zzzzzz", 1 << 20, [&](std::string_view, uint32_t) { return ++none, true; });
    EXPECT_EQ(none, 0u);
  }
}

TEST_F(RomanSegments, ReadingsDoNotDependOnSegments) {
  RomanOptions narrow;
  narrow.scan = 1;  // only the most common term of each key: the collection's, not a segment's
  for (const char* w : {"hukumat", "hikmat", "dora", "daura", "door", "kabul", "qabl", "wazir", "hamla", "imran"}) {
    const Readings whole = Of(RomanCandidates(*one_->snapshot(), w));
    EXPECT_EQ(Of(RomanCandidates(*four_->snapshot(), w)), whole) << w;
    EXPECT_EQ(Of(RomanCandidates(*ragged_->snapshot(), w)), whole) << w;
    const Readings first = Of(RomanCandidates(*one_->snapshot(), w, narrow));
    EXPECT_EQ(Of(RomanCandidates(*four_->snapshot(), w, narrow)), first) << w;
    EXPECT_EQ(Of(RomanCandidates(*ragged_->snapshot(), w, narrow)), first) << w;
  }
  EXPECT_EQ(std::get<0>(Of(RomanCandidates(*four_->snapshot(), "hukumat")).at(0)), "حکومت");
  for (const char* p : {"hu", "huk", "ka", "kab", "dau", "wa"}) {
    const Readings whole = Of(RomanCompletions(*one_->snapshot(), p, 8));
    EXPECT_EQ(Of(RomanCompletions(*four_->snapshot(), p, 8)), whole) << p;
    EXPECT_EQ(Of(RomanCompletions(*ragged_->snapshot(), p, 8)), whole) << p;
  }
}

TEST_F(RomanSegments, SearchesReadTheQueryAlikeInAnySegmentation) {
  for (const char* q : {"hukumat ka daura kabul", "wazir e azam ka dora", "hikmat amli", "imran khan ki hukumat"}) {
    SearchRequest r;
    r.query = q;
    std::vector<std::string> seen;
    for (Index* idx : {one_, four_, ragged_}) {
      auto res = Searcher(idx->snapshot()).Search(r);
      ASSERT_TRUE(res.ok()) << q;
      std::string ids;
      for (const Hit& h : res->hits) ids += h.id + " ";
      seen.push_back(res->transliteration + " | " + ids);
    }
    EXPECT_NE(seen[0].find("|"), 0u) << q;  // read as Roman Urdu
    EXPECT_EQ(seen[1], seen[0]) << q;
    EXPECT_EQ(seen[2], seen[0]) << q;
  }
}

TEST(RomanLexicon, ASnapshotsLexiconIsKeptWhileItsSegmentsLive) {
  IndexOptions options;
  options.merge_on_commit = false;
  auto idx = Index::Open(testing::TempDir("roman-cache"), options);
  ASSERT_TRUE(idx.ok());
  auto add = [&](const std::string& id, const std::string& body) {
    Document d;
    d.id = id;
    d.body = body;
    ASSERT_TRUE((*idx)->Add(d).ok());
    ASSERT_TRUE((*idx)->Commit().ok());
  };
  add("a", "حکومت");
  add("b", "حکومت حکمت");
  const auto before = (*idx)->snapshot();
  const auto lex = RomanLexicon::Of(*before);
  EXPECT_EQ(RomanLexicon::Of(*before), lex);  // built once
  EXPECT_EQ(All(*lex), (Entries{{"حکومت", 2}, {"حکمت", 1}}));
  add("c", "قیمت");
  const auto after = (*idx)->snapshot();
  EXPECT_EQ(All(*RomanLexicon::Of(*after)), (Entries{{"حکومت", 2}, {"حکمت", 1}, {"قیمت", 1}}));
  EXPECT_EQ(All(*RomanLexicon::Of(*before)), All(*lex));  // the older snapshot keeps its own
  // An empty collection has an empty lexicon; a merge of one lexicon is that lexicon.
  EXPECT_EQ(RomanLexicon::Merge({})->size(), 0u);
  const auto one = RomanLexicon::Build(*after->segments()[0]);
  EXPECT_EQ(All(*RomanLexicon::Merge({one.get()})), All(*one));
}

// Searches on several snapshots at once, more than the lexicons kept: each reads its own
// snapshot's readings while others build, evict and rebuild theirs.
TEST_F(RomanSegments, ManyThreadsOnMoreSnapshotsThanAreKept) {
  auto extra = Collection("roman-extra", 3);
  ASSERT_TRUE(extra);
  const std::vector<std::shared_ptr<const Snapshot>> snaps = {four_->snapshot(), ragged_->snapshot(), extra->snapshot()};
  ASSERT_GT(snaps.size(), RomanLexicon::kSnapshotLexicons);
  const char* words[] = {"hukumat", "kabul", "daura", "wazir"};
  std::vector<std::vector<Readings>> want(snaps.size());
  for (size_t s = 0; s < snaps.size(); ++s)
    for (const char* w : words) want[s].push_back(Of(RomanCandidates(*snaps[s], w)));
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const size_t s = static_cast<size_t>(t + i) % snaps.size(), w = static_cast<size_t>(i) % 4;
        wrong[t] += Of(RomanCandidates(*snaps[s], words[w])) != want[s][w];
      }
    });
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace rasai
