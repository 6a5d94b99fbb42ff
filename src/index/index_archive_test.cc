#include "rasai/index_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "index/index_archive_internal.h"
#include "rasai/index.h"
#include "test_util.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;
using rasai::testing::ReadFile;
using rasai::testing::TempDir;
using rasai::testing::WriteFile;

Document Doc(const std::string& id, const std::string& body) {
  Document d;
  d.id = id;
  d.title = "title " + id;
  d.body = body;
  d.source = "test";
  return d;
}

// An index of `n` documents in `commits` commits (so several segments), some deleted.
void BuildIndex(const std::string& dir, int n, int commits) {
  IndexOptions o;
  o.merge_on_commit = false;
  auto index = Index::Open(dir, o);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  for (int c = 0; c < commits; ++c) {
    for (int i = c * n / commits; i < (c + 1) * n / commits; ++i)
      ASSERT_TRUE((*index)->Add(Doc("d" + std::to_string(i), "بارش لاہور river word" + std::to_string(i))).ok());
    ASSERT_TRUE((*index)->Commit().ok());
  }
  ASSERT_TRUE((*index)->Delete("d0").ok());
  ASSERT_TRUE((*index)->Commit().ok());
}

std::set<std::string> LiveIds(const std::string& dir) {
  std::set<std::string> ids;
  auto index = Index::OpenReadOnly(dir);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  if (!index.ok()) return ids;
  for (const auto& seg : (*index)->snapshot()->segments())
    for (uint32_t d = 0; d < seg->max_doc(); ++d)
      if (!seg->IsDeleted(d)) ids.insert(seg->StoredHead(d)->id);
  return ids;
}

// The entries of a tar file: (name, content).
std::vector<std::pair<std::string, std::string>> ReadTar(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_filename(a, path.c_str(), 1 << 16), ARCHIVE_OK);
  struct archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::string data(static_cast<size_t>(archive_entry_size(e)), '\0');
    if (!data.empty()) archive_read_data(a, data.data(), data.size());
    out.emplace_back(archive_entry_pathname(e), data);
  }
  archive_read_free(a);
  return out;
}

// Writes a tar of `entries`; type 'f' = regular file, 'l' = symlink to the content, 'd' = folder.
void WriteTar(const std::string& path, const std::vector<std::tuple<std::string, std::string, char>>& entries) {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, data, type] : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_perm(e, 0644);
    if (type == 'l') {
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_set_symlink(e, data.c_str());
      archive_entry_set_size(e, 0);
    } else if (type == 'd') {
      archive_entry_set_filetype(e, AE_IFDIR);
      archive_entry_set_size(e, 0);
    } else {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    }
    archive_write_header(a, e);
    if (type == 'f' && !data.empty()) archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

TEST(IndexArchive, ExportThenImportGivesTheSameIndex) {
  const std::string root = TempDir("archive");
  BuildIndex(root + "/a", 300, 3);
  for (const char* name : {"x.tar", "x.tar.gz", "x.tar.zst", "x.tar.xz"}) {
    SCOPED_TRACE(name);
    auto ex = ExportIndex(root + "/a", root + "/" + name);
    ASSERT_TRUE(ex.ok()) << ex.status().ToString();
    EXPECT_EQ(ex->documents, 299u);
    EXPECT_FALSE(fs::exists(root + "/" + name + ".tmp"));
    const auto entries = ReadTar(root + "/" + name);
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries[0].first, "MANIFEST");
    EXPECT_EQ(entries[0].second, ReadFile(root + "/a/MANIFEST"));
    EXPECT_EQ(entries.size(), ex->files);
    const std::string to = root + "/b-" + std::string(name);
    auto im = ImportIndex(root + "/" + name, to);
    ASSERT_TRUE(im.ok()) << im.status().ToString();
    EXPECT_EQ(im->documents, 299u);
    EXPECT_EQ(im->generation, ex->generation);
    EXPECT_EQ(LiveIds(to), LiveIds(root + "/a"));
    for (const auto& [file, data] : entries) EXPECT_EQ(ReadFile(to + "/" + file), data) << file;
    // The import is a working index: it takes new documents.
    auto index = Index::Open(to, IndexOptions{});
    ASSERT_TRUE(index.ok());
    ASSERT_TRUE((*index)->Add(Doc("new", "نیا")).ok());
    ASSERT_TRUE((*index)->Commit().ok());
    EXPECT_TRUE((*index)->Check().ok());
  }
  // No staging folder is left beside the imports.
  for (const auto& e : fs::directory_iterator(root)) EXPECT_EQ(e.path().filename().string().find(".import-"), std::string::npos);
}

TEST(IndexArchive, ExportOfAnEmptyIndexAndOfNoIndex) {
  const std::string root = TempDir("archive-empty");
  ASSERT_TRUE(Index::Open(root + "/a", IndexOptions{}).ok());
  auto ex = ExportIndex(root + "/a", root + "/e.tar");
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  EXPECT_EQ(ex->documents, 0u);
  auto im = ImportIndex(root + "/e.tar", root + "/b");
  ASSERT_TRUE(im.ok()) << im.status().ToString();
  EXPECT_EQ(im->documents, 0u);
  fs::create_directories(root + "/none");
  auto none = ExportIndex(root + "/none", root + "/n.tar");
  EXPECT_TRUE(none.status().IsNotFound()) << none.status().ToString();
  EXPECT_FALSE(fs::exists(root + "/n.tar"));
}

// Exports taken while a writer commits (adding 10 documents per commit, deleting some) and
// merges in the background: every archive is one committed generation, whole and sound.
TEST(IndexArchive, ExportWhileTheWriterCommitsAndMergesIsAConsistentSnapshot) {
  const std::string root = TempDir("archive-live");
  IndexOptions o;
  o.background_merge = true;
  auto index = Index::Open(root + "/a", o);
  ASSERT_TRUE(index.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> commits{0};
  std::thread writer([&] {
    for (int c = 0; !stop && c < 400; ++c) {
      for (int i = 0; i < 10; ++i) {
        const int id = c * 10 + i;
        ASSERT_TRUE((*index)->Add(Doc("d" + std::to_string(id), "word" + std::to_string(id % 50) + " بارش")).ok());
      }
      ASSERT_TRUE((*index)->Commit().ok());
      ++commits;
    }
  });
  std::set<uint64_t> generations;
  for (int e = 0; e < 12; ++e) {
    while (commits < 2 + e * 3) std::this_thread::yield();
    const std::string tar = root + "/s" + std::to_string(e) + ".tar";
    auto ex = ExportIndex(root + "/a", tar);
    ASSERT_TRUE(ex.ok()) << ex.status().ToString();
    const std::string to = root + "/b" + std::to_string(e);
    auto im = ImportIndex(tar, to);
    ASSERT_TRUE(im.ok()) << im.status().ToString();  // ImportIndex runs Index::Check
    EXPECT_EQ(im->generation, ex->generation);
    EXPECT_EQ(im->documents, ex->documents);
    // Each commit adds 10 new ids: a snapshot holds whole commits, d0 .. d(10k-1).
    const std::set<std::string> ids = LiveIds(to);
    EXPECT_EQ(ids.size() % 10, 0u);
    for (size_t i = 0; i < ids.size(); ++i) EXPECT_TRUE(ids.count("d" + std::to_string(i))) << i;
    generations.insert(ex->generation);
    fs::remove_all(to);
    fs::remove(tar);
  }
  stop = true;
  writer.join();
  ASSERT_TRUE((*index)->WaitForMerges().ok());
  EXPECT_GT(generations.size(), 6u);  // the exports did see the index change
}

// The index's folder, with a hook run when the exporter opens its first segment file: there the
// test commits and merges, so the file the exporter's manifest names is gone when it opens it.
class HookOnFirstOpen : public Directory {
 public:
  HookOnFirstOpen(std::unique_ptr<Directory> base, std::function<void()> hook)
      : base_(std::move(base)), hook_(std::move(hook)) {}
  const std::string& path() const override { return base_->path(); }
  Result<std::unique_ptr<MappedFile>> OpenMapped(const std::string& name) const override {
    if (hook_) {
      auto hook = std::move(hook_);
      hook_ = nullptr;
      hook();
    }
    return base_->OpenMapped(name);
  }
  Result<std::unique_ptr<WritableFile>> Create(const std::string& name) override { return base_->Create(name); }
  Status Rename(const std::string& from, const std::string& to) override { return base_->Rename(from, to); }
  Status Remove(const std::string& name) override { return base_->Remove(name); }
  Status SyncDir() override { return base_->SyncDir(); }
  Result<std::vector<std::string>> List() const override { return base_->List(); }
  bool Exists(const std::string& name) const override { return base_->Exists(name); }
  Result<uint64_t> FileSize(const std::string& name) const override { return base_->FileSize(name); }
  Result<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) override { return base_->Lock(name); }

 private:
  std::unique_ptr<Directory> base_;
  mutable std::function<void()> hook_;
};

TEST(IndexArchive, ExportStartsOverWhenAMergeRemovesAFileItWasAboutToCopy) {
  const std::string root = TempDir("archive-race");
  IndexOptions o;
  o.merge_on_commit = false;
  auto index = Index::Open(root + "/a", o);
  ASSERT_TRUE(index.ok());
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < 10; ++i) ASSERT_TRUE((*index)->Add(Doc("d" + std::to_string(c * 10 + i), "بارش")).ok());
    ASSERT_TRUE((*index)->Commit().ok());
  }
  const uint64_t before = (*index)->stats().generation;
  auto base = OpenPosixDirectory(root + "/a", false);
  ASSERT_TRUE(base.ok());
  HookOnFirstOpen dir(std::move(*base), [&] {
    ASSERT_TRUE((*index)->Add(Doc("late", "دیر سے")).ok());
    ASSERT_TRUE((*index)->Commit().ok());
    ASSERT_TRUE((*index)->ForceMerge().ok());  // removes every segment the first manifest named
  });
  auto ex = ExportIndexFrom(dir, root + "/a.tar");
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  EXPECT_GT(ex->generation, before);  // it started over from the merged generation
  EXPECT_EQ(ex->generation, (*index)->stats().generation);
  EXPECT_EQ(ex->documents, 31u);
  auto im = ImportIndex(root + "/a.tar", root + "/b");
  ASSERT_TRUE(im.ok()) << im.status().ToString();
  EXPECT_EQ(LiveIds(root + "/b").count("late"), 1u);
  EXPECT_EQ(LiveIds(root + "/b").size(), 31u);
}

TEST(IndexArchive, ExportOfAnIndexMissingAFileIsCorruption) {
  const std::string root = TempDir("archive-missing");
  BuildIndex(root + "/a", 30, 2);
  const auto tims = rasai::testing::FilesWithExt(root + "/a", ".tim");
  ASSERT_FALSE(tims.empty());
  fs::remove(tims[0]);
  auto ex = ExportIndex(root + "/a", root + "/a.tar");
  EXPECT_TRUE(ex.status().IsCorruption()) << ex.status().ToString();
  EXPECT_NE(ex.status().message().find(fs::path(tims[0]).filename().string()), std::string::npos);
  EXPECT_FALSE(fs::exists(root + "/a.tar"));
}

TEST(IndexArchive, ImportRefusesAFolderInUseOrHoldingFiles) {
  const std::string root = TempDir("archive-refuse");
  BuildIndex(root + "/a", 50, 1);
  ASSERT_TRUE(ExportIndex(root + "/a", root + "/a.tar").ok());
  BuildIndex(root + "/other", 20, 1);
  const std::set<std::string> before = LiveIds(root + "/other");

  auto r = ImportIndex(root + "/a.tar", root + "/other");
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("holds an index already"), std::string::npos) << r.status().ToString();

  fs::create_directories(root + "/notes");
  WriteFile(root + "/notes/n.txt", "notes");
  r = ImportIndex(root + "/a.tar", root + "/notes");
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ReadFile(root + "/notes/n.txt"), "notes");

  {  // Replacing needs the index's lock: a running writer keeps it.
    auto writer = Index::Open(root + "/other", IndexOptions{});
    ASSERT_TRUE(writer.ok());
    ImportOptions replace;
    replace.replace = true;
    r = ImportIndex(root + "/a.tar", root + "/other", replace);
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("stop its server"), std::string::npos) << r.status().ToString();
  }
  EXPECT_EQ(LiveIds(root + "/other"), before);

  // What the center keeps beside its index (usage figures) stays through a replacement.
  WriteFile(root + "/other/usage.jsonl", "{\"q\":\"بارش\"}\n");
  fs::create_directories(root + "/other/stats");
  WriteFile(root + "/other/stats/day", "7");
  ImportOptions replace;
  replace.replace = true;
  r = ImportIndex(root + "/a.tar", root + "/other", replace);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(LiveIds(root + "/other"), LiveIds(root + "/a"));
  EXPECT_EQ(ReadFile(root + "/other/usage.jsonl"), "{\"q\":\"بارش\"}\n");
  EXPECT_EQ(ReadFile(root + "/other/stats/day"), "7");
  auto names = [](const std::string& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
  };
  std::set<std::string> want = names(root + "/a");
  want.erase("LOCK");
  want.insert({"usage.jsonl", "stats"});
  EXPECT_EQ(names(root + "/other"), want);  // the old index's files are gone
  for (const auto& e : fs::directory_iterator(root)) EXPECT_EQ(e.path().filename().string().find(".import-"), std::string::npos);

  fs::create_directories(root + "/empty");
  EXPECT_TRUE(ImportIndex(root + "/a.tar", root + "/empty/").ok());
  EXPECT_EQ(LiveIds(root + "/empty"), LiveIds(root + "/a"));
  for (const auto& e : fs::directory_iterator(root + "/empty")) EXPECT_EQ(e.path().filename().string().find(".import-"), std::string::npos);
}

TEST(IndexArchive, DamagedOrHostileArchivesAreRefusedAndLeaveNothing) {
  const std::string root = TempDir("archive-bad");
  BuildIndex(root + "/a", 100, 2);
  ASSERT_TRUE(ExportIndex(root + "/a", root + "/a.tar").ok());
  const auto entries = ReadTar(root + "/a.tar");
  ASSERT_GE(entries.size(), 3u);
  using E = std::tuple<std::string, std::string, char>;
  std::vector<E> good;
  for (const auto& [n, d] : entries) good.emplace_back(n, d, 'f');

  struct Case {
    std::string what;
    std::vector<E> entries;
  };
  std::vector<Case> cases;
  {
    auto c = good;
    c.pop_back();
    cases.push_back({"a file missing", c});
  }
  {
    auto c = good;
    std::get<1>(c[1]).pop_back();
    cases.push_back({"a file shorter than the manifest says", c});
  }
  {
    auto c = good;
    std::get<1>(c[1])[std::get<1>(c[1]).size() / 2] ^= 0x5a;
    cases.push_back({"a flipped byte", c});
  }
  {
    auto c = good;
    std::get<1>(c[0])[10] ^= 1;
    cases.push_back({"a damaged manifest", c});
  }
  {
    auto c = good;
    std::swap(c[0], c[1]);
    cases.push_back({"MANIFEST not first", c});
  }
  {
    auto c = good;
    c.emplace_back("../escape", "x", 'f');
    cases.push_back({"a path out of the folder", c});
  }
  {
    auto c = good;
    c.emplace_back("sub/file", "x", 'f');
    cases.push_back({"a path into a sub-folder", c});
  }
  {
    auto c = good;
    std::get<2>(c[1]) = 'l';
    std::get<1>(c[1]) = "/etc/passwd";
    cases.push_back({"a symlink in place of a file", c});
  }
  {
    auto c = good;
    c.emplace_back("extra.txt", "x", 'f');
    cases.push_back({"a file the manifest does not name", c});
  }
  {
    auto c = good;
    c.push_back(c[1]);
    cases.push_back({"a file twice", c});
  }
  {
    auto c = good;
    c.emplace_back("d", "", 'd');
    cases.push_back({"a folder", c});
  }
  cases.push_back({"no entries", {}});
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].what);
    const std::string tar = root + "/bad" + std::to_string(i) + ".tar";
    WriteTar(tar, cases[i].entries);
    auto r = ImportIndex(tar, root + "/to");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.status().IsCorruption() || r.status().code() == Status::Code::kInvalidArgument) << r.status().ToString();
    EXPECT_FALSE(fs::exists(root + "/to"));
    EXPECT_FALSE(fs::exists(root + "/../escape"));
  }
  // Not a tar at all, and a tar cut short.
  WriteFile(root + "/junk.tar", std::string(5000, 'j'));
  EXPECT_FALSE(ImportIndex(root + "/junk.tar", root + "/to").ok());
  // Where the last entry's data ends (a tar is padded with zeros after it): any cut more than a
  // block before that loses a header or data.
  size_t data_end = 0;
  for (const auto& [n, d] : entries) data_end += 512 + (d.size() + 511) / 512 * 512;
  const std::string whole = ReadFile(root + "/a.tar");
  ASSERT_GE(whole.size(), data_end);
  for (size_t cut : {size_t{100}, size_t{600}, data_end / 2, data_end - 600}) {
    WriteFile(root + "/cut.tar", whole.substr(0, cut));
    auto r = ImportIndex(root + "/cut.tar", root + "/to");
    EXPECT_FALSE(r.ok()) << cut;
    EXPECT_FALSE(fs::exists(root + "/to")) << cut;
  }
  EXPECT_FALSE(ImportIndex(root + "/missing.tar", root + "/to").ok());
  for (const auto& e : fs::directory_iterator(root)) EXPECT_EQ(e.path().filename().string().find(".import-"), std::string::npos);
}

}  // namespace
}  // namespace rasai
