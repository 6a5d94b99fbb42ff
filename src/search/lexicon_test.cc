// Lexicon: what planning asks the collection.
#include "search/lexicon.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "search/term_cache.h"
#include "test_util.h"

namespace rasai {
namespace {

// The same documents in one segment and in one segment each.
std::unique_ptr<Index> Collection(const std::string& name, bool segment_each, const std::vector<std::string>& bodies) {
  IndexOptions options;
  options.merge_on_commit = false;
  auto idx = Index::Open(testing::TempDir(name), options);
  EXPECT_TRUE(idx.ok());
  if (!idx.ok()) return nullptr;
  for (size_t i = 0; i < bodies.size(); ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.body = bodies[i];
    EXPECT_TRUE((*idx)->Add(d).ok());
    if (segment_each) {
      EXPECT_TRUE((*idx)->Commit().ok());
    }
  }
  EXPECT_TRUE((*idx)->Commit().ok());
  return std::move(*idx);
}

TEST(Lexicon, PhraseAmongFirstWalksTheSameDocumentsInAnySegmentation) {
  // دیں is the rarer word (گے is in every document); the first document holding it holds گے
  // apart, the second «دیں گے». One segment a document, a walk per segment would find it at once.
  const std::vector<std::string> bodies = {"گے", "دیں اور گے", "وہ دیں گے نہیں، گے", "دیں نہ گے", "گے", "دیں کہ گے", "وہ دیں گے"};
  for (bool each : {false, true}) {
    auto idx = Collection(each ? "lexicon-each" : "lexicon-one", each, bodies);
    ASSERT_TRUE(idx);
    const auto snap = idx->snapshot();
    ASSERT_EQ(snap->segments().size(), each ? bodies.size() : 1u);
    TermCache terms(*snap);
    Lexicon lex(terms);
    const std::vector<std::string> phrase = {"دیں", "گے"};
    EXPECT_FALSE(lex.PhraseAmongFirst(phrase, 1)) << each;
    EXPECT_TRUE(lex.PhraseAmongFirst(phrase, 2)) << each;
    EXPECT_FALSE(lex.PhraseAmongFirst({"گے", "دیں"}, 100)) << each;
    EXPECT_FALSE(lex.PhraseAmongFirst({"دیں", "نہیں"}, 100)) << each;  // نہیں is not after دیں
    EXPECT_FALSE(lex.PhraseAmongFirst({"دیں", "absent"}, 100)) << each;
    EXPECT_FALSE(lex.PhraseAmongFirst({}, 100)) << each;
  }
}

}  // namespace
}  // namespace rasai
