#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rasai/ingest.h"

namespace rasai {
namespace {

// Share-widget text of a made-up site: 8 words, then a 7-word second sentence some pages add.
const std::string kShare = "اس خبر کو شیئر کریں ای میل فیس";
const std::string kLinks = "یہ بیرونی لنک نئی ونڈو میں کھلیں";

Document Doc(std::string source, std::string body) {
  static int n = 0;
  Document d;
  d.id = "d" + std::to_string(++n);
  d.source = std::move(source);
  d.body = std::move(body);
  return d;
}

// An article text no other document starts with.
std::string Article(const std::string& tag, int i) { return tag + std::to_string(i) + " نے کہا کہ پانی کی قلت ہے"; }

// Runs the learner's passes over `docs`, then strips them all; returns what Removed() reports.
std::vector<RemovedOpening> StripAll(std::vector<Document>* docs, RepeatedOpeningsOptions options = {}) {
  RepeatedOpenings openings(options);
  int passes = 0;
  while (openings.NeedsPass()) {
    for (const auto& d : *docs) openings.Observe(d);
    openings.EndPass();
    EXPECT_LT(++passes, 100);
    if (passes >= 100) break;
  }
  for (auto& d : *docs) openings.Strip(&d);
  return openings.Removed();
}

struct Fixture {
  std::vector<Document> docs;
  Fixture() {
    for (int i = 0; i < 40; ++i) docs.push_back(Doc("site", kShare + " " + Article("a", i)));
    for (int i = 0; i < 25; ++i) docs.push_back(Doc("site", kShare + " " + kLinks + "\n\n" + Article("b", i)));
    // 22 articles that happen to start with the same word after the share text: that word is theirs.
    for (int i = 0; i < 22; ++i) docs.push_back(Doc("site", kShare + " پاکستان " + Article("c", i)));
    // A dateline shorter than 6 words, shared by 30 documents.
    for (int i = 0; i < 30; ++i) docs.push_back(Doc("site", "لاہور ( رائٹرز ) " + Article("d", i)));
    // A 10-word opening shared by too few documents (12 < 20).
    for (int i = 0; i < 12; ++i)
      docs.push_back(Doc("site", "ایک دو تین چار پانچ چھ سات آٹھ نو دس " + Article("e", i)));
    // A body that is only the opening.
    docs.push_back(Doc("site", kShare));
    // The same opening in two other sources, 12 documents each: 24 in all, but counted apart.
    for (int i = 0; i < 12; ++i) docs.push_back(Doc("other", "کل کی خبریں یہاں پڑھیں اور سنیں " + Article("f", i)));
    for (int i = 0; i < 12; ++i) docs.push_back(Doc("third", "کل کی خبریں یہاں پڑھیں اور سنیں " + Article("g", i)));
  }
};

TEST(RepeatedOpenings, StripsTheLongestSharedOpeningOfEachDocument) {
  Fixture f;
  const auto removed = StripAll(&f.docs);
  size_t i = 0;
  for (int n = 0; n < 40; ++n, ++i) EXPECT_EQ(f.docs[i].body, Article("a", n)) << i;
  for (int n = 0; n < 25; ++n, ++i) EXPECT_EQ(f.docs[i].body, Article("b", n)) << i;  // 15 words and "\n\n" cut
  for (int n = 0; n < 22; ++n, ++i) EXPECT_EQ(f.docs[i].body, "پاکستان " + Article("c", n)) << i;
  for (int n = 0; n < 30; ++n, ++i) EXPECT_TRUE(f.docs[i].body.starts_with("لاہور ( رائٹرز ) d")) << i;
  for (int n = 0; n < 12; ++n, ++i) EXPECT_TRUE(f.docs[i].body.starts_with("ایک دو تین")) << i;
  EXPECT_EQ(f.docs[i++].body, kShare);
  for (; i < f.docs.size(); ++i) EXPECT_TRUE(f.docs[i].body.starts_with("کل کی خبریں")) << i;

  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0].source, "site");
  EXPECT_EQ(removed[0].words, 8u);
  EXPECT_EQ(removed[0].documents, 62u);  // 40 + 22
  EXPECT_EQ(removed[0].text, kShare);
  EXPECT_EQ(removed[1].source, "site");
  EXPECT_EQ(removed[1].words, 15u);
  EXPECT_EQ(removed[1].documents, 25u);
  EXPECT_EQ(removed[1].text, kShare + " " + kLinks);
}

TEST(RepeatedOpenings, ManyPassesGiveTheSameResult) {
  Fixture a, b;
  RepeatedOpeningsOptions narrow;
  narrow.window = 2;  // 15-word openings need several passes
  const auto wide = StripAll(&a.docs);
  const auto many = StripAll(&b.docs, narrow);
  ASSERT_EQ(a.docs.size(), b.docs.size());
  for (size_t i = 0; i < a.docs.size(); ++i) EXPECT_EQ(a.docs[i].body, b.docs[i].body) << i;
  ASSERT_EQ(wide.size(), many.size());
  for (size_t i = 0; i < wide.size(); ++i) EXPECT_EQ(wide[i].documents, many[i].documents);
}

TEST(RepeatedOpenings, NeedsOnePercentOfTheSource) {
  std::vector<Document> docs;
  for (int i = 0; i < 2975; ++i) docs.push_back(Doc("big", Article("x", i)));
  for (int i = 0; i < 25; ++i) docs.push_back(Doc("big", kShare + " " + Article("a", i)));  // 25 < 1% of 3000
  auto removed = StripAll(&docs);
  EXPECT_TRUE(removed.empty());
  EXPECT_TRUE(docs.back().body.starts_with(kShare));
  for (int i = 0; i < 10; ++i) docs.push_back(Doc("big", kShare + " " + Article("b", i)));  // 35 >= 1% of 3010
  removed = StripAll(&docs);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].documents, 35u);
  EXPECT_EQ(docs.back().body, Article("b", 9));
}

TEST(RepeatedOpenings, WordsAreWhitespaceSeparatedAndTheRestKeepsItsBytes) {
  std::vector<Document> docs;
  const std::string spaced = "اس\tخبر\xC2\xA0کو  شیئر\nکریں ای\xE2\x80\x89میل فیس";  // tab, NBSP, thin space
  for (int i = 0; i < 20; ++i) docs.push_back(Doc("", (i % 2 ? kShare : spaced) + " \t\n" + Article("a", i) + "  \n"));
  const auto removed = StripAll(&docs);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].source, "");
  EXPECT_EQ(removed[0].documents, 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(docs[static_cast<size_t>(i)].body, Article("a", i) + "  \n");
}

TEST(RepeatedOpenings, NothingFrequentMeansOnePassAndNoChange) {
  std::vector<Document> docs;
  for (int i = 0; i < 100; ++i) docs.push_back(Doc("s", Article("a", i)));
  RepeatedOpenings openings;
  for (const auto& d : docs) openings.Observe(d);
  openings.EndPass();
  EXPECT_FALSE(openings.NeedsPass());
  for (auto& d : docs) EXPECT_EQ(openings.Strip(&d), 0u);
  EXPECT_TRUE(openings.Removed().empty());
}

}  // namespace
}  // namespace rasai
