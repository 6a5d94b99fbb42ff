#include "ingest/date_text.h"

#include <gtest/gtest.h>

namespace rasai::ingest_internal {
namespace {

TEST(DateText, MetadataValues) {
  EXPECT_EQ(NormalizeDate("2024-03-05"), "2024-03-05");
  EXPECT_EQ(NormalizeDate(" 2024-03-05T10:04:59+05:00 "), "2024-03-05T10:04:59+05:00");
  EXPECT_EQ(NormalizeDate("2024-03-05T10:04:59.123Z"), "2024-03-05T10:04:59Z");
  EXPECT_EQ(NormalizeDate("2024-03-05 10:04"), "2024-03-05T10:04");
  EXPECT_EQ(NormalizeDate("Tue, 05 Mar 2024 10:00:00 GMT"), "2024-03-05T10:00:00Z");
  EXPECT_EQ(NormalizeDate("March 5, 2024"), "2024-03-05");
  EXPECT_EQ(NormalizeDate("5th Mar. 2024"), "2024-03-05");
  // Urdu and Arabic month names, Urdu (Extended Arabic-Indic) and Arabic-Indic digits.
  EXPECT_EQ(NormalizeDate("5 مارچ 2024"), "2024-03-05");
  EXPECT_EQ(NormalizeDate("۵ مارچ ۲۰۲۴"), "2024-03-05");
  EXPECT_EQ(NormalizeDate("مئی ۲۷، ۲۰۲۱"), "2021-05-27");
  EXPECT_EQ(NormalizeDate("٢٧ مايو ٢٠٢١"), "2021-05-27");
  EXPECT_EQ(NormalizeDate("۲۰۲۴-۰۳-۰۵"), "2024-03-05");
  // Arabic-keyboard letters in a month name: the same month.
  EXPECT_EQ(NormalizeDate("27 جولائي 2021"), "2021-07-27");
  // Impossible or absent dates.
  EXPECT_EQ(NormalizeDate("2024-13-05"), "");
  EXPECT_EQ(NormalizeDate("32 March 2024"), "");
  EXPECT_EQ(NormalizeDate("1066-10-14"), "");
  EXPECT_EQ(NormalizeDate("yesterday"), "");
  EXPECT_EQ(NormalizeDate(""), "");
}

TEST(DateText, DatesInRunningText) {
  EXPECT_EQ(FindDateInText("اسلام آباد (۲۷ اپریل ۲۰۲۱): وفاقی وزیر نے کہا"), "2021-04-27");
  EXPECT_EQ(FindDateInText("Published May 19, 2024 Updated about 2 hours ago"), "2024-05-19");
  EXPECT_EQ(FindDateInText("شائع شدہ 12 جنوری 2023 07:15 صبح"), "2023-01-12");
  EXPECT_EQ(FindDateInText("Last updated: 2022/11/30"), "2022-11-30");
  EXPECT_EQ(FindDateInText("The bill may pass in 2024 with 5 votes"), "");
  EXPECT_EQ(FindDateInText("منگل کو جاری ہونے والے بیان میں"), "");
}

}  // namespace
}  // namespace rasai::ingest_internal
