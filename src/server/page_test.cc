#include "server/page.h"

#include <gtest/gtest.h>

#include "rasai/analysis.h"
#include "server/url.h"
#include "util/utf8.h"

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

// A date is shown by its first 10 characters (YYYY-MM-DD), never cut inside a character: dates
// are stored as given, and may be written in Urdu digits (2 bytes each in UTF-8).
TEST(Pages, ADateInOtherDigitsIsNotCutInsideACharacter) {
  StaticFiles files("");
  Document d;
  d.id = "ur-date";
  d.title = "بارش";
  d.body = "بارش";
  d.date = "۲۰۱۶-۰۷-۰۱T10:00";
  std::string reader = RenderReaderPage(files, d);
  EXPECT_TRUE(IsValidUtf8(reader));
  EXPECT_NE(reader.find(">۲۰۱۶-۰۷-۰۱</time>"), std::string::npos);

  ResultsView view;
  view.query = "بارش";
  SearchResult r;
  r.total = 2;
  Hit h;
  h.id = "ur-date";
  h.title = "بارش";
  h.date = d.date;
  r.hits.push_back(h);
  h.id = "other";
  h.date = "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD";  // four U+FFFD: 12 bytes
  r.hits.push_back(h);
  std::string results = RenderResultsPage(files, view, &r);
  EXPECT_TRUE(IsValidUtf8(results));
  EXPECT_NE(results.find(">۲۰۱۶-۰۷-۰۱</time>"), std::string::npos);
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

// An edited copy of an article on the page is a line under that article, linking to the copy;
// a copy of an article not on the page is a result of its own.
TEST(ResultsPage, AnEditedCopyIsALineUnderItsArticle) {
  StaticFiles files("");
  ResultsView view;
  view.query = "بارش";
  SearchResult r;
  r.total = 4;
  auto hit = [](const std::string& id, const std::string& title, const std::string& copy_of) {
    Hit h;
    h.id = id;
    h.title = title;
    h.lang = "ur";
    h.snippet = "<mark>بارش</mark> " + id;
    h.copy_of = copy_of;
    return h;
  };
  r.hits = {hit("a", "کراچی میں بارش", ""), hit("b", "لاہور", ""), hit("a2", "کراچی میں <طوفانی> بارش", "a"),
            hit("c2", "پشاور", "c")};
  const std::string page = RenderResultsPage(files, view, &r);
  size_t items = 0;
  for (size_t at = 0; (at = page.find("<li class=\"hit\"", at)) != std::string::npos; ++at) ++items;
  EXPECT_EQ(items, 3u);  // a (with its copy), b, c2
  const size_t a = page.find("/read/a\""), copy = page.find("<p class=\"copy\">"), b = page.find("/read/b\"");
  ASSERT_NE(copy, std::string::npos);
  EXPECT_LT(a, copy);
  EXPECT_LT(copy, b);  // inside a's item, before the next
  EXPECT_LT(page.find("</li>", a), b);
  EXPECT_GT(page.find("</li>", a), copy);
  EXPECT_NE(page.find("یہی خبر دوسرے عنوان سے: <a dir=\"auto\" href=\"/read/a2\">کراچی میں &lt;طوفانی&gt; بارش</a>"),
            std::string::npos);
  EXPECT_EQ(page.find("<mark>بارش</mark> a2"), std::string::npos);  // no snippet of its own
  EXPECT_NE(page.find("<mark>بارش</mark> c2"), std::string::npos);
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
