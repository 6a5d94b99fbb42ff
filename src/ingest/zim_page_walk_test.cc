// WalkPageText against the parse it stands for: the same Document from either way, on made-up
// pages and on every HTML article of the shared archives.
#include <gtest/gtest.h>
#include <zim/archive.h>
#include <zim/entry.h>
#include <zim/item.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "ingest/zim_internal.h"
#include "rasai/zim.h"
#include "util/utf8.h"
#include "test_util.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;
using zim_internal::WalkPageText;
using zim_internal::ZimArticleDocumentOf;

// True when the walk reads `html` and gives what the parse gives.
bool WalksAlike(const std::string& html, const std::string& title = "T") {
  std::string text;
  size_t body = 0;
  std::vector<std::string> dates;
  const bool walked = !title.empty() && WalkPageText(WithoutWikiApparatus(html), &text, &body, &dates);
  const Document a = ZimArticleDocumentOf("x", title, html, true), b = ZimArticleDocumentOf("x", title, html, false);
  EXPECT_EQ(a.body, b.body) << html;
  EXPECT_EQ(a.summary, b.summary) << html;
  EXPECT_EQ(a.date, b.date) << html;
  EXPECT_EQ(a.lang, b.lang) << html;
  return walked;
}

std::string Page(const std::string& body, const std::string& head = "<title>T</title>") {
  return "<!DOCTYPE html>\n<html lang=\"ur\"><head><meta charset=\"utf-8\">" + head + "</head>\n<body>" + body +
         "</body></html>\n";
}

// WalkableBytes as it was first written: IsValidUtf8, then a byte loop for the characters the
// parser treats its own way.
bool WalkableReference(std::string_view s) {
  if (!IsValidUtf8(s)) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return false;
    if (c == 0xEF && i + 2 < s.size() &&
        ((s[i + 1] == '\xB7' && static_cast<unsigned char>(s[i + 2]) >= 0x90 && static_cast<unsigned char>(s[i + 2]) <= 0xAF) ||
         (s[i + 1] == '\xBF' && static_cast<unsigned char>(s[i + 2]) >= 0xBE)))
      return false;
  }
  return true;
}

TEST(ZimPageWalk, WalkableBytesIsTheByteByByteCheck) {
  const std::vector<std::string> pieces = {
      "a", "<p>", " ", "\t", "\n", "\r", "\f", "\v", std::string(1, '\0'), "\x01", "\x1F", "\x7F", "abcdefgh",
      "ایک", "\xC2\xA0", "\xC2\x80", "\xC2\x9F", "\xC2", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80",
      "\xEF\xB7\x8F", "\xEF\xB7\x90", "\xEF\xB7\xAF", "\xEF\xB7\xB0", "\xEF\xBF\xBD", "\xEF\xBF\xBE",
      "\xEF\xBF\xBF", "\xEF\xBF", "\xF0\x9F\x98\x80", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
      "\xF8\x88\x80\x80\x80", "\x80", "\xBF", "\xFF", "\xEF\xBB\xBF"};
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  int walkable = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const int count = static_cast<int>(next() % 24);
    for (int k = 0; k < count; ++k) s += pieces[next() % pieces.size()];
    if (next() % 4 == 0) s += std::string(next() % 20, 'x');  // long ASCII runs, 8 bytes at a time
    ASSERT_EQ(zim_internal::WalkableBytes(s), WalkableReference(s)) << ::testing::PrintToString(s);
    walkable += WalkableReference(s);
  }
  EXPECT_GT(walkable, 1000);  // both answers are well represented
  EXPECT_LT(walkable, 19000);
}

TEST(ZimPageWalk, SpacesAndReferencesAsTheParseHasThem) {
  EXPECT_TRUE(WalksAlike(Page("<p>\xC2\xA0" "a\xC2\xA0\xC2\xA0" "b \xC2\xA9 c\xC2\xA0</p>"
                              "<p>&amp;x&amp;&lt;y&gt; & z &#1575;&</p>")));
  EXPECT_TRUE(WalksAlike(Page("<pre>\r\n a \xC2\xA0\n\n\xC2\xAE" "b\r</pre><p> c\f\td</p>")));
  EXPECT_FALSE(WalksAlike(Page("<p>a\vb</p>")));  // a control character: left to the parse
  EXPECT_TRUE(WalksAlike(Page("<p>&amp;</p><p>x&amp;</p><p>&amp;y</p><p>&nbsp;&nbsp;z&nbsp;</p>")));
}

TEST(ZimPageWalk, ReadsWellFormedPagesAsTheParseDoes) {
  EXPECT_TRUE(WalksAlike(Page("<h1>T</h1>\n<p>ایک &amp; دو</p>\n<p>three&nbsp;four &#x41;&#66;</p>")));
  EXPECT_TRUE(WalksAlike(Page("<p>a<b>b</b>c<br>d</p><ul><li>x<li>y</ul><div>e<p>f</div>g")));
  EXPECT_TRUE(WalksAlike(Page("<table><tr><th>k</th><td>v<td>w</tr><tr><td><table><tr><td>in</td></tr></table>"
                              "</td></tr></table>after")));
  EXPECT_TRUE(WalksAlike(Page("<pre>\nline 1\n  line 2\n</pre><p>x  \n y</p>")));
  EXPECT_TRUE(WalksAlike(Page("<p>keep<span hidden>gone <b>too</b></span> this<img src=a.png>"
                              "<script>var x = '<p>no</p>';</script><style>p{}</style><noscript>n</noscript></p>")));
  EXPECT_TRUE(WalksAlike(Page("<p>x<math><mi>y</mi><mo>=</mo></math> z<svg><g><text>no</text></g></svg></p>")));
  EXPECT_TRUE(WalksAlike(Page("<p>a < b, c <!-- comment --> d</p>")));
  // A date in an element named for it, as the metadata reader finds it when the head has none.
  EXPECT_TRUE(WalksAlike(Page("<p>Posted <span class=\"post-date\">2 <b>Jan</b> 2020</span> by x</p>")));
  EXPECT_TRUE(WalksAlike(Page("<div id=time>x<br>y</div><div class=date>5 March 2024</div>")));
  EXPECT_TRUE(WalksAlike(Page("<div class=date>5 March 2024</div>", "<title>T</title><meta name=date content=2020-01-01>")));
  EXPECT_TRUE(WalksAlike(Page("<p>toc<meta property=\"mw:PageProp/toc\"></p>")));
  EXPECT_TRUE(WalksAlike(Page("<p>x</p>", "<title>T</title><meta name=\"description\" content=\"About it\">"
                                          "<meta property=\"article:published_time\" content=\"2019-08-14\">")));
}

TEST(ZimPageWalk, LeavesToTheParseWhatItCannotBeSureOf) {
  EXPECT_FALSE(WalksAlike(Page("<table>stray<tr><td>x</td></tr></table>")));       // moved before the table
  EXPECT_FALSE(WalksAlike(Page("<table><tr><div>x</div><td>y</td></tr></table>")));  // the same
  EXPECT_FALSE(WalksAlike(Page("<p>&notin; &eacute;</p>")));                        // a reference not known
  EXPECT_FALSE(WalksAlike(Page("<p>AT&T</p>")));
  EXPECT_FALSE(WalksAlike(Page("<p>&#150;</p>")));                                  // read as windows-1252
  EXPECT_FALSE(WalksAlike(Page("<p>Posted <time datetime=\"2020-01-02\">then</time></p>")));
  EXPECT_FALSE(WalksAlike(Page("<p><meta itemprop=\"datePublished\" content=\"2020-01-02\"></p>")));
  EXPECT_FALSE(WalksAlike(Page("<div class=date>on <span hidden>x</span> 5 March 2024</div>")));
  EXPECT_FALSE(WalksAlike(Page("<p hidden>x<div>y</div>")));                        // ends without its end tag
  EXPECT_FALSE(WalksAlike(Page("<svg><p>breaks out</p></svg>")));
  EXPECT_FALSE(WalksAlike("<h1>no body tag</h1><p>text</p>"));
  EXPECT_FALSE(WalksAlike("<html><head><title>T</title></head>text<body>x</body></html>"));
  EXPECT_FALSE(WalksAlike(Page("<p>x</p>"), ""));  // no title: the page's own is looked for
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += "<div>";
  EXPECT_FALSE(WalksAlike(Page(deep + "x")));
}

// Markup zim_walk_fuzz found read otherwise by the walk than by the parser (each now read alike,
// by the walk or by the parse).
TEST(ZimPageWalk, WhatTheFuzzerFoundReadsAlike) {
  WalksAlike(Page("<div><tr><th>Province</th><td>Punjab<td>Pakistan</tr></table>after"));  // no table
  WalksAlike(Page("<h1>T<p><b>x</p>\n<h2>H</h2><span class=date>5 March 2024</span>"));   // <b> reopened
  WalksAlike(Page("<p>a<script>var x = 1;</script/<b x=\"<p>\";</script>b</p>"));        // '>' in a quote
  WalksAlike(Page("<p>c<math><mi>x<h><mi>x</mi></math> d</p><p>e</p>"));                  // HTML in <mi>
  WalksAlike(Page("<table><tr><th>a<h2>b<x</th><td>c<td>d</tr></table>"));                 // a cell ends <h2>
  WalksAlike(Page("<p>go\b\bul</p>"));                                                    // control characters
  WalksAlike(Page("<ul><li>a<li>b</li>x</li>c</ul>a</div>b"));                              // stray end tags
  WalksAlike(Page("<b><div>x</b>y</div><i>z<p>w</i>v</p>"));                               // misnested formatting
  WalksAlike(Page("<table><th>P</th><td>a<td>b</tr><ul><li>x</ul>"));                       // the row it implies
  WalksAlike(Page("<span class class=\"date\">5 March 2024</span>"));                       // the first class counts
}

// Every HTML article of the archives under `dir` (and of $RASAI_ZIM_WALK_EXTRA, a ZIM file): the
// walk gives what the parse gives; counts the pages read each way.
void CompareArchive(const std::string& path, uint64_t* walked, uint64_t* parsed) {
  auto archive = ZimArchive::Open(path);
  if (!archive.ok()) return;  // the damaged ones
  const zim::Archive& a = (*archive)->archive();
  for (const zim::Entry& e : a.iterByPath()) {
    if (e.isRedirect()) continue;
    const zim::Item item = e.getItem();
    if (!item.getMimetype().starts_with("text/html")) continue;
    const std::string html(item.getData());
    std::string text;
    size_t body = 0;
  std::vector<std::string> dates;
    const std::string title = e.getTitle();
    const bool walk = !title.empty() && WalkPageText(WithoutWikiApparatus(html), &text, &body, &dates);
    ++*(walk ? walked : parsed);
    const Document x = ZimArticleDocumentOf("x", title, html, true), y = ZimArticleDocumentOf("x", title, html, false);
    EXPECT_EQ(x.body, y.body) << path << " " << e.getPath();
    EXPECT_EQ(x.title, y.title) << path << " " << e.getPath();
    EXPECT_EQ(x.summary, y.summary) << path << " " << e.getPath();
    EXPECT_EQ(x.date, y.date) << path << " " << e.getPath();
    EXPECT_EQ(x.lang, y.lang) << path << " " << e.getPath();
  }
}

TEST(ZimPageWalk, EveryPageOfTheSharedArchivesReadsAlike) {
  const std::string dir = testing::SharedData() + "/zim";
  if (!fs::exists(dir)) GTEST_SKIP() << "no shared data at " << dir;
  uint64_t walked = 0, parsed = 0;
  for (const auto& f : fs::recursive_directory_iterator(dir)) {
    const std::string name = f.path().filename().string();
    if (!IsZimFileName(name) || name.starts_with("invalid.")) continue;
    uint64_t w = 0, p = 0;
    CompareArchive(f.path().string(), &w, &p);
    std::cout << name << ": " << w << " pages walked, " << p << " parsed\n";
    walked += w;
    parsed += p;
  }
  if (const char* extra = std::getenv("RASAI_ZIM_WALK_EXTRA")) {
    uint64_t w = 0, p = 0;
    CompareArchive(extra, &w, &p);
    std::cout << extra << ": " << w << " pages walked, " << p << " parsed\n";
  }
  // Wikipedia's pages (mwoffliner) are what the walk is for: most of them take it.
  EXPECT_GT(walked, parsed);
}

}  // namespace
}  // namespace rasai
