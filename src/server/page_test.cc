#include "server/page.h"

#include <gtest/gtest.h>

#include "rasai/analysis.h"
#include "server/url.h"

namespace rasai::server {
namespace {

TEST(HtmlEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("لاہور"), "لاہور");
}

TEST(Direction, LanguagesAndScripts) {
  EXPECT_TRUE(IsRightToLeft("ur"));
  EXPECT_TRUE(IsRightToLeft("ur-PK"));
  EXPECT_TRUE(IsRightToLeft("AR"));
  EXPECT_TRUE(IsRightToLeft("fa_IR"));
  EXPECT_FALSE(IsRightToLeft("en"));
  EXPECT_FALSE(IsRightToLeft("urx"));
  EXPECT_FALSE(IsRightToLeft(""));
  EXPECT_TRUE(LooksRtl("لاہور میں بارش"));
  EXPECT_TRUE(LooksRtl("2016 میں Lahore کی بارش اور سیلاب"));
  EXPECT_FALSE(LooksRtl("Rain in Lahore, لاہور"));
  EXPECT_FALSE(LooksRtl("123 ۱۲۳ ..."));  // digits only: no strong letters
}

TEST(Direction, DocumentLangDir) {
  Document d;
  d.lang = "en";
  d.title = "لاہور";
  EXPECT_STREQ(DocumentLangDir(d).dir, "ltr");  // the declared language wins
  d.lang = "";
  EXPECT_STREQ(DocumentLangDir(d).dir, "rtl");
  EXPECT_EQ(DocumentLangDir(d).lang, "ur");
  d.title = "Hello";
  EXPECT_STREQ(DocumentLangDir(d).dir, "ltr");
  EXPECT_EQ(DocumentLangDir(d).lang, "");
}

TEST(ReaderPage, RendersEscapedArticle) {
  StaticFiles files("");
  Document d;
  d.id = "a/b<c>";
  d.title = "لاہور <script>alert(1)</script>";
  d.body = "پہلا پیراگراف\n\n  دوسرا & تیسرا  \nEnglish line\nAndroid فون پر اردو لکھنے کے لیے Settings کھولیے\n123";
  d.lang = "ur";
  d.source = "BBC Urdu";
  d.date = "2016-07-01T10:00:00Z";
  d.url = "https://example.org/x?a=1&b=2";
  std::string html = RenderReaderPage(files, d);
  EXPECT_NE(html.find("lang=\"ur\" dir=\"rtl\""), std::string::npos);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("لاہور &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<p dir=\"rtl\">پہلا پیراگراف</p>"), std::string::npos);
  EXPECT_NE(html.find("<p dir=\"rtl\">دوسرا &amp; تیسرا</p>"), std::string::npos);
  EXPECT_NE(html.find("<p dir=\"ltr\">English line</p>"), std::string::npos);
  // Mostly Urdu, though it starts with an English word: right to left (dir=auto would say ltr).
  EXPECT_NE(html.find("<p dir=\"rtl\">Android فون"), std::string::npos);
  EXPECT_NE(html.find("<p dir=\"rtl\">123</p>"), std::string::npos);  // no letters: the article's
  EXPECT_NE(html.find("<h1 class=\"title\" dir=\"ltr\">"), std::string::npos);  // mostly Latin letters
  EXPECT_NE(html.find("datetime=\"2016-07-01\""), std::string::npos);
  EXPECT_NE(html.find("BBC Urdu"), std::string::npos);
  EXPECT_NE(html.find("https://example.org/x?a=1&amp;b=2"), std::string::npos);
  EXPECT_NE(html.find("data-id-url=\"a%2Fb%3Cc%3E\""), std::string::npos);
  EXPECT_NE(html.find("data-id=\"a/b&lt;c&gt;\""), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos);  // every placeholder filled
  EXPECT_NE(html.find("/app.css?v=" + files.version()), std::string::npos);
}

TEST(SafeSnippet, KeepsOnlyMark) {
  EXPECT_EQ(SafeSnippet("a <mark>b</mark> &amp; c"), "a <mark>b</mark> &amp; c");
  EXPECT_EQ(SafeSnippet("<script>x</script><mark onclick=1>y"), "&lt;script>x&lt;/script>&lt;mark onclick=1>y");
  EXPECT_EQ(SafeSnippet("<"), "&lt;");
}

TEST(ResultsUrl, EncodesEveryPart) {
  ResultsView v;
  v.query = "لاہور & co";
  v.source = "BBC Urdu";
  v.year = "2016";
  v.page = 3;
  EXPECT_EQ(ResultsUrl(v), "/search?q=" + PercentEncode("لاہور & co") + "&source=BBC%20Urdu&year=2016&page=3");
  v.page = 1;
  v.source.clear();
  v.year.clear();
  EXPECT_EQ(ResultsUrl(v), "/search?q=" + PercentEncode("لاہور & co"));
}

TEST(ResultsPage, EstimatedTotalSaysAbout) {
  StaticFiles files("");
  ResultsView view;
  view.query = "لاہور";
  SearchResult r;
  r.total = 1200;
  r.total_exact = false;
  EXPECT_NE(RenderResultsPage(files, view, &r).find("تقریباً 1200 نتائج"), std::string::npos);
  r.total_exact = true;
  std::string exact = RenderResultsPage(files, view, &r);
  EXPECT_NE(exact.find("1200 نتائج"), std::string::npos);
  EXPECT_EQ(exact.find("تقریباً"), std::string::npos);
}

TEST(ErrorPage, CarriesStatusAndEscapedMessage) {
  StaticFiles files("");
  std::string html = RenderErrorPage(files, 404, "no <such> page");
  EXPECT_NE(html.find("404"), std::string::npos);
  EXPECT_NE(html.find("no &lt;such&gt; page"), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos);
}

}  // namespace
}  // namespace rasai::server
