#include "ingest/site_mirror.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rasai/ingest.h"
#include "test_util.h"

namespace rasai {
namespace {

using ingest_internal::ClassifyPage;
using ingest_internal::PageFacts;
using ingest_internal::PageKey;
using ingest_internal::PageKind;

TEST(SiteMirror, PageKeysOfCopiesMeet) {
  EXPECT_EQ(PageKey("https://www.example.pk/news/a.html"), "example.pk/news/a.html");
  EXPECT_EQ(PageKey("http://example.pk/news/a.html#comments"), "example.pk/news/a.html");
  EXPECT_EQ(PageKey("example.pk/news/a.html?print=1"), "example.pk/news/a.html");
  EXPECT_EQ(PageKey("example.pk/print/news/a.html"), "example.pk/news/a.html");
  EXPECT_EQ(PageKey("example.pk/news/a/amp/index.html"), "example.pk/news/a");
  EXPECT_EQ(PageKey("example.pk/index.html?page=2"), "example.pk");
  EXPECT_EQ(PageKey("example.pk/index.html?page=2.html"), "example.pk");
  // A query that names the article stays: these are two pages.
  EXPECT_NE(PageKey("example.pk/news.php?id=12"), PageKey("example.pk/news.php?id=13"));
  EXPECT_EQ(PageKey("example.pk/news.php?utm_source=fb&id=12"), PageKey("example.pk/news.php?id=12"));
}

TEST(SiteMirror, AddressesOfPagesThatAreNoArticles) {
  PageFacts article;
  article.article_type = true;
  article.paragraphs = 8;
  article.article_chars = 4000;
  auto kind = [&](const char* path) { return ClassifyPage(path, article, nullptr); };
  EXPECT_EQ(kind("example.pk/2021/04/27/korea-center/index.html"), PageKind::kArticle);
  EXPECT_EQ(kind("example.pk/news/tag-line-of-the-day.html"), PageKind::kArticle);
  EXPECT_EQ(kind("example.pk/news.php?id=12"), PageKind::kArticle);
  EXPECT_EQ(kind("example.pk/tag/pakistan/index.html"), PageKind::kTag);
  EXPECT_EQ(kind("example.pk/category/world/index.html"), PageKind::kCategory);
  EXPECT_EQ(kind("example.pk/author/web-desk/index.html"), PageKind::kAuthor);
  EXPECT_EQ(kind("example.pk/page/2/index.html"), PageKind::kPagination);
  EXPECT_EQ(kind("example.pk/category/world/page/3/index.html"), PageKind::kCategory);
  EXPECT_EQ(kind("example.pk/index.html?page=2"), PageKind::kPagination);
  EXPECT_EQ(kind("example.pk/index.html?s=korea"), PageKind::kSearch);
  EXPECT_EQ(kind("example.pk/search/index.html"), PageKind::kSearch);
  EXPECT_EQ(kind("example.pk/wp-login.php.html"), PageKind::kLogin);
  EXPECT_EQ(kind("example.pk/2021/04/index.html"), PageKind::kArchive);
  // The same words as an article's name are no signal.
  EXPECT_EQ(kind("example.pk/news/page-three-girls.html"), PageKind::kArticle);
  EXPECT_EQ(kind("example.pk/2021/04/27/search-for-survivors/index.html"), PageKind::kArticle);
}

TEST(SiteMirror, PagesThatAreNoArticlesByWhatTheyHold) {
  PageFacts listing;
  listing.headline_links = 40;
  listing.headline_chars = 2000;
  listing.page_chars = 6000;
  listing.link_chars = 4000;
  listing.article_chars = 600;
  std::string why;
  EXPECT_EQ(ClassifyPage("example.pk/pakistan.html", listing, &why), PageKind::kListing);
  EXPECT_NE(why.find("40 headline links"), std::string::npos) << why;
  PageFacts login;
  login.has_password = true;
  login.article_chars = 200;
  EXPECT_EQ(ClassifyPage("example.pk/members.html", login, nullptr), PageKind::kLogin);
  // A short article among many links to other stories is still an article.
  PageFacts brief = listing;
  brief.paragraphs = 2;
  brief.headline_chars = 250;
  EXPECT_EQ(ClassifyPage("example.pk/news/brief.html", brief, nullptr), PageKind::kArticle);
}

// A small mirror as wget --mirror leaves it: real article pages (from the shared Readability
// pages), a print copy, the front page, category, tag, author, date-archive and search pages,
// page 2 of the front page (both ways wget saves it), a login form, and an HTTrack page.
TEST(SiteMirror, MirrorBuiltFromSharedPages) {
  RASAI_REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  const fs::path pages = testing::SharedData() + "/html/readability-test-pages";
  for (const char* p : {"bbc-1", "nytimes-1", "lemonde-1", "rtl-1"})
    if (!fs::exists(pages / p / "source.html")) GTEST_SKIP() << pages / p << " is absent";
  auto page = [&](const char* name) { return testing::ReadFile((pages / name / "source.html").string()); };
  const std::string root = testing::TempDir("mirror") + "/example.pk";
  auto put = [&](const std::string& path, const std::string& html) {
    fs::create_directories(fs::path(root + "/" + path).parent_path());
    testing::WriteFile(root + "/" + path, html);
  };

  // A listing of teasers, as front, category, tag and archive pages are.
  auto listing = [](const std::string& title) {
    std::string h = "<html><head><title>" + title + " - Example News</title></head><body><nav><a href=/>Home</a> <a href=/world/>World</a></nav><h1>" + title + "</h1>";
    for (int i = 0; i < 24; ++i) {
      h += "<div class=teaser><h2><a href=\"/news/story-" + std::to_string(i) + ".html\">Story number " + std::to_string(i) +
           " of the day, with a long headline</a></h2><p>A line or two about this story " + std::to_string(i) +
           ", what happened and where.</p><a class=more href=\"/news/story-" + std::to_string(i) + ".html\">Read more</a></div>";
    }
    return h + "<div class=pager><a href=/page/2/>Next page</a></div><footer>© Example News</footer></body></html>";
  };
  put("index.html", listing("Example News: latest"));
  put("index.html?page=2", listing("Example News: latest, page 2"));
  put("page/2/index.html", listing("Latest news, page 2"));
  put("category/world/index.html", listing("World"));
  put("tag/pakistan/index.html", listing("Pakistan"));
  put("author/web-desk/index.html", listing("Web desk"));
  put("2017/01/index.html", listing("January 2017"));
  put("search/index.html?q=sudan", listing("Search results for sudan"));
  put("pakistan.html", listing("Pakistan"));  // a section front whose address says nothing
  put("wp-login.php.html", "<html><title>Log in</title><form><input name=log><input type=password name=pwd><input type=submit></form></html>");
  put("members.html", "<html><title>Members</title><body><h1>Members' area</h1><p>Log in to read.</p><form><input name=user>"
                      "<input type=password name=pass></form></body></html>");
  // Articles, a print copy of one (the same page) and an HTTrack copy with no canonical link.
  put("news/world-us-canada-33646704.html", page("bbc-1"));
  put("news/world-us-canada-33646704.html?print=1", page("bbc-1"));
  put("2017/01/13/world/africa/sudan-sanctions.html", page("nytimes-1"));
  put("pixels/article/loi-sur-le-renseignement.html", page("lemonde-1"));
  std::string httrack = page("rtl-1");
  const size_t at = httrack.find("<head");
  httrack.insert(at == std::string::npos ? 0 : at,
                 "<!-- Mirrored from www.example.pk/ar/rtl-story.html by HTTrack Website Copier/3.x [XR&CO'2014], Mon, 27 Apr 2021 10:00:00 GMT -->\n");
  put("ar/rtl-story.html", httrack);

  std::vector<Document> docs;
  IngestStats stats;
  ASSERT_TRUE(IngestPath(root, [&](Document&& d) { docs.push_back(std::move(d)); return Status::OK(); }, &stats).ok());
  std::map<std::string, std::string> urls;
  for (const auto& d : docs) urls[d.id] = d.url;
  std::map<std::string, std::string> skipped;
  for (const auto& p : stats.problems) skipped[fs::path(p.file).lexically_relative(root).generic_string()] = p.reason;
  std::string all;
  for (const auto& [k, v] : skipped) all += k + ": " + v + "\n";
  SCOPED_TRACE(all);
  // Articles indexed once each, with their original URLs.
  EXPECT_EQ(urls.size(), 4u);
  EXPECT_EQ(urls["news/world-us-canada-33646704.html"], "http://www.bbc.com/news/world-us-canada-33646704");
  EXPECT_EQ(urls["2017/01/13/world/africa/sudan-sanctions.html"], "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html");
  EXPECT_TRUE(urls["pixels/article/loi-sur-le-renseignement.html"].starts_with("http://www.lemonde.fr/pixels/article/2015/05/04/"));
  EXPECT_EQ(urls["ar/rtl-story.html"], "http://www.example.pk/ar/rtl-story.html");
  // Everything else skipped, and named with the reason.
  const std::map<std::string, std::string> want = {
      {"index.html", "listing"},
      {"index.html?page=2", "page 2 of a listing"},
      {"page/2/index.html", "page 2 of a listing"},
      {"category/world/index.html", "category page"},
      {"tag/pakistan/index.html", "tag page"},
      {"author/web-desk/index.html", "author page"},
      {"2017/01/index.html", "archive"},
      {"search/index.html?q=sudan", "search results"},
      {"pakistan.html", "listing"},
      {"wp-login.php.html", "login"},
      {"members.html", "login form"},
      {"news/world-us-canada-33646704.html?print=1", "a copy of news/world-us-canada-33646704.html"}};
  EXPECT_EQ(skipped.size(), want.size());
  for (const auto& [path, reason] : want) {
    ASSERT_TRUE(skipped.count(path)) << path;
    EXPECT_NE(skipped[path].find("not an article: " + reason), std::string::npos) << path << ": " << skipped[path];
  }
  EXPECT_EQ(stats.skipped, want.size());
}

}  // namespace
}  // namespace rasai
