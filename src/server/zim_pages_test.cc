// ZIM archives in an index: AddZimArchive's versions and RemoveSource (zim_collection), and their
// pages served through the Router at /zim/ (zim_pages).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "rasai/sources.h"
#include "rasai/zim.h"
#include "server/router.h"
#include "server/zim_collection.h"
#include "server/zim_pages.h"
#include "test_util.h"
#include "zim_fixture.h"

namespace rasai::server {
namespace {

namespace fs = std::filesystem;
using rasai::testing::HtmlArticle;
using rasai::testing::ZimSpec;

ZimSpec Version(const std::string& date, bool with_old_article) {
  ZimSpec spec;
  spec.metadata["Date"] = date;
  spec.metadata["Title"] = "Test wiki";
  spec.items.push_back(HtmlArticle("Lahore", "Lahore", "<p>Lahore is a city. <img src=\"img/x.png\"></p><a href=\"Karachi\">Karachi</a>"));
  spec.items.push_back(HtmlArticle("Karachi", "Karachi", "<p>Karachi is a port " + date + ".</p>"));
  if (with_old_article) spec.items.push_back(HtmlArticle("Old", "Old page", "<p>only in the first version</p>"));
  spec.items.push_back({"img/x.png", "image/png", "", std::string("\x89PNG\r\n\x1a\n", 8) + "data", false});
  spec.items.push_back({"s.css", "text/css", "", "p{color:red}", false});
  spec.redirects.push_back({"Lhr", "LHR", "Lahore"});
  spec.redirects.push_back({"loop1", "Loop", "loop2"});
  spec.redirects.push_back({"loop2", "Loop", "loop1"});
  spec.main_path = "Lahore";
  return spec;
}

class ZimServing : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = rasai::testing::TempDir("zimserve");
    index_dir_ = dir_ + "/idx";
    auto index = Index::Open(index_dir_, IndexOptions{});
    ASSERT_TRUE(index.ok());
    index_ = std::move(*index);
    v1_ = dir_ + "/wiki_2024-01.zim";
    v2_ = dir_ + "/later/wiki_2024-06.zim";
    fs::create_directories(dir_ + "/later");
    rasai::testing::WriteZim(v1_, Version("2024-01-10", true));
    rasai::testing::WriteZim(v2_, Version("2024-06-10", false));
  }
  ZimAddResult Add(const std::string& path, IngestStats* stats) {
    return AddZimArchive(index_.get(), index_dir_, path, [&](Document&& d) { return index_->Add(d); }, stats);
  }
  HttpResponse Get(Router& router, const std::string& target) {
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    return router.Handle(r);
  }
  RouterOptions Options() {
    RouterOptions o;
    o.index_dir = index_dir_;
    return o;
  }
  std::string dir_, index_dir_, v1_, v2_;
  std::unique_ptr<Index> index_;
};

// The pages' shared opening leaves the indexed documents (they are added again without it),
// and --keep-openings (remove_openings false) keeps it.
TEST_F(ZimServing, TheOpeningsThePagesShareAreRemovedFromTheIndex) {
  const std::string share = "Share this page by mail or on social sites now";  // 10 words
  ZimSpec spec;
  for (int i = 0; i < 25; ++i)
    spec.items.push_back(HtmlArticle("news-" + std::to_string(i), "News " + std::to_string(i),
                                     "<p>" + share + "</p><p>Day" + std::to_string(i) + " brought rain today.</p>"));
  rasai::testing::WriteZim(dir_ + "/news.zim", spec);
  for (bool remove : {true, false}) {
    auto index = Index::Open(dir_ + (remove ? "/cut" : "/kept"), IndexOptions{});
    ASSERT_TRUE(index.ok());
    IngestStats stats;
    ZimAddResult r = AddZimArchive(index->get(), dir_ + (remove ? "/cut" : "/kept"), dir_ + "/news.zim",
                                   [&](Document&& d) { return (*index)->Add(d); }, &stats, 2, {}, remove);
    ASSERT_TRUE(r.indexed) << r.problem;
    EXPECT_EQ(r.documents, 25u);
    auto snap = (*index)->snapshot();
    EXPECT_EQ(snap->live_docs(), 25u);
    auto doc = snap->Get("news/news-7");
    ASSERT_TRUE(doc.ok());
    if (remove) {
      EXPECT_EQ(doc->body, "Day7 brought rain today.");
      EXPECT_EQ(r.cut, 25u);
      ASSERT_EQ(r.openings.size(), 1u);
      EXPECT_EQ(r.openings[0].documents, 25u);
      EXPECT_EQ(r.openings[0].text, share);
    } else {
      EXPECT_EQ(doc->body, share + "\nDay7 brought rain today.");
      EXPECT_TRUE(r.openings.empty());
    }
  }
}

TEST_F(ZimServing, ANewerVersionReplacesTheOlderAndAnOlderOneIsRefused) {
  IngestStats stats;
  ZimAddResult first = Add(v1_, &stats);
  ASSERT_TRUE(first.indexed) << first.problem;
  EXPECT_EQ(first.info.name, "wiki");
  EXPECT_EQ(first.documents, 3u);
  EXPECT_TRUE(index_->snapshot()->Get("wiki/Old").ok());
  EXPECT_EQ(index_->snapshot()->Get("wiki/Lahore")->summary, "LHR");

  ZimAddResult second = Add(v2_, &stats);
  ASSERT_TRUE(second.indexed) << second.problem;
  EXPECT_EQ(second.replaced, "2024-01-10");
  EXPECT_EQ(second.stale, 1u);
  auto snap = index_->snapshot();
  EXPECT_TRUE(snap->Get("wiki/Old").status().IsNotFound());
  EXPECT_NE(snap->Get("wiki/Karachi")->body.find("2024-06-10"), std::string::npos);
  EXPECT_EQ(CountSource(*snap, "wiki"), 2u);
  EXPECT_EQ(snap->live_docs(), 2u);
  auto catalog = ZimCatalog::Load(index_dir_);
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->records().size(), 1u);
  EXPECT_EQ(catalog->records()[0].info.date, "2024-06-10");
  EXPECT_EQ(catalog->records()[0].info.path, fs::absolute(v2_).lexically_normal().string());

  ZimAddResult older = Add(v1_, &stats);
  EXPECT_FALSE(older.indexed);
  EXPECT_NE(older.problem.find("older version"), std::string::npos) << older.problem;
  EXPECT_EQ(index_->snapshot()->live_docs(), 2u);
  ASSERT_FALSE(stats.problems.empty());
  EXPECT_EQ(stats.problems.back().file, v1_);

  ZimAddResult again = Add(v2_, &stats);  // the same archive again: read again, nothing lost
  ASSERT_TRUE(again.indexed);
  EXPECT_EQ(again.replaced, "");
  EXPECT_EQ(index_->snapshot()->live_docs(), 2u);

  IngestStats bad;
  rasai::testing::WriteFile(dir_ + "/broken.zim", "not a zim archive at all, but long enough to have a header......"
                                                  "................");
  ZimAddResult broken = Add(dir_ + "/broken.zim", &bad);
  EXPECT_FALSE(broken.indexed);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.skipped, 1u);
  EXPECT_NE(bad.problems[0].reason.find("not a valid ZIM archive"), std::string::npos) << bad.problems[0].reason;
}

TEST_F(ZimServing, RemoveSourceDeletesTheDocumentsAndTheRecord) {
  IngestStats stats;
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  Document other;
  other.id = "news-1";
  other.title = "news";
  other.source = "news";
  ASSERT_TRUE(index_->Add(other).ok());
  ASSERT_TRUE(index_->Commit().ok());
  auto removed = RemoveSource(index_.get(), index_dir_, "wiki");
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->documents, 3u);
  EXPECT_TRUE(removed->archive);
  EXPECT_EQ(index_->snapshot()->live_docs(), 1u);
  EXPECT_TRUE(ZimCatalog::Load(index_dir_)->records().empty());
  EXPECT_TRUE(RemoveSource(index_.get(), index_dir_, "wiki").status().IsNotFound());
  auto news = RemoveSource(index_.get(), index_dir_, "news");  // any source, not only archives
  ASSERT_TRUE(news.ok());
  EXPECT_EQ(news->documents, 1u);
  EXPECT_FALSE(news->archive);
}

TEST_F(ZimServing, PagesAssetsRedirectsAndMissingEntries) {
  IngestStats stats;
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  Router router(index_.get(), Options());

  HttpResponse page = Get(router, "/zim/wiki/Lahore");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("Lahore is a city"), std::string::npos);
  EXPECT_NE(page.body.find("class=\"rasai-zim-bar\""), std::string::npos);
  EXPECT_NE(page.body.find("/zim.css?v="), std::string::npos);
  ASSERT_NE(page.Header("Content-Security-Policy"), nullptr);
  EXPECT_NE(page.Header("Content-Security-Policy")->find("script-src 'none'"), std::string::npos);
  EXPECT_EQ(page.Header("ETag"), nullptr);  // the server caches the gzip form of responses with one

  HttpResponse img = Get(router, "/zim/wiki/img/x.png");
  EXPECT_EQ(img.status, 200);
  EXPECT_EQ(img.content_type, "image/png");
  EXPECT_EQ(img.body.substr(0, 4), "\x89PNG");
  ASSERT_NE(img.Header("Content-Security-Policy"), nullptr);  // an SVG or HTML asset runs no script either
  EXPECT_EQ(Get(router, "/zim/wiki/s.css").content_type, "text/css");

  HttpResponse root = Get(router, "/zim/wiki/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(*root.Header("Location"), "/zim/wiki/Lahore");
  EXPECT_EQ(*Get(router, "/zim/wiki").Header("Location"), "/zim/wiki/Lahore");
  HttpResponse redirect = Get(router, "/zim/wiki/Lhr");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(*redirect.Header("Location"), "/zim/wiki/Lahore");
  EXPECT_EQ(Get(router, "/zim/wiki/loop1").status, 404);

  HttpResponse missing = Get(router, "/zim/wiki/Nowhere");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Get(router, "/zim/other/Lahore").status, 404);
  EXPECT_EQ(Get(router, "/zim/").status, 404);

  // The reader page of a ZIM article is the archive's page.
  HttpResponse read = Get(router, "/read/wiki%2FLahore");
  EXPECT_EQ(read.status, 302);
  EXPECT_EQ(*read.Header("Location"), "/zim/wiki/Lahore");
  // HEAD is GET without a body (the adapter drops it); other methods are refused.
  HttpRequest post;
  post.method = "POST";
  post.target = "/zim/wiki/Lahore";
  EXPECT_GE(router.Handle(post).status, 400);
}

TEST_F(ZimServing, NoPathLeavesTheArchive) {
  IngestStats stats;
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  rasai::testing::WriteFile(dir_ + "/secret.txt", "secret");
  Router router(index_.get(), Options());
  for (const std::string& target : std::vector<std::string>{"/zim/wiki/../secret.txt", "/zim/wiki/%2e%2e/%2e%2e/secret.txt", "/zim/wiki/%2E%2E/x",
                             "/zim/wiki/./Lahore", "/zim/wiki/a%5c..%5csecret.txt", "/zim/wiki/Lahore%00",
                             "/zim/..%2f..%2fsecret.txt", "/zim/wiki/%252e%252e/secret.txt", "/zim/wiki//etc/passwd",
                             "/zim/wiki/" + std::string(5000, 'a')}) {
    HttpResponse r = Get(router, target);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " -> " << r.status;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << target;
  }
}

TEST_F(ZimServing, ArchivesIndexedOrRemovedWhileServingAppearAndGo) {
  Router router(index_.get(), Options());
  EXPECT_EQ(Get(router, "/zim/wiki/Lahore").status, 404);
  IngestStats stats;
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the catalog is looked at once a second
  EXPECT_EQ(Get(router, "/zim/wiki/Lahore").status, 200);
  ASSERT_TRUE(RemoveSource(index_.get(), index_dir_, "wiki").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(Get(router, "/zim/wiki/Lahore").status, 404);
}

TEST_F(ZimServing, TheOperatorRemovingAnArchivesSourceRemovesItsRecord) {
  IngestStats stats;
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  RouterOptions o = Options();
  o.operator_token = "tok";
  Router router(index_.get(), o);
  EXPECT_EQ(Get(router, "/zim/wiki/Lahore").status, 200);
  HttpRequest del;
  del.method = "DELETE";
  del.target = "/api/sources/wiki";
  del.headers = {{"Authorization", "Bearer tok"}};
  HttpResponse removed = router.Handle(del);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_NE(removed.body.find("\"archive\":true"), std::string::npos) << removed.body;
  EXPECT_EQ(index_->snapshot()->live_docs(), 0u);
  EXPECT_TRUE(ZimCatalog::Load(index_dir_)->records().empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the catalog is looked at once a second
  EXPECT_EQ(Get(router, "/zim/wiki/Lahore").status, 404);
  EXPECT_EQ(router.Handle(del).status, 404);  // nothing of that name is left
  // A record whose documents are already gone is removed too.
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  ASSERT_TRUE(DeleteSource(index_.get(), "wiki").ok());
  ASSERT_TRUE(index_->Commit().ok());
  ASSERT_EQ(router.Handle(del).status, 200);
  EXPECT_TRUE(ZimCatalog::Load(index_dir_)->records().empty());
}

TEST_F(ZimServing, AnArchiveMovedNextToTheIndexIsStillServed) {
  IngestStats stats;
  ASSERT_TRUE(Add(v1_, &stats).indexed);
  fs::rename(v1_, index_dir_ + "/wiki_2024-01.zim");
  Router router(index_.get(), Options());
  EXPECT_EQ(Get(router, "/zim/wiki/Karachi").status, 200);
  fs::rename(index_dir_ + "/wiki_2024-01.zim", dir_ + "/elsewhere.zim");
  Router lost(index_.get(), Options());
  HttpResponse gone = Get(lost, "/zim/wiki/Karachi");
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find("cannot be opened"), std::string::npos);
}

TEST(DecorateZimPage, PutsTheBarAfterBodyAndTheStyleInHead) {
  const std::string page = DecorateZimPage("<html><HEAD><title>t</title></head><BODY class=x><p>a</p></body></html>",
                                           "Wiki <b>", "v1");
  EXPECT_EQ(page,
            "<html><HEAD><title>t</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<link rel=\"stylesheet\" href=\"/zim.css?v=v1\"></head><BODY class=x>" +
                std::string(page.substr(page.find("<div class=\"rasai-zim-bar\""),
                                        page.find("</div>") + 6 - page.find("<div class=\"rasai-zim-bar\""))) +
                "<p>a</p></body></html>");
  EXPECT_NE(page.find("Wiki &lt;b&gt;"), std::string::npos);
  // A page that declares its viewport keeps its own; fragments without head or body get both first.
  EXPECT_EQ(DecorateZimPage("<head><meta name=viewport content=x></head><body>", "t", "v").find("initial-scale=1"),
            std::string::npos);
  const std::string bare = DecorateZimPage("<p>only text", "t", "v");
  EXPECT_EQ(bare.find("<meta name=\"viewport\""), 0u);
  EXPECT_NE(bare.find("</div><p>only text"), std::string::npos);
  const std::string second = DecorateZimPage("<bodyx><body><p>", "t", "v");
  EXPECT_EQ(second.find("<bodyx><body><meta name=\"viewport\""), 0u) << second;
  EXPECT_NE(second.find("</div><p>"), std::string::npos);
}

}  // namespace
}  // namespace rasai::server
