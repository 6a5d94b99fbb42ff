// The visitor's language first (query_language.h).
#include "search/query_language.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rasai/search.h"
#include "test_util.h"

namespace rasai {
namespace {

TEST(QueryLanguage, UrduScriptMeansUrdu) {
  EXPECT_EQ(QueryLanguage("انسانی حقوق", false), "ur");
  EXPECT_EQ(QueryLanguage("انسانی حقوق دا", false), "ur");  // DetectLanguage would say Panjabi
  EXPECT_EQ(QueryLanguage("insani huqooq", true), "ur");    // read as Roman Urdu
  EXPECT_EQ(QueryLanguage("the right to education", false), "en");
  EXPECT_EQ(QueryLanguage("2016", false), "");
  EXPECT_EQ(QueryLanguage("", false), "");
}

TEST(QueryLanguage, OtherLanguageComparesPrimarySubtagsAndKnownCodes) {
  EXPECT_TRUE(OtherLanguage("skr", "ur"));
  EXPECT_TRUE(OtherLanguage("pnb", "ur"));
  EXPECT_TRUE(OtherLanguage("en", "ur"));
  EXPECT_FALSE(OtherLanguage("ur", "ur"));
  EXPECT_FALSE(OtherLanguage("ur-PK", "ur"));
  EXPECT_FALSE(OtherLanguage("urd", "ur"));
  EXPECT_FALSE(OtherLanguage("UR", "ur"));
  EXPECT_FALSE(OtherLanguage("lah", "pnb"));
  EXPECT_FALSE(OtherLanguage("", "ur"));  // unknown: never moved
  EXPECT_FALSE(OtherLanguage("skr", ""));
}

// The declaration in Urdu, Seraiki and Panjabi: the Seraiki text names «انسانی حقوق» two words
// earlier, so it scores a little higher (5.98 against 5.92 for the Urdu one, 5.92 for the
// Panjabi one); the Urdu one comes first all the same.
class ThreeLanguages : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = Index::Open(testing::TempDir("query-language"), IndexOptions());
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    struct D {
      const char *id, *title, *body, *lang;
    };
    const D docs[] = {
        {"ur", "انسانی حقوق کا عالمی منشور", "ہر انسان آزاد پیدا ہوا ہے اور انسانی حقوق اور عزت میں برابر ہے۔", "ur"},
        {"skr", "انسانی حقوق داعالمی منشور", "سارے انسان آزاد پیدا تھیندن تے انسانی حقوق وچ برابر ہن۔", "skr"},
        {"pnb", "انسانی حقوق دا عالمی منشور", "سارے انسان آزاد جمدے نیں تے انسانی حقوق وچ برابر نیں۔", "pnb"},
        {"en", "Universal Declaration of Human Rights", "All human beings are born free and equal in dignity and rights.", "en"},
    };
    for (const D& d : docs) {
      Document doc;
      doc.id = d.id;
      doc.title = d.title;
      doc.body = d.body;
      doc.lang = d.lang;
      ASSERT_TRUE(index_->Add(doc).ok());
    }
    ASSERT_TRUE(index_->Commit().ok());
  }
  std::vector<std::string> Ids(const std::string& q, const std::string& lang = "") {
    SearchRequest r;
    r.query = q;
    r.lang = lang;
    auto res = Searcher(index_->snapshot()).Search(r);
    EXPECT_TRUE(res.ok());
    std::vector<std::string> ids;
    if (res.ok())
      for (const Hit& h : res->hits) ids.push_back(h.id);
    return ids;
  }
  std::unique_ptr<Index> index_;
};

TEST_F(ThreeLanguages, TheQuerysLanguageComesFirst) {
  const auto ids = Ids("انسانی حقوق");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], "ur");
  // Sorted by score, the other two follow (their own order by score, both moved alike).
  EXPECT_EQ(Ids("insani huqooq").at(0), "ur");  // Roman Urdu is Urdu
  // lang: says which language is wanted.
  EXPECT_EQ(Ids("انسانی حقوق lang:skr"), std::vector<std::string>{"skr"});
  EXPECT_EQ(Ids("انسانی حقوق", "pnb"), std::vector<std::string>{"pnb"});
  // A query's own words still decide when the documents do not match about equally.
  EXPECT_EQ(Ids("انسانی حقوق دا تے وچ").at(0), "pnb");
  EXPECT_EQ(Ids("human rights dignity"), std::vector<std::string>{"en"});
}

}  // namespace
}  // namespace rasai
