#include "server/url.h"

#include <gtest/gtest.h>

namespace rasai::server {
namespace {

TEST(PercentDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(*PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(*PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(*PercentDecode("%D9%84%D8%A7", false), "\xD9\x84\xD8\xA7");
  EXPECT_EQ(*PercentDecode("%2f%2F", false), "//");
  EXPECT_EQ(*PercentDecode("", false), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("abc%", false));
  EXPECT_FALSE(PercentDecode("abc%4", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
  EXPECT_FALSE(PercentDecode("%4g", false));
  EXPECT_FALSE(PercentDecode("%00", false));  // an encoded NUL
}

TEST(PercentEncode, RoundTrips) {
  std::string s = "a/b c?d=e&f%g\xD9\x84~._-";
  std::string enc = PercentEncode(s);
  EXPECT_EQ(enc.find('/'), std::string::npos);
  EXPECT_EQ(enc.find(' '), std::string::npos);
  EXPECT_EQ(*PercentDecode(enc, false), s);
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("/"), "%2F");
}

TEST(ParseTarget, SplitsPathAndQuery) {
  auto t = ParseTarget("/api/search?q=%D9%84+x&n=5&&empty=&flag#frag");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->raw_path, "/api/search");
  ASSERT_EQ(t->params.size(), 4u);
  EXPECT_EQ(*t->Param("q"), "\xD9\x84 x");
  EXPECT_EQ(*t->Param("n"), "5");
  EXPECT_EQ(*t->Param("empty"), "");
  EXPECT_EQ(*t->Param("flag"), "");
  EXPECT_EQ(t->Param("missing"), nullptr);
}

TEST(ParseTarget, FirstValueWins) {
  auto t = ParseTarget("/x?a=1&a=2");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->Param("a"), "1");
}

TEST(ParseTarget, RejectsBadTargets) {
  EXPECT_FALSE(ParseTarget(""));
  EXPECT_FALSE(ParseTarget("api/search"));
  EXPECT_FALSE(ParseTarget("http://example.com/"));
  EXPECT_FALSE(ParseTarget("/s?q=%E0%A"));   // truncated escape
  EXPECT_FALSE(ParseTarget("/s?q%zz=1"));   // malformed escape in a name
  EXPECT_TRUE(ParseTarget("/s?q=%E0%A4"));  // well-formed escapes; UTF-8 is checked later
}

}  // namespace
}  // namespace rasai::server
