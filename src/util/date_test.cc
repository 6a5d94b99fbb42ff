#include "util/date.h"

#include <gtest/gtest.h>

namespace rasai {
namespace {

TEST(Date, KeysAreTheDateAsFarAsItIsWellFormed) {
  EXPECT_EQ(DateKey("2016-09-05T16:30:55Z"), 20160905);
  EXPECT_EQ(DateKey("2016-09-05"), 20160905);
  EXPECT_EQ(DateKey("2016-09"), 20160900);
  EXPECT_EQ(DateKey("2016"), 20160000);
  EXPECT_EQ(DateKey("2016-13-05"), 20160000);  // no month 13: the year
  EXPECT_EQ(DateKey("2016-09-32"), 20160900);
  EXPECT_EQ(DateKey("2016-9-5"), 20160000);    // months and days have two digits
  for (const char* no : {"", "201", "x016-09-05", "۲۰۱۶-09-05", "16-09-05"}) EXPECT_EQ(DateKey(no), 0) << no;
}

TEST(Date, TimeOfDayIsReadFromTheDateAsWritten) {
  EXPECT_EQ(TimeOfDay("2016-09-05T16:30:55Z"), 16 * 3600 + 30 * 60 + 55);
  EXPECT_EQ(TimeOfDay("2016-09-05T16:30:55+05:00"), 16 * 3600 + 30 * 60 + 55);  // the offset is not applied
  EXPECT_EQ(TimeOfDay("2016-09-05 16:30"), 16 * 3600 + 30 * 60);
  EXPECT_EQ(TimeOfDay("2016-09-05T00:00:00Z"), 0);
  EXPECT_EQ(TimeOfDay("2016-12-31T23:59:60Z"), 86399);  // a leap second stays in its day
  for (const char* no : {"", "2016", "2016-09", "2016-09-05", "2016-09-05T", "2016-09-05T16", "2016-09-05T16:3",
                         "2016-09-05T24:00", "2016-09-05T16:60", "2016-09-05T1a:30", "2016-09-05X16:30",
                         "2016-13-05T16:30", "xxxx-09-05T16:30", "2016-09-05T16:30:61", "2016-09-05T16:30:x5"})
    EXPECT_EQ(TimeOfDay(no), -1) << no;
  EXPECT_EQ(TimeOfDay("2016-09-05T16:30:5"), 16 * 3600 + 30 * 60);  // no full seconds: none
}

TEST(Date, FilterBoundsFillWhatIsNotWritten) {
  EXPECT_EQ(DateBoundKey("2016", false), 20160000);
  EXPECT_EQ(DateBoundKey("2016", true), 20161231);
  EXPECT_EQ(DateBoundKey("2016-02", false), 20160200);
  EXPECT_EQ(DateBoundKey("2016-02", true), 20160231);
  EXPECT_EQ(DateBoundKey("2016-02-07", true), 20160207);
  EXPECT_EQ(DateBoundKey("2016-02-07T10:00", false), 20160207);
  // A document dated by its year or month alone is within a bound of that year or month.
  EXPECT_GE(DateKey("2016"), DateBoundKey("2016", false));
  EXPECT_LE(DateKey("2016"), DateBoundKey("2016", true));
  EXPECT_GE(DateKey("2016-02"), DateBoundKey("2016-02", false));
  for (const char* no : {"", "16", "yesterday", "0000", "0000-01-01"}) {
    EXPECT_EQ(DateBoundKey(no, false), 0) << no;
    EXPECT_EQ(DateBoundKey(no, true), 0) << no;
  }
}

TEST(Date, FiltersAreWholeDates) {
  for (const char* yes : {"2016", "2016-02", "2016-02-07", "0000"}) EXPECT_TRUE(IsDateFilter(yes)) << yes;
  for (const char* no : {"", "15", "2016-", "2016-13", "2016-02-32", "2016-02-7", "2016-02-07T10:00", "yesterday",
                         "2016-00", "2016-02-00"})
    EXPECT_FALSE(IsDateFilter(no)) << no;
}

}  // namespace
}  // namespace rasai
