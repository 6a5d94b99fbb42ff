#include "ingest/page_metadata.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/html_parse.h"
#include "rasai/ingest.h"

namespace rasai::ingest_internal {
namespace {

PageMetadata Meta(const std::string& html) {
  HtmlParse parse(html, nullptr, nullptr);
  return ReadPageMetadata(parse.root());
}

TEST(PageMetadata, TitleFromMetadataFirstThenTitleWithoutTheSiteName) {
  EXPECT_EQ(Meta("<title>A - B</title><meta property='og:title' content='From og'>").title, "From og");
  EXPECT_EQ(Meta("<title>T</title><meta name='twitter:title' content='From twitter'>").title, "From twitter");
  // JSON-LD first, also inside @graph; a name that is the site's gives way to the headline.
  EXPECT_EQ(Meta(R"(<title>Storm hits the coast tonight | Example</title><meta property='og:title' content='og'>
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example"},
    {"@type":"NewsArticle","headline":"Storm hits the coast tonight","name":"Example News Site"}]}</script>)")
                .title,
            "Storm hits the coast tonight");
  // <title>: the last part after a separator is the site's name when enough words are left.
  EXPECT_EQ(Meta("<title>Flooding closes the main road to Murree - Daily Example</title>").title,
            "Flooding closes the main road to Murree");
  EXPECT_EQ(Meta("<title>کراچی میں بارش کے بعد سڑکیں زیر آب | روزنامہ مثال</title>").title, "کراچی میں بارش کے بعد سڑکیں زیر آب");
  // Short titles keep the site's name unless og:site_name or the <h1> says which part it is.
  EXPECT_EQ(Meta("<title>Rain in Lahore - Dawn</title>").title, "Rain in Lahore - Dawn");
  EXPECT_EQ(Meta("<title>Rain in Lahore - Dawn</title><meta property='og:site_name' content='Dawn'>").title, "Rain in Lahore");
  // No <title>: the <h1>.
  EXPECT_EQ(Meta("<body><h1>Only a heading</h1><p>x</p>").title, "Only a heading");
  // Escaped twice in the page: unescaped once more.
  EXPECT_EQ(Meta("<meta property='og:title' content='Tom &amp;amp; Jerry &#x2013; a history'>").title, "Tom & Jerry – a history");
}

TEST(PageMetadata, DatesAuthorsAddressesAndDirection) {
  PageMetadata m = Meta(R"(<html lang="ur" dir="rtl"><head><link rel="canonical" href="https://example.pk/a">
    <meta name="author" content="ویب ڈیسک"><meta property="og:site_name" content="روزنامہ مثال">
    <meta property="og:type" content="article"></head><body><span class="post-date">۲۷ اپریل ۲۰۲۱</span></body></html>)");
  EXPECT_EQ(m.date, "2021-04-27");
  EXPECT_EQ(m.author, "ویب ڈیسک");
  EXPECT_EQ(m.canonical, "https://example.pk/a");
  EXPECT_EQ(m.site_name, "روزنامہ مثال");
  EXPECT_EQ(m.lang, "ur");
  EXPECT_EQ(m.dir, "rtl");
  EXPECT_TRUE(m.article_type);
  // JSON-LD's datePublished and authors; a <time> element; an article:author that is a URL is no name.
  m = Meta(R"(<script type="application/ld+json">{"@context":"http://schema.org","@type":"NewsArticle",
    "datePublished":"2020-02-03T04:05:06Z","author":[{"name":"A. One"},{"name":"B. Two"}]}</script>)");
  EXPECT_EQ(m.date, "2020-02-03T04:05:06Z");
  EXPECT_EQ(m.author, "A. One, B. Two");
  m = Meta("<meta property='article:author' content='https://facebook.com/x'><body><time datetime='2019-09-09'>9 Sep</time>");
  EXPECT_EQ(m.author, "");
  EXPECT_EQ(m.date, "2019-09-09");
  // The address a site copier recorded.
  m = Meta("<!-- Mirrored from www.example.pk/news/a.html by HTTrack Website Copier/3.x [XR&CO'2014], Mon, 27 Apr 2021 -->"
           "<html><title>t</title>");
  EXPECT_EQ(m.copied_from, "http://www.example.pk/news/a.html");
  m = Meta("<!-- saved from url=(0032)https://example.pk/news/b.html --><html><title>t</title>");
  EXPECT_EQ(m.copied_from, "https://example.pk/news/b.html");
  // Broken JSON-LD and hostile nesting are ignored.
  m = Meta(std::string("<script type='application/ld+json'>") + std::string(100000, '[') + "</script><title>x y z w v</title>");
  EXPECT_EQ(m.title, "x y z w v");
  m = Meta("<script type='application/ld+json'>{\"@context\":\"https://schema.org\",\"@type\":</script><title>x y z w v</title>");
  EXPECT_EQ(m.title, "x y z w v");
}

TEST(PageMetadata, DirectionFollowsTheLanguageWhenThePageDoesNotSay) {
  Document d = DocumentFromHtml("u.html", "<html lang=ur><title>خبر</title><p>متن</p>");
  bool rtl = false;
  for (const auto& [k, v] : d.extra) rtl = rtl || (k == "dir" && v == "\"rtl\"");
  EXPECT_TRUE(rtl);
}

}  // namespace
}  // namespace rasai::ingest_internal
