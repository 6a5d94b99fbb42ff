#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "ingest/zim_internal.h"
#include "rasai/zim.h"
#include "test_util.h"
#include "zim_fixture.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;
using testing::HtmlArticle;
using testing::ZimSpec;

std::vector<Document> ReadAll(const ZimDocuments& docs, IngestStats* stats, uint64_t begin = 0, uint64_t end = ~0ull) {
  std::vector<Document> out;
  Status s = docs.Read(begin, end, [&](Document&& d) {
    out.push_back(std::move(d));
    return Status::OK();
  }, stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

const Document* FindDoc(const std::vector<Document>& docs, std::string_view id) {
  for (const auto& d : docs)
    if (d.id == id) return &d;
  return nullptr;
}

// Every archive file under the shared zim folder (a split archive once, by its logical name).
std::vector<std::string> SharedZims(bool invalid) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(testing::SharedData() + "/zim")) {
    const std::string name = e.path().filename().string();
    if (!IsZimFileName(name)) continue;
    if (name.starts_with("invalid.") != invalid) continue;
    out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ZimNames, ArchiveNameDropsTheExtensionAndTheKiwixDate) {
  EXPECT_EQ(ZimArchiveName("/x/wikipedia_en_ray_charles_maxi_2019-08.zim"), "wikipedia_en_ray_charles_maxi");
  EXPECT_EQ(ZimArchiveName("wikipedia_ur_all_nopic_2024-06-01.zim"), "wikipedia_ur_all_nopic");
  EXPECT_EQ(ZimArchiveName("a/b/wikibooks_be_all_nopic_2017-02_splitted.zimaa"), "wikibooks_be_all_nopic_2017-02_splitted");
  EXPECT_EQ(ZimArchiveName("small.ZIM"), "small");
  EXPECT_EQ(ZimArchiveName("2019-08.zim"), "2019-08");   // nothing would be left
  EXPECT_EQ(ZimArchiveName("news_2019-8.zim"), "news_2019-8");  // not a Kiwix date
  EXPECT_EQ(ZimArchiveName("corner_cases#&.zim"), "corner_cases#&");
}

TEST(ZimNames, LogicalPathAndFileNames) {
  EXPECT_EQ(ZimLogicalPath("/d/x.zimaa"), "/d/x.zim");
  EXPECT_EQ(ZimLogicalPath("/d/x.zim"), "/d/x.zim");
  EXPECT_EQ(ZimLogicalPath("/d.zimaa/x.txt"), "/d.zimaa/x.txt");
  EXPECT_TRUE(IsZimFileName("a.zim"));
  EXPECT_TRUE(IsZimFileName("a.ZimAA"));
  EXPECT_FALSE(IsZimFileName("a.zimab"));  // a later part: read through the first
  EXPECT_FALSE(IsZimFileName("small.zim.embedded"));
  EXPECT_FALSE(IsZimFileName(".zim"));
}

TEST(ZimNames, UrlEncodesEverythingButUnreservedBytesAndSlashes) {
  EXPECT_EQ(ZimUrl("wiki", "A/Ray_Charles"), "/zim/wiki/A/Ray_Charles");
  EXPECT_EQ(ZimUrl("corner_cases#&", "c/a b?.html"), "/zim/corner_cases%23%26/c/a%20b%3F.html");
  EXPECT_EQ(ZimUrl("n/x", "\xD8\xA7"), "/zim/n%2Fx/%D8%A7");
}

TEST(ZimNames, LanguageTags) {
  EXPECT_EQ(ZimLanguageTag("urd"), "ur");
  EXPECT_EQ(ZimLanguageTag("eng"), "en");
  EXPECT_EQ(ZimLanguageTag("en"), "en");
  EXPECT_EQ(ZimLanguageTag("=en"), "en");
  EXPECT_EQ(ZimLanguageTag("bel"), "be");
  EXPECT_EQ(ZimLanguageTag("skr"), "skr");  // Saraiki has no two-letter code
  EXPECT_EQ(ZimLanguageTag("eng,fra"), "");
  EXPECT_EQ(ZimLanguageTag("mul"), "");
  EXPECT_EQ(ZimLanguageTag(""), "");
}

TEST(ZimArticleText, RemovesWikipediaApparatusAndKeepsTheArticle) {
  const std::string html =
      "<html><head><title>Ray Charles</title></head><body>"
      "<h1>Ray Charles</h1>"
      "<div class=\"hatnote navigation-not-searchable\">For the album, see Ray (album).</div>"
      "<p><b>Ray Charles Robinson</b> was an American singer.<sup class=\"reference\"><a href=\"#c1\">[1]</a></sup>"
      "<span class=\"mw-ref\"><a href=\"#c2\">[2]</a></span> He was blind.</p>"
      "<h2>Career<span class=\"mw-editsection\">[edit]</span></h2>"
      "<div id=\"toc\"><ul><li>1 Career</li></ul></div>"
      "<table class=\"infobox\"><tr><th>Born</th><td>Albany, Georgia</td></tr></table>"
      "<p>He recorded <i>Georgia</i>.</p>"
      "<div class=\"navbox\"><div><div>Ray Charles singles</div></div><ul><li>Hit the Road Jack</li></ul></div>"
      "<ol class=\"references\"><li>Rolling Stone obituary</li></ol>"
      "<span style=\"display: none\">sortkey</span>"
      "</body></html>";
  Document d = ZimArticleDocument("w/A/Ray_Charles", "Ray Charles", html);
  EXPECT_EQ(d.title, "Ray Charles");
  EXPECT_EQ(d.body,
            "Ray Charles Robinson was an American singer. He was blind.\nCareer\nBorn Albany, Georgia\n"
            "He recorded Georgia.");
}

TEST(ZimArticleText, FirstHeadingIsDroppedOnlyWhenItIsTheTitle) {
  Document a = ZimArticleDocument("x", "Title", "<h1>Title</h1><p>Text</p>");
  EXPECT_EQ(a.body, "Text");
  Document b = ZimArticleDocument("x", "Title", "<h1>Another heading</h1><p>Text</p>");
  EXPECT_EQ(b.body, "Another heading\nText");
  Document c = ZimArticleDocument("x", "", "<title>From the page</title><p>Text</p>");
  EXPECT_EQ(c.title, "From the page");
}

TEST(ZimArticleText, ApparatusMarkupThatNeverClosesCostsLinearWork) {
  // Every <span class=mw-ref> left open, each followed by an unmatched <span>: matching their end
  // tags naively would scan to the end of the page for each (quadratic). The budget bounds it;
  // the text stays.
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<span class=\"mw-ref\">x<span>word ";
  html += "</span>";
  const std::string out = WithoutWikiApparatus(html);
  EXPECT_LE(out.size(), html.size());
  EXPECT_NE(out.find("word"), std::string::npos);
  // Nested apparatus, quotes holding '>' and raw text holding tags.
  EXPECT_EQ(WithoutWikiApparatus("a<div class='navbox x'><div>n</div><div class=\"y>z\">m</div></div>b"), "a b");
  EXPECT_EQ(WithoutWikiApparatus("<script>\"<div class=navbox>\"</script>k"), "<script>\"<div class=navbox>\"</script>k");
  EXPECT_EQ(WithoutWikiApparatus("<div class=navbox>never closed"), " never closed");
  EXPECT_EQ(WithoutWikiApparatus("<img class=noprint src=x>t"), " t");
  EXPECT_EQ(WithoutWikiApparatus("<!-- <div class=navbox> -->t"), "<!-- <div class=navbox> -->t");
  EXPECT_EQ(WithoutWikiApparatus("a<!--htdig_noindex--><div>licence</div><!--/htdig_noindex-->b"), "a b");
  EXPECT_EQ(WithoutWikiApparatus("a<!--htdig_noindex-->never closed"), "a<!--htdig_noindex-->never closed");
  EXPECT_EQ(WithoutWikiApparatus("<a class=\"external text\" href=\"http://x\">Site</a> at <span class=external>y</span>"),
            "  at <span class=external>y</span>");
}

class ZimWritten : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("zim");
    ZimSpec spec;
    spec.metadata["Language"] = "urd";
    spec.metadata["Title"] = "خبریں";
    spec.metadata["Description"] = "Test news";
    spec.items.push_back(HtmlArticle("a1.html", "پہلی خبر", "<p>کراچی میں بارش</p><p>دوسرا پیراگراف</p>"));
    spec.items.push_back(HtmlArticle("dir/a 2.html", "Second", "<p>Lahore <b>rain</b></p>"));
    spec.items.push_back({"notes.txt", "text/plain", "Notes", "plain text article\nsecond line", true});
    spec.items.push_back({"style.css", "text/css", "", "p{}", false});
    spec.items.push_back({"img.png", "image/png", "", "\x89PNG", false});
    spec.items.push_back(HtmlArticle("hidden.html", "Not front", "<p>not an article</p>"));
    spec.items.back().front = false;
    spec.redirects.push_back({"r1", "Barish", "a1.html"});
    spec.redirects.push_back({"r2", "Karachi rain", "r1"});  // a chain
    spec.redirects.push_back({"r3", "پہلی خبر", "a1.html"});  // the title itself: not repeated
    spec.redirects.push_back({"loop1", "Loop", "loop2"});
    spec.redirects.push_back({"loop2", "Loop 2", "loop1"});
    spec.main_path = "a1.html";
    path_ = dir_ + "/news_2024-01.zim";
    testing::WriteZim(path_, spec);
  }
  std::string dir_, path_;
};

TEST_F(ZimWritten, OneDocumentPerArticleWithIdsUrlsAndOtherNames) {
  auto archive = ZimArchive::Open(path_);
  ASSERT_TRUE(archive.ok()) << archive.status().ToString();
  const ZimInfo& info = (*archive)->info();
  EXPECT_EQ(info.name, "news");
  EXPECT_EQ(info.title, "خبریں");
  EXPECT_EQ(info.language, "urd");
  EXPECT_EQ(info.lang, "ur");
  EXPECT_EQ(info.date, "2024-01-15");
  EXPECT_EQ(info.article_count, 3u);
  EXPECT_EQ(info.uuid.size(), 32u);
  auto docs = ZimDocuments::Create(**archive);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ((*docs)->size(), 3u);
  IngestStats stats;
  auto all = ReadAll(**docs, &stats);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(stats.documents, 3u);
  EXPECT_TRUE(stats.problems.empty());

  const Document* a1 = FindDoc(all, "news/a1.html");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->title, "پہلی خبر");
  EXPECT_EQ(a1->body, "کراچی میں بارش\nدوسرا پیراگراف");
  EXPECT_EQ(a1->summary, "Barish\nKarachi rain");
  EXPECT_EQ(a1->lang, "ur");
  EXPECT_EQ(a1->source, "news");
  EXPECT_EQ(a1->url, "/zim/news/a1.html");

  const Document* a2 = FindDoc(all, "news/dir/a 2.html");
  ASSERT_NE(a2, nullptr);
  EXPECT_EQ(a2->body, "Lahore rain");
  EXPECT_EQ(a2->url, "/zim/news/dir/a%202.html");
  EXPECT_EQ(a2->summary, "");

  const Document* notes = FindDoc(all, "news/notes.txt");
  ASSERT_NE(notes, nullptr);
  EXPECT_EQ(notes->title, "Notes");
  EXPECT_NE(notes->body.find("second line"), std::string::npos);

  EXPECT_TRUE((*docs)->IsArticle("a1.html"));
  EXPECT_FALSE((*docs)->IsArticle("hidden.html"));
  EXPECT_FALSE((*docs)->IsArticle("r1"));
  EXPECT_FALSE((*docs)->IsArticle("missing"));
}

// Unverified (no directory check to take the redirects from), libzim's own listing gives the
// same documents and the same other names.
TEST_F(ZimWritten, AnUnverifiedArchiveGivesTheSameDocuments) {
  std::vector<Document> read[2];
  for (bool verify : {true, false}) {
    ZimOpenOptions options;
    options.verify_checksum = verify;
    auto archive = ZimArchive::Open(path_, options);
    ASSERT_TRUE(archive.ok()) << archive.status().ToString();
    auto docs = ZimDocuments::Create(**archive);
    ASSERT_TRUE(docs.ok());
    IngestStats stats;
    read[verify] = ReadAll(**docs, &stats);
  }
  ASSERT_EQ(read[0].size(), 3u);
  ASSERT_EQ(read[1].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(read[0][i].id, read[1][i].id);
    EXPECT_EQ(read[0][i].summary, read[1][i].summary) << read[0][i].id;
    EXPECT_EQ(read[0][i].body, read[1][i].body);
  }
  const Document* a1 = FindDoc(read[0], "news/a1.html");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->summary, "Barish\nKarachi rain");
}

TEST_F(ZimWritten, RangesReadInParallelGiveTheSameDocuments) {
  auto archive = ZimArchive::Open(path_);
  ASSERT_TRUE(archive.ok());
  auto docs = ZimDocuments::Create(**archive);
  ASSERT_TRUE(docs.ok());
  IngestStats one;
  auto whole = ReadAll(**docs, &one);
  std::vector<std::vector<Document>> parts(3);
  std::vector<IngestStats> stats(3);
  std::vector<std::thread> threads;
  for (uint64_t i = 0; i < 3; ++i)
    threads.emplace_back([&, i] { parts[i] = ReadAll(**docs, &stats[i], i, i + 1); });
  for (auto& t : threads) t.join();
  std::vector<Document> joined;
  for (auto& p : parts)
    for (auto& d : p) joined.push_back(d);
  ASSERT_EQ(joined.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(joined[i].id, whole[i].id);
    EXPECT_EQ(joined[i].body, whole[i].body);
  }
}

TEST_F(ZimWritten, ReadAllOnThreadsGivesReadsOrder) {
  // An archive of more documents than a few chunks, so that the workers overtake each other.
  ZimSpec spec;
  for (int i = 0; i < 700; ++i) {
    spec.items.push_back(HtmlArticle("p" + std::to_string(i), "Page " + std::to_string(i), "<p>text " + std::to_string(i) + "</p>"));
  }
  const std::string path = dir_ + "/many.zim";
  testing::WriteZim(path, spec);
  auto archive = ZimArchive::Open(path);
  ASSERT_TRUE(archive.ok());
  auto docs = ZimDocuments::Create(**archive);
  ASSERT_TRUE(docs.ok());
  IngestStats one;
  const auto sequential = ReadAll(**docs, &one);
  ASSERT_EQ(sequential.size(), 700u);
  for (int threads : {1, 2, 5}) {
    std::vector<Document> got;
    IngestStats stats;
    ASSERT_TRUE((*docs)->ReadAll(threads, [&](Document&& d) {
      got.push_back(std::move(d));
      return Status::OK();
    }, &stats).ok());
    ASSERT_EQ(got.size(), sequential.size()) << threads;
    EXPECT_EQ(stats.documents, 700u);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].id, sequential[i].id) << threads;
  }
  // A sink that stops the run stops it, with the workers joined.
  IngestStats stats;
  uint64_t seen = 0;
  Status s = (*docs)->ReadAll(3, [&](Document&&) { return ++seen == 100 ? Status::Aborted("enough") : Status::OK(); }, &stats);
  EXPECT_EQ(s.code(), Status::Code::kAborted);
  EXPECT_EQ(seen, 100u);
}

TEST_F(ZimWritten, AnyChangedByteIsRefusedByTheChecksum) {
  std::string bytes = testing::ReadFile(path_);
  ASSERT_GT(bytes.size(), 200u);
  for (size_t at : {size_t{100}, bytes.size() / 2, bytes.size() - 17}) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
    const std::string p = dir_ + "/damaged.zim";
    testing::WriteFile(p, damaged);
    auto a = ZimArchive::Open(p);
    ASSERT_FALSE(a.ok()) << "byte " << at;
    EXPECT_NE(a.status().message().find("checksum mismatch"), std::string::npos) << a.status().ToString();
  }
  const std::string cut = dir_ + "/cut.zim";
  testing::WriteFile(cut, bytes.substr(0, bytes.size() - 100));
  auto t = ZimArchive::Open(cut);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("truncated"), std::string::npos) << t.status().ToString();
  testing::WriteFile(cut, bytes + "extra");
  EXPECT_FALSE(ZimArchive::Open(cut).ok());
  testing::WriteFile(cut, "");
  EXPECT_NE(ZimArchive::Open(cut).status().message().find("too small"), std::string::npos);
  testing::WriteFile(cut, std::string(200, 'x'));
  EXPECT_NE(ZimArchive::Open(cut).status().message().find("not a ZIM archive"), std::string::npos);
  EXPECT_TRUE(ZimArchive::Open(dir_ + "/absent.zim").status().IsNotFound());
}

TEST_F(ZimWritten, SplitArchivesAreReadThroughTheirFirstPart) {
  const std::string bytes = testing::ReadFile(path_);
  const std::string base = dir_ + "/parts/news_2024-01.zim";
  fs::create_directories(dir_ + "/parts");
  const size_t third = bytes.size() / 3;
  testing::WriteFile(base + "aa", bytes.substr(0, third));
  testing::WriteFile(base + "ab", bytes.substr(third, third));
  testing::WriteFile(base + "ac", bytes.substr(2 * third));
  auto a = ZimArchive::Open(base + "aa");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE((*a)->info().split);
  EXPECT_EQ((*a)->info().path, base);
  EXPECT_EQ((*a)->info().size, bytes.size());
  auto docs = ZimDocuments::Create(**a);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ((*docs)->size(), 3u);
}

TEST(ZimCatalog, SavesLoadsReplacesAndRemoves) {
  const std::string dir = testing::TempDir("zimcat");
  auto empty = ZimCatalog::Load(dir);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->records().empty());
  ZimCatalog c;
  ZimRecord r;
  r.info.name = "b";
  r.info.title = "عنوان";
  r.info.date = "2024-01-01";
  r.documents = 7;
  c.Put(r);
  r.info.name = "a";
  c.Put(r);
  r.info.date = "2025-01-01";
  c.Put(r);  // replaces "a"
  ASSERT_TRUE(c.Save(dir).ok());
  auto back = ZimCatalog::Load(dir);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->records().size(), 2u);
  EXPECT_EQ(back->records()[0].info.name, "a");
  EXPECT_EQ(back->Find("a")->info.date, "2025-01-01");
  EXPECT_EQ(back->Find("b")->info.title, "عنوان");
  EXPECT_EQ(back->Find("b")->documents, 7u);
  EXPECT_EQ(back->Find("c"), nullptr);
  EXPECT_TRUE(back->Remove("a"));
  EXPECT_FALSE(back->Remove("a"));
  testing::WriteFile(dir + "/" + ZimCatalog::kFileName, "{\"archives\": [");
  EXPECT_TRUE(ZimCatalog::Load(dir).status().IsCorruption());
}

TEST(ZimShared, EveryValidArchiveGivesOneDocumentPerArticle) {
  RASAI_REQUIRE_SHARED_DATA();
  size_t n = 0;
  for (const std::string& path : SharedZims(false)) {
    auto a = ZimArchive::Open(path);
    const std::string file = fs::path(path).filename().string();
    if (file == "bad_checksum.zim") {  // zim-tools' damaged copy of good.zim
      EXPECT_FALSE(a.ok());
      continue;
    }
    if (file == "wikipedia_cr_all_2015-04.zim") {  // 76 bytes short of what its header says
      ASSERT_FALSE(a.ok());
      EXPECT_NE(a.status().message().find("truncated"), std::string::npos) << a.status().ToString();
      continue;
    }
    ASSERT_TRUE(a.ok()) << path << ": " << a.status().ToString();
    auto docs = ZimDocuments::Create(**a);
    ASSERT_TRUE(docs.ok()) << path;
    IngestStats stats;
    const auto all = ReadAll(**docs, &stats);
    EXPECT_TRUE(stats.problems.empty()) << path << ": " << stats.problems.front().reason;
    // zim-tools' poor.zim lists three redirects (a loop) among its articles: not documents.
    const uint64_t expected = file == "poor.zim" && path.find("zim-tools") != std::string::npos
                                  ? (*a)->info().article_count - 3
                                  : (*a)->info().article_count;
    EXPECT_EQ(all.size(), expected) << path;
    std::set<std::string> ids;
    for (const auto& d : all) {
      EXPECT_TRUE(ids.insert(d.id).second) << d.id;
      EXPECT_TRUE(d.id.starts_with((*a)->info().name + "/")) << d.id;
    }
    ++n;
  }
  EXPECT_GE(n, 15u);
}

TEST(ZimShared, EveryInvalidArchiveIsRefused) {
  RASAI_REQUIRE_SHARED_DATA();
  const auto invalid = SharedZims(true);
  EXPECT_GE(invalid.size(), 40u);
  for (const std::string& path : invalid) {
    auto a = ZimArchive::Open(path);
    ASSERT_FALSE(a.ok()) << path;
    EXPECT_FALSE(a.status().message().empty());
  }
}

TEST(ZimShared, RayCharlesHasItsOtherNamesAndNoNavbox) {
  RASAI_REQUIRE_SHARED_DATA();
  auto a = ZimArchive::Open(testing::SharedData() + "/zim/kiwix-js/wikipedia_en_ray_charles_maxi_2019-08.zim");
  ASSERT_TRUE(a.ok());
  auto docs = ZimDocuments::Create(**a);
  ASSERT_TRUE(docs.ok());
  IngestStats stats;
  const auto all = ReadAll(**docs, &stats);
  const Document* ray = FindDoc(all, "wikipedia_en_ray_charles_maxi/A/Ray_Charles");
  ASSERT_NE(ray, nullptr);
  EXPECT_EQ(ray->title, "Ray Charles");
  EXPECT_EQ(ray->lang, "en");
  EXPECT_EQ(ray->url, "/zim/wikipedia_en_ray_charles_maxi/A/Ray_Charles");
  EXPECT_TRUE(ray->body.starts_with("Ray Charles Robinson (September 23, 1930")) << ray->body.substr(0, 200);
  EXPECT_EQ(ray->body.find("[2]"), std::string::npos);
  EXPECT_EQ(ray->body.find("Retrieved"), std::string::npos);  // the reference list
  EXPECT_NE(ray->summary.find("Ray Charles Robinson"), std::string::npos) << ray->summary;
}

}  // namespace
}  // namespace rasai
