// One suite for every Directory (the local file system, memory, fault injection without faults),
// then what only FaultInjectionDirectory does: faults, full disks and power cuts.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "test_util.h"
#include "util/fault_injection_directory.h"
#include "util/file.h"
#include "util/memory_directory.h"

namespace rasai {
namespace {

using MakeDirectory = std::function<std::unique_ptr<Directory>()>;

class EveryDirectory : public ::testing::TestWithParam<std::pair<const char*, MakeDirectory>> {
 protected:
  void SetUp() override { dir_ = GetParam().second(); }
  std::unique_ptr<Directory> dir_;
};

std::string Read(const Directory& dir, const std::string& name) {
  auto r = dir.ReadFile(name);
  return r.ok() ? *r : "<" + r.status().ToString() + ">";
}

TEST_P(EveryDirectory, WriteReadRenameRemoveList) {
  Directory& d = *dir_;
  ASSERT_TRUE(d.WriteFileSync("a", "hello").ok());
  EXPECT_EQ(Read(d, "a"), "hello");
  auto m = d.OpenMapped("a");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->view(), "hello");
  EXPECT_EQ(*d.FileSize("a"), 5u);
  ASSERT_TRUE(d.WriteFileSync("b", "old").ok());
  ASSERT_TRUE(d.Rename("a", "b").ok());  // over an existing file
  EXPECT_FALSE(d.Exists("a"));
  EXPECT_EQ(Read(d, "b"), "hello");
  EXPECT_TRUE(d.SyncDir().ok());
  EXPECT_TRUE(d.OpenMapped("missing").status().IsNotFound());
  EXPECT_TRUE(d.ReadFile("missing").status().IsNotFound());
  EXPECT_FALSE(d.Rename("missing", "c").ok());
  ASSERT_TRUE(d.WriteFileSync("empty", "").ok());
  auto me = d.OpenMapped("empty");
  ASSERT_TRUE(me.ok());
  EXPECT_EQ((*me)->size(), 0u);
  auto names = d.List();
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"b", "empty"}));
  EXPECT_TRUE(d.Remove("b").ok());
  EXPECT_TRUE(d.Remove("b").ok());  // removing what is gone is no error
  EXPECT_FALSE(d.Exists("b"));
}

TEST_P(EveryDirectory, AppendsInPiecesAndCreateTruncates) {
  auto f = dir_->Create("x");
  ASSERT_TRUE(f.ok());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE((*f)->Append("0123456789").ok());
  EXPECT_EQ((*f)->size(), 10000u);
  ASSERT_TRUE((*f)->Sync().ok());
  ASSERT_TRUE((*f)->Close().ok());
  EXPECT_EQ(Read(*dir_, "x").size(), 10000u);
  ASSERT_TRUE(dir_->WriteFileSync("x", "short").ok());
  EXPECT_EQ(Read(*dir_, "x"), "short");
}

TEST_P(EveryDirectory, OneWriterLockAtATime) {
  auto a = dir_->Lock("LOCK");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = dir_->Lock("LOCK");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("locked"), std::string::npos) << b.status().ToString();
  a->reset();
  EXPECT_TRUE(dir_->Lock("LOCK").ok());
}

INSTANTIATE_TEST_SUITE_P(
    All, EveryDirectory,
    ::testing::Values(
        std::make_pair("Posix",
                       MakeDirectory([] {
                         auto d = OpenPosixDirectory(testing::TempDir("every-directory"), true);
                         return d.ok() ? std::move(*d) : nullptr;
                       })),
        std::make_pair("Memory", MakeDirectory([] { return std::unique_ptr<Directory>(new MemoryDirectory()); })),
        std::make_pair("FaultInjection",
                       MakeDirectory([] { return std::unique_ptr<Directory>(new FaultInjectionDirectory()); }))),
    [](const auto& info) { return std::string(info.param.first); });

TEST(MemoryDirectory, HandlesShareTheFolder) {
  MemoryDirectory a;
  auto b = a.NewHandle();
  ASSERT_TRUE(a.WriteFileSync("f", "x").ok());
  EXPECT_EQ(Read(*b, "f"), "x");
  EXPECT_EQ(a.path(), b->path());
  MemoryDirectory other;
  EXPECT_NE(other.path(), a.path());
  EXPECT_FALSE(other.Exists("f"));
}

TEST(FaultInjectionDirectory, FailsTheNthWriteOnce) {
  FaultInjectionDirectory d;
  d.SetPlan({.fail_write = 3});
  auto f = d.Create("f");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE((*f)->Append("aa").ok());
  EXPECT_TRUE((*f)->Append("bb").ok());
  Status st = (*f)->Append("cc");
  EXPECT_EQ(st.code(), Status::Code::kIOError) << st.ToString();
  EXPECT_NE(st.message().find("f"), std::string::npos);
  EXPECT_TRUE((*f)->Append("dd").ok());  // transient: the next write goes through
  EXPECT_EQ(Read(d, "f"), "aabbdd");
  EXPECT_EQ(d.counts().writes, 4u);
  EXPECT_EQ(d.counts().faults, 1u);
}

TEST(FaultInjectionDirectory, AShortWriteLeavesHalf) {
  FaultInjectionDirectory d;
  d.SetPlan({.fail_write = 1, .short_write = true});
  auto f = d.Create("f");
  EXPECT_FALSE((*f)->Append("abcdef").ok());
  EXPECT_EQ(Read(d, "f"), "abc");
}

TEST(FaultInjectionDirectory, ACrashFailsEverythingAfter) {
  FaultInjectionDirectory d;
  d.SetPlan({.fail_sync = 1, .crash = true});
  auto f = d.Create("f");
  ASSERT_TRUE((*f)->Append("x").ok());
  EXPECT_FALSE((*f)->Sync().ok());
  EXPECT_FALSE((*f)->Append("y").ok());
  EXPECT_FALSE(d.Create("g").ok());
  EXPECT_FALSE(d.Rename("f", "h").ok());
  EXPECT_FALSE(d.SyncDir().ok());
}

TEST(FaultInjectionDirectory, FailsTheNthRenameAndSyncDir) {
  FaultInjectionDirectory d;
  ASSERT_TRUE(d.WriteFileSync("a", "1").ok());
  d.SetPlan({.fail_sync = 2, .fail_rename = 1});
  EXPECT_FALSE(d.Rename("a", "b").ok());
  EXPECT_TRUE(d.Exists("a"));
  EXPECT_TRUE(d.Rename("a", "b").ok());
  EXPECT_TRUE(d.SyncDir().ok());   // sync 1
  EXPECT_FALSE(d.SyncDir().ok());  // sync 2
}

TEST(FaultInjectionDirectory, AFullDiskWritesWhatFitsAndSaysSo) {
  FaultInjectionDirectory d;
  d.SetPlan({.capacity = 10});
  auto f = d.Create("f");
  EXPECT_TRUE((*f)->Append("123456").ok());
  Status st = (*f)->Append("789abc");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("No space left on device"), std::string::npos) << st.ToString();
  EXPECT_EQ(Read(d, "f"), "123456789a");
  ASSERT_TRUE(d.Remove("f").ok());  // room again
  EXPECT_TRUE(d.WriteFileSync("g", "0123456789").ok());
}

TEST(FaultInjectionDirectory, APowerCutKeepsWhatWasSynced) {
  FaultInjectionDirectory d;
  ASSERT_TRUE(d.WriteFileSync("kept", "durable").ok());
  ASSERT_TRUE(d.WriteFileSync("gone", "data synced, name not").ok());
  ASSERT_TRUE(d.SyncDir().ok());  // "kept" and "gone" are both named durably now
  auto f = d.Create("half");
  ASSERT_TRUE((*f)->Append("synced").ok());
  ASSERT_TRUE((*f)->Sync().ok());
  ASSERT_TRUE((*f)->Append(" lost").ok());
  ASSERT_TRUE(d.SyncDir().ok());
  ASSERT_TRUE(d.Rename("kept", "renamed").ok());  // not synced: undone
  ASSERT_TRUE(d.Remove("gone").ok());             // not synced: undone
  ASSERT_TRUE(d.WriteFileSync("new", "x").ok());  // its name was never synced
  d.PowerCut();
  EXPECT_EQ(Read(d, "kept"), "durable");
  EXPECT_FALSE(d.Exists("renamed"));
  EXPECT_EQ(Read(d, "gone"), "data synced, name not");
  EXPECT_EQ(Read(d, "half"), "synced");
  EXPECT_FALSE(d.Exists("new"));
  ASSERT_TRUE((*f)->Append(" more").ok());  // a writer from before the cut reaches no name
  EXPECT_EQ(Read(d, "half"), "synced");
}

}  // namespace
}  // namespace rasai
