#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "rasai/zim.h"
#include "test_util.h"
#include "zim_fixture.h"

namespace rasai {
namespace {

using testing::HtmlArticle;
using testing::ZimSpec;

const std::string kShare = "اس خبر کو شیئر کریں ای میل فیس بک ٹوئٹر";  // 10 words

// Letters only: a page name whose section (its leading letters) is its own.
std::string Letters(int i) {
  std::string s;
  do {
    s.push_back(static_cast<char>('a' + i % 26));
    i /= 26;
  } while (i > 0);
  return s;
}

std::string Paragraph(const std::string& tag, int i) {
  return "<p>" + tag + std::to_string(i) + " نے کہا کہ پانی کی قلت ہے</p>";
}

struct Reading {
  std::map<std::string, std::string> first, again;  // id -> body
  std::vector<RemovedOpening> removed;
};

// Reads every document of the archive at `path`, learning its openings, then Finish.
Reading ReadWithOpenings(const std::string& path, RepeatedOpeningsOptions options, int threads = 2) {
  Reading run;
  auto archive = ZimArchive::Open(path);
  EXPECT_TRUE(archive.ok()) << archive.status().ToString();
  if (!archive.ok()) return run;
  auto docs = ZimDocuments::Create(**archive);
  EXPECT_TRUE(docs.ok());
  ZimOpenings openings(**docs, options);
  IngestStats stats;
  Status s = (*docs)->ReadPositions(nullptr, threads,
                                    [&](uint64_t position, Document&& d) {
                                      const std::string source = d.source, body = d.body;
                                      openings.Observe(position, &d);
                                      EXPECT_EQ(d.source, source);
                                      EXPECT_EQ(d.body, body);
                                      run.first[d.id] = d.body;
                                      return Status::OK();
                                    },
                                    &stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  s = openings.Finish(threads, [&](Document&& d) {
    run.again[d.id] = d.body;
    return Status::OK();
  }, &stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(openings.documents_cut(), run.again.size());
  run.removed = openings.Removed();
  return run;
}

TEST(ZimSection, FirstSegmentOrLeadingLetters) {
  EXPECT_EQ(ZimSection("sport/2019/x.html"), "sport");
  EXPECT_EQ(ZimSection("A/Ray_Charles"), "A");
  EXPECT_EQ(ZimSection("bbc-0012.html"), "bbc");
  EXPECT_EQ(ZimSection("Ray_Charles"), "Ray");
  EXPECT_EQ(ZimSection("1999_in_music"), "");
  EXPECT_EQ(ZimSection("\xD8\xA7\xD8\xA8-1"), "\xD8\xA7\xD8\xA8");
  EXPECT_EQ(ZimSection(""), "");
}

// One section of an archive opens its pages with share text that is too rare in the whole
// archive (6 of 46 pages < 20%); the section's learner finds it, and only those pages are cut.
TEST(ZimOpenings, ASectionsOpeningIsRemovedWhereTheArchiveWouldMissIt) {
  const std::string dir = testing::TempDir("zim-openings");
  ZimSpec spec;
  for (int i = 0; i < 6; ++i)
    spec.items.push_back(HtmlArticle("news-" + std::to_string(i) + ".html", "N" + std::to_string(i),
                                     "<p>" + kShare + "</p>" + Paragraph("n", i)));
  // The same first words in the other section's pages, but for fewer than the options ask.
  for (int i = 0; i < 3; ++i)
    spec.items.push_back(HtmlArticle("wiki-s" + std::to_string(i) + ".html", "S" + std::to_string(i),
                                     "<p>" + kShare + "</p>" + Paragraph("s", i)));
  for (int i = 0; i < 37; ++i)
    spec.items.push_back(HtmlArticle("wiki-" + std::to_string(i) + ".html", "W" + std::to_string(i), Paragraph("w", i)));
  testing::WriteZim(dir + "/mixed.zim", spec);
  RepeatedOpeningsOptions options;
  options.min_docs = 5;
  options.min_share = 0.2;
  for (int threads : {1, 2}) {
    const Reading run = ReadWithOpenings(dir + "/mixed.zim", options, threads);
    EXPECT_EQ(run.first.size(), 46u);
    ASSERT_EQ(run.again.size(), 6u);
    for (const auto& [id, body] : run.again) {
      EXPECT_TRUE(id.starts_with("mixed/news-")) << id;
      EXPECT_TRUE(body.starts_with("n")) << body;          // the article's own text is what is left
      EXPECT_EQ(run.first.at(id), kShare + "\n" + body);   // the first reading was whole
    }
    ASSERT_EQ(run.removed.size(), 1u);
    EXPECT_EQ(run.removed[0].source, "mixed (section news)");
    EXPECT_EQ(run.removed[0].words, 10u);
    EXPECT_EQ(run.removed[0].documents, 6u);
  }
}

// An opening shared across the archive by pages of many sections (each too small to count) is
// the archive's; pages whose sections and words share nothing lose nothing.
TEST(ZimOpenings, AnArchiveWideOpeningIsRemovedAndArticlesKeepTheirFirstSentence) {
  const std::string dir = testing::TempDir("zim-openings-wide");
  ZimSpec spec;
  for (int i = 0; i < 30; ++i)
    spec.items.push_back(HtmlArticle(Letters(i) + "_page", "T" + std::to_string(i), "<p>" + kShare + "</p>" + Paragraph("t", i)));
  // Wikipedia-like first sentences: the same few words, then each its own.
  for (int i = 0; i < 30; ++i)
    spec.items.push_back(HtmlArticle("List_" + std::to_string(i), "L" + std::to_string(i),
                                     "<p>This is a list of " + Letters(i) + " things that matter here</p>"));
  testing::WriteZim(dir + "/wide_2024-01.zim", spec);
  const Reading run = ReadWithOpenings(dir + "/wide_2024-01.zim", {});
  EXPECT_EQ(run.first.size(), 60u);
  ASSERT_EQ(run.again.size(), 30u);
  for (const auto& [id, body] : run.again) EXPECT_TRUE(body.starts_with("t")) << id << ": " << body;
  ASSERT_EQ(run.removed.size(), 1u);
  EXPECT_EQ(run.removed[0].source, "wide");
  EXPECT_EQ(run.removed[0].documents, 30u);
}

TEST(ZimOpenings, NothingSharedLosesNothing) {
  const std::string dir = testing::TempDir("zim-openings-none");
  ZimSpec spec;
  for (int i = 0; i < 40; ++i)
    spec.items.push_back(HtmlArticle("p" + std::to_string(i), "P" + std::to_string(i), Paragraph("p", i)));
  testing::WriteZim(dir + "/plain.zim", spec);
  const Reading run = ReadWithOpenings(dir + "/plain.zim", {});
  EXPECT_EQ(run.first.size(), 40u);
  EXPECT_TRUE(run.again.empty());
  EXPECT_TRUE(run.removed.empty());
}

}  // namespace
}  // namespace rasai
