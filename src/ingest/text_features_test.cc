#include "ingest/text_features.h"

#include <gtest/gtest.h>

namespace rasai::ingest_internal {
namespace {

TEST(TextFeatures, UrduAndEnglishProseHaveStopwordsBoilerplateHasFew) {
  const TextFeatures urdu = MeasureText("وفاقی وزیر نے کہا پاکستان میں سرمایہ کاری کے لیے ماحول سازگار ہے۔");
  EXPECT_EQ(urdu.words, 13u);
  EXPECT_EQ(urdu.urdu_words, 13u);
  EXPECT_GE(urdu.StopwordDensity(), 0.3);  // نے، میں، کے، لیے، ہے …
  EXPECT_EQ(urdu.sentence_marks, 1u);
  // The same words typed with Arabic-keyboard letters (ي ك ه) are the same stopwords.
  EXPECT_EQ(MeasureText("پاكستان ميں سرمايه كاري كے ليے").stopwords, MeasureText("پاکستان میں سرمایہ کاری کے لیے").stopwords);
  const TextFeatures english = MeasureText("The minister said that the climate for investment in Pakistan was good.");
  EXPECT_GE(english.StopwordDensity(), 0.3);
  EXPECT_EQ(english.urdu_words, 0u);
  EXPECT_LT(MeasureText("صفحہ اول پاکستان دنیا کاروبار کھیل شوبز").StopwordDensity(), 0.15);
  EXPECT_LT(MeasureText("Home News Sport Business Culture").StopwordDensity(), 0.15);
  EXPECT_EQ(MeasureText("").words, 0u);
}

}  // namespace
}  // namespace rasai::ingest_internal
