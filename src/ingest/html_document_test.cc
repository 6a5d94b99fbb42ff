#include <gtest/gtest.h>

#include <string>

#include "rasai/ingest.h"
#include "util/utf8.h"

namespace rasai {
namespace {

TEST(DocumentFromHtml, GoldenPage) {
  const char* html = R"(<!doctype html>
<html lang="ur" dir="rtl">
<head>
  <meta charset="utf-8">
  <title>  انسانی   حقوق  </title>
  <meta name="description" content="ایک خلاصہ">
  <link rel="canonical" href="https://example.org/udhr">
  <meta property="article:published_time" content="2020-01-02">
  <style>body { color: red }</style>
  <script>var x = "not text";</script>
</head>
<body>
  <nav>Home | About</nav>
  <h1>عالمی <b>منشور</b></h1>
  <p>پہلا پیراگراف، <a href="#">ربط</a> کے ساتھ۔</p>
  <p>Two<br>lines</p>
  <ul><li>one</li><li>two</li></ul>
  <table><tr><td>a</td><td>b</td></tr></table>
  <pre>  keep
    indented</pre>
  <noscript>enable js</noscript>
  <template><p>hidden template</p></template>
  <div hidden>hidden div</div>
  <script>document.write("no")</script>
  <!-- a comment -->
  <span>in</span><span>line</span> text
</body>
</html>)";
  Document d = DocumentFromHtml("site/page.html", html);
  EXPECT_EQ(d.id, "site/page.html");
  EXPECT_EQ(d.title, "انسانی حقوق");
  EXPECT_EQ(d.lang, "ur");
  EXPECT_EQ(d.summary, "ایک خلاصہ");
  EXPECT_EQ(d.url, "https://example.org/udhr");
  EXPECT_EQ(d.date, "2020-01-02");
  EXPECT_EQ(d.body,
            "Home | About\n"
            "عالمی منشور\n"
            "پہلا پیراگراف، ربط کے ساتھ۔\n"
            "Two\n"
            "lines\n"
            "one\n"
            "two\n"
            "a b\n"
            "keep\n"
            "indented\n"
            "inline text");
}

TEST(DocumentFromHtml, TitleFallsBackToH1AndXmlLang) {
  Document d = DocumentFromHtml("a.htm", R"(<html xml:lang="en-GB"><body><h1> The  Heading </h1><h1>second</h1><p>x</p>)");
  EXPECT_EQ(d.title, "The Heading");
  EXPECT_EQ(d.lang, "en-GB");
  EXPECT_EQ(d.body, "The Heading\nsecond\nx");
}

TEST(DocumentFromHtml, MalformedMarkup) {
  Document d = DocumentFromHtml("m.html", "<p>unclosed <b>bold <i>both</p><div><p>next</div></span></table>text<");
  EXPECT_EQ(d.title, "");
  EXPECT_EQ(d.body, "unclosed bold both\nnext\ntext<");
  Document e = DocumentFromHtml("e.html", "");
  EXPECT_EQ(e.title, "");
  EXPECT_EQ(e.body, "");
  Document t = DocumentFromHtml("t.html", "just text, no tags");
  EXPECT_EQ(t.body, "just text, no tags");
}

TEST(DocumentFromHtml, BrokenUtf8AndNulBytes) {
  std::string html = "<title>ab\xD8</title><p>x\xFF\xFEy</p><p>nul";
  html.push_back('\0');
  html += "here</p>";
  Document d = DocumentFromHtml("b.html", html);
  EXPECT_TRUE(IsValidUtf8(d.title));
  EXPECT_TRUE(IsValidUtf8(d.body));
  EXPECT_EQ(d.title, "ab\xEF\xBF\xBD");
  EXPECT_TRUE(d.body.starts_with("x\xEF\xBF\xBD\xEF\xBF\xBDy\n")) << d.body;
}

TEST(DocumentFromHtml, VeryDeepNestingDoesNotExhaustTheStack) {
  // gumbo's own tree destructor recurses once per level; 100,000 levels overflow an 8 MB stack
  // under AddressSanitizer. (Deep <div> nesting is quadratic inside gumbo, hence fewer.)
  std::string inl;
  for (int i = 0; i < 100000; ++i) inl += "<span>";
  inl += "x";
  EXPECT_EQ(DocumentFromHtml("s.html", inl).body, "x");
  std::string html;
  for (int i = 0; i < 3000; ++i) html += "<div>";
  html += "deep";
  EXPECT_EQ(DocumentFromHtml("deep.html", html).body, "deep");
}

}  // namespace
}  // namespace rasai
