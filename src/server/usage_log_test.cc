#include "server/usage_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <string>

#include "test_util.h"

namespace rasai::server {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNow = 1'750'000'000;  // an hour boundary is not needed: windows are by hour
constexpr int64_t kHour = 3600;

std::unique_ptr<UsageLog> OpenLog(const std::string& path, UsageLog::Options options = {}, std::string* warning = nullptr) {
  options.path = path;
  options.flush_seconds = 0;
  auto log = UsageLog::Open(options, warning);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(*log) : nullptr;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(UsageLog, NormalizesQueries) {
  EXPECT_EQ(UsageLog::Normalize("  لاہور   بارش \t"), "لاہور بارش");
  EXPECT_EQ(UsageLog::Normalize("Prime  MINISTER"), "prime minister");
  EXPECT_EQ(UsageLog::Normalize(" \n "), "");
  EXPECT_EQ(UsageLog::Normalize(std::string("a\xff") + "b"), "a\xEF\xBF\xBD" "b");  // replaced, not kept broken
  std::string long_query;
  while (long_query.size() < 400) long_query += "پاکستان ";
  const std::string cut = UsageLog::Normalize(long_query);
  EXPECT_LE(cut.size(), UsageLog::kMaxQueryBytes);
  EXPECT_GT(cut.size(), UsageLog::kMaxQueryBytes - 16);
  EXPECT_EQ(UsageLog::Normalize(cut), cut);  // whole characters, no trailing space
}

TEST(UsageLog, CountsPerDayWeekAndAllTime) {
  auto log = OpenLog("");
  // 10 days ago, 3 days ago, and within the last day.
  log->Record("old", false, kNow - 10 * 24 * kHour);
  log->Record("old", false, kNow - 10 * 24 * kHour);
  log->Record("week", true, kNow - 3 * 24 * kHour);
  for (int i = 0; i < 3; ++i) log->Record("لاہور", false, kNow - 2 * kHour);
  log->Record("LAHORE ", false, kNow - 1);
  log->Record("lahore", false, kNow);
  log->Record("زززز", true, kNow);
  log->Record("   ", true, kNow);  // empty: not counted

  UsageLog::Report day = log->Top(UsageLog::Period::kDay, 10, kNow);
  EXPECT_EQ(day.searches, 6u);
  EXPECT_EQ(day.found_nothing, 1u);
  ASSERT_EQ(day.top.size(), 3u);
  EXPECT_EQ(day.top[0].query, "لاہور");
  EXPECT_EQ(day.top[0].count, 3u);
  EXPECT_EQ(day.top[1].query, "lahore");
  EXPECT_EQ(day.top[1].count, 2u);
  ASSERT_EQ(day.nothing.size(), 1u);
  EXPECT_EQ(day.nothing[0].query, "زززز");

  UsageLog::Report week = log->Top(UsageLog::Period::kWeek, 10, kNow);
  EXPECT_EQ(week.searches, 7u);
  ASSERT_EQ(week.nothing.size(), 2u);
  EXPECT_EQ(week.nothing[0].count, 1u);

  UsageLog::Report all = log->Top(UsageLog::Period::kAll, 10, kNow);
  EXPECT_EQ(all.searches, 9u);
  EXPECT_EQ(all.found_nothing, 2u);
  EXPECT_EQ(all.top.size(), 5u);
  EXPECT_EQ(log->Top(UsageLog::Period::kAll, 2, kNow).top.size(), 2u);

  // A day later, the searches of the last day have left the day.
  EXPECT_EQ(log->Top(UsageLog::Period::kDay, 10, kNow + 25 * kHour).searches, 0u);
  EXPECT_EQ(log->Top(UsageLog::Period::kWeek, 10, kNow + 25 * kHour).searches, 7u);
  EXPECT_EQ(log->Top(UsageLog::Period::kWeek, 10, kNow + 5 * 24 * kHour).searches, 6u);  // "week" left it
}

TEST(UsageLog, TablesAreBoundedAndKeepTheFrequentQueries) {
  UsageLog::Options options;
  options.hour_capacity = 8;
  options.all_capacity = 16;
  auto log = OpenLog("", options);
  for (int i = 0; i < 5000; ++i) {
    log->Record("frequent", false, kNow);
    if (i % 2 == 0) log->Record("half", true, kNow);
    log->Record("rare " + std::to_string(i), true, kNow);  // 5,000 different queries
  }
  UsageLog::Report all = log->Top(UsageLog::Period::kAll, 100, kNow);
  EXPECT_EQ(all.searches, 12500u);
  EXPECT_EQ(all.top.size(), 16u);
  EXPECT_EQ(all.top[0].query, "frequent");
  EXPECT_EQ(all.top[0].count, 5000u);  // never replaced: its count is exact
  EXPECT_EQ(all.top[1].query, "half");
  EXPECT_EQ(all.top[1].count, 2500u);
  EXPECT_EQ(all.nothing[0].query, "half");
  EXPECT_LE(log->Top(UsageLog::Period::kDay, 100, kNow).top.size(), 8u);
}

TEST(UsageLog, SurvivesAReopenAndKeepsSevenDaysOfHours) {
  const std::string dir = rasai::testing::TempDir("usage");
  const std::string path = dir + "/usage.log";
  {
    auto log = OpenLog(path);
    log->Record("old", false, kNow - 9 * 24 * kHour);
    log->Record("لاہور بارش", true, kNow);
    log->Record("لاہور بارش", true, kNow);
    log->Record("کرکٹ", false, kNow - 30 * kHour);
  }  // closing flushes
  ASSERT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto log = OpenLog(path);
  UsageLog::Report day = log->Top(UsageLog::Period::kDay, 10, kNow);
  ASSERT_EQ(day.nothing.size(), 1u);
  EXPECT_EQ(day.nothing[0].query, "لاہور بارش");
  EXPECT_EQ(day.nothing[0].count, 2u);
  EXPECT_EQ(log->Top(UsageLog::Period::kWeek, 10, kNow).searches, 3u);  // the 9-day-old hour is not in the week
  EXPECT_EQ(log->Top(UsageLog::Period::kAll, 10, kNow).searches, 4u);
  // Nothing changed: Flush writes nothing, and the file stays as it was.
  const std::string before = Read(path);
  ASSERT_TRUE(log->Flush().ok());
  EXPECT_EQ(Read(path), before);
}

TEST(UsageLog, FlushesPeriodically) {
  const std::string path = rasai::testing::TempDir("usage-periodic") + "/usage.log";
  UsageLog::Options options;
  options.path = path;
  options.flush_seconds = 1;
  auto log = UsageLog::Open(options, nullptr);
  ASSERT_TRUE(log.ok());
  (*log)->Record("بارش", false, kNow);
  for (int i = 0; i < 50 && !fs::exists(path); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(fs::exists(path)) << "not written within 5 s";
  auto copy = OpenLog(path);  // what a power cut now would leave
  EXPECT_EQ(copy->Top(UsageLog::Period::kAll, 10, kNow).searches, 1u);
}

TEST(UsageLog, ADamagedFileIsSetAsideAndCountingStartsAgain) {
  const std::string dir = rasai::testing::TempDir("usage-damaged");
  const std::string path = dir + "/usage.log";
  {
    auto log = OpenLog(path);
    log->Record("بارش", false, kNow);
  }
  std::string data = Read(path);
  ASSERT_GT(data.size(), 40u);
  for (const std::string& damaged : {data.substr(0, data.size() - 3), std::string(data).replace(data.size() - 5, 1, "X"),
                                     std::string("garbage"), std::string()}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
    std::string warning;
    auto log = OpenLog(path, {}, &warning);
    ASSERT_NE(log, nullptr);
    EXPECT_NE(warning.find("damaged"), std::string::npos) << warning;
    EXPECT_EQ(log->Top(UsageLog::Period::kAll, 10, kNow).searches, 0u);
    EXPECT_TRUE(fs::exists(path + ".damaged"));
    EXPECT_FALSE(fs::exists(path));
    log->Record("نیا", false, kNow);
    log.reset();
    EXPECT_EQ(OpenLog(path)->Top(UsageLog::Period::kAll, 10, kNow).top[0].query, "نیا");
  }
}

}  // namespace
}  // namespace rasai::server
