#include "server/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace rasai::server {
namespace {

TEST(StaticFiles, ServesEmbeddedAssetsButNotTemplates) {
  StaticFiles files("");
  const StaticFile* index = files.Asset("/index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("/app.js?v=" + files.version()), std::string::npos);
  EXPECT_EQ(index->body.find("{{v}}"), std::string::npos);
  ASSERT_NE(files.Asset("/app.js"), nullptr);
  EXPECT_EQ(files.Asset("/app.js")->content_type, "text/javascript; charset=utf-8");
  ASSERT_NE(files.Asset("/app.css"), nullptr);
  EXPECT_EQ(files.Asset("/app.css")->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(files.Asset("/_reader.html"), nullptr);
  EXPECT_EQ(files.Asset("/_error.html"), nullptr);
  EXPECT_EQ(files.Asset("/missing.js"), nullptr);
  EXPECT_EQ(files.version().size(), 12u);
  EXPECT_EQ(index->etag.front(), '"');
}

// The pages share their head and search bar through partials ("{{>_head.html}}"): each page
// has them whole, with nothing of the template syntax left.
TEST(StaticFiles, PagesHaveTheSharedHeadAndSearchBar) {
  StaticFiles files("");
  const std::string stylesheet = "<link rel=\"stylesheet\" href=\"/app.css?v=" + files.version() + "\">";
  const std::string index = files.Asset("/index.html")->body;
  const std::string results = files.RenderTemplate("/_results.html", {{"q", "lahore"}, {"title", "t"}});
  const std::string reader = files.RenderTemplate("/_reader.html", {{"title", "t"}});
  const std::string error = files.RenderTemplate("/_error.html", {{"status", "404"}});
  for (const std::string* page : {&index, &results, &reader, &error}) {
    EXPECT_NE(page->find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), std::string::npos);
    EXPECT_NE(page->find(stylesheet), std::string::npos);
    EXPECT_EQ(page->find("{{"), std::string::npos) << *page;
  }
  for (const std::string* page : {&index, &results, &reader}) {
    EXPECT_NE(page->find("<form id=\"search-form\""), std::string::npos);
    EXPECT_NE(page->find("id=\"suggestions\""), std::string::npos);
  }
  EXPECT_NE(results.find("value=\"lahore\""), std::string::npos);
  EXPECT_EQ(files.Asset("/_head.html"), nullptr);
  EXPECT_EQ(files.Asset("/_search_header.html"), nullptr);
}

TEST(StaticFiles, LoadsOnlyFontFilesFromTheFontsDir) {
  std::string dir = rasai::testing::TempDir("fonts");
  auto write = [&dir](const std::string& name, const std::string& content) {
    std::ofstream(dir + "/" + name, std::ios::binary) << content;
  };
  write("a-400.woff2", "wOF2font");
  write("b.woff", "wOFFfont");
  write("notes.txt", "not a font");
  write(".hidden.woff2", "hidden");
  std::filesystem::create_directory(dir + "/sub.woff2");
  StaticFiles files(dir);
  EXPECT_EQ(files.font_count(), 2u);
  ASSERT_NE(files.Font("a-400.woff2"), nullptr);
  EXPECT_EQ(files.Font("a-400.woff2")->body, "wOF2font");
  EXPECT_EQ(files.Font("a-400.woff2")->content_type, "font/woff2");
  EXPECT_EQ(files.Font("b.woff")->content_type, "font/woff");
  EXPECT_EQ(files.Font("notes.txt"), nullptr);
  EXPECT_EQ(files.Font(".hidden.woff2"), nullptr);
  EXPECT_EQ(files.Font("sub.woff2"), nullptr);
  EXPECT_EQ(files.Font("../a-400.woff2"), nullptr);
}

TEST(StaticFiles, MissingFontsDirIsNotAnError) {
  StaticFiles files("/nonexistent/rasai/fonts");
  EXPECT_EQ(files.font_count(), 0u);
  EXPECT_EQ(files.fonts_dir(), "");
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(ContentTypeFor("x.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("x.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.woff2"), "font/woff2");
}

TEST(HashHex, IsStableAndDistinguishes) {
  EXPECT_EQ(HashHex(""), "cbf29ce484222325");  // FNV-1a offset basis
  EXPECT_NE(HashHex("a"), HashHex("b"));
  EXPECT_EQ(HashHex("abc").size(), 16u);
}

}  // namespace
}  // namespace rasai::server
