// Index archives (rasai/index_archive.h): a tar of MANIFEST and the files it names, read and
// written with libarchive.
#include "rasai/index_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "index/index_archive_internal.h"
#include "index/manifest.h"
#include "rasai/index.h"
#include "util/file.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;

constexpr int kExportAttempts = 100;
constexpr size_t kMaxManifestBytes = 64u << 20;  // a manifest of many thousands of segments is KBs
constexpr size_t kChunk = 1u << 20;

struct ArchiveFree {
  void operator()(struct archive* a) const {
    if (a) archive_free(a);
  }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveFree>;
struct EntryFree {
  void operator()(struct archive_entry* e) const {
    if (e) archive_entry_free(e);
  }
};

std::string ArchiveMessage(struct archive* a) {
  const char* m = archive_error_string(a);
  return m ? m : "unknown error";
}

bool EndsWith(const std::string& s, const char* suffix) {
  const std::string x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

// A name an index folder may hold: a plain file name (no folder, no "..").
bool PlainFileName(const std::string& name) {
  return !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

// The committed generation's files, mapped: their content stays readable when the writer
// removes them after a merge (an unlinked file lives on while mapped).
struct PinnedSnapshot {
  std::string manifest_text;
  Manifest manifest;
  std::vector<std::pair<std::string, std::unique_ptr<MappedFile>>> files;
};

Result<PinnedSnapshot> Pin(const Directory& dir) {
  const std::string manifest_path = dir.path() + "/" + kManifest;
  for (int attempt = 1;; ++attempt) {
    if (!dir.Exists(kManifest)) return Status::NotFound("no Rasai index in " + dir.path() + " (no MANIFEST)");
    PinnedSnapshot p;
    auto text = ReadWholeFile(manifest_path);
    if (!text.ok()) return text.status();
    p.manifest_text = std::move(*text);
    auto m = DecodeManifest(p.manifest_text);
    if (!m.ok()) return m.status();
    p.manifest = std::move(*m);
    std::string gone;
    for (const SegmentMeta& seg : p.manifest.segments) {
      for (const FileInfo& f : seg.files) {
        if (!PlainFileName(f.name)) return Status::Corruption("MANIFEST names '" + f.name + "', not a file name");
        auto mapped = dir.OpenMapped(f.name);
        if (!mapped.ok()) {
          if (dir.Exists(f.name)) return mapped.status();
          gone = f.name;
          break;
        }
        if ((*mapped)->size() != f.size)
          return Status::Corruption(f.name + " has " + std::to_string((*mapped)->size()) + " bytes, MANIFEST says " +
                                    std::to_string(f.size));
        p.files.emplace_back(f.name, std::move(*mapped));
      }
      if (!gone.empty()) break;
    }
    if (gone.empty()) return p;
    // A commit or merge published a newer manifest, then removed this file: start over from it.
    auto now = ReadWholeFile(manifest_path);
    if (now.ok() && *now == p.manifest_text)
      return Status::Corruption("MANIFEST names " + gone + ", which is missing from " + dir.path());
    if (attempt >= kExportAttempts)
      return Status::Aborted("the index in " + dir.path() + " changed " + std::to_string(attempt) +
                             " times while its files were being opened; try again");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Status SyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::IOError("open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("fsync " + path + ": " + std::strerror(err));
  return Status::OK();
}

std::string ParentOf(const std::string& path) {
  fs::path p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}

Status WriteEntry(struct archive* a, const std::string& name, std::string_view data, time_t mtime) {
  std::unique_ptr<struct archive_entry, EntryFree> e(archive_entry_new());
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_mtime(e.get(), mtime, 0);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK)
    return Status::IOError("writing " + name + " into the archive: " + ArchiveMessage(a));
  for (size_t at = 0; at < data.size(); at += kChunk) {
    const size_t n = std::min(kChunk, data.size() - at);
    if (archive_write_data(a, data.data() + at, n) != static_cast<la_ssize_t>(n))
      return Status::IOError("writing " + name + " into the archive: " + ArchiveMessage(a));
  }
  return Status::OK();
}

Status WriteArchive(const PinnedSnapshot& p, const std::string& path) {
  ArchivePtr a(archive_write_new());
  if (!a) return Status::IOError("libarchive: out of memory");
  int rc = archive_write_set_format_pax_restricted(a.get());  // ustar, pax headers only when needed
  if (rc == ARCHIVE_OK) {
    if (EndsWith(path, ".gz") || EndsWith(path, ".tgz")) {
      rc = archive_write_add_filter_gzip(a.get());
    } else if (EndsWith(path, ".xz")) {
      rc = archive_write_add_filter_xz(a.get());
    } else if (EndsWith(path, ".zst") || EndsWith(path, ".tzst")) {
      rc = archive_write_add_filter_zstd(a.get());
    }
  }
  if (rc != ARCHIVE_OK) return Status::IOError("libarchive: " + ArchiveMessage(a.get()));
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + tmp + ": " + std::strerror(errno));
  auto fail = [&](Status s) {
    a.reset();
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  if (archive_write_open_fd(a.get(), fd) != ARCHIVE_OK)
    return fail(Status::IOError("cannot write " + tmp + ": " + ArchiveMessage(a.get())));
  const time_t now = std::time(nullptr);
  Status s = WriteEntry(a.get(), kManifest, p.manifest_text, now);
  for (size_t i = 0; s.ok() && i < p.files.size(); ++i) s = WriteEntry(a.get(), p.files[i].first, p.files[i].second->view(), now);
  if (!s.ok()) return fail(s);
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return fail(Status::IOError("cannot write " + tmp + ": " + ArchiveMessage(a.get())));
  if (::fsync(fd) != 0) return fail(Status::IOError("fsync " + tmp + ": " + std::strerror(errno)));
  a.reset();
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status e = Status::IOError("rename " + tmp + " to " + path + ": " + std::strerror(errno));
    ::unlink(tmp.c_str());
    return e;
  }
  return SyncPath(ParentOf(path), O_RDONLY | O_DIRECTORY);
}

// ------------------------------------------------------------------------------------- import

// What `dir` holds now: nothing (missing or an empty folder), an index, or something else.
enum class Target { kNothing, kIndex, kOther };

Result<Target> Inspect(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Target::kNothing;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument(dir + " is not a folder");
  if (fs::exists(fs::path(dir) / kManifest, ec)) return Target::kIndex;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status::IOError("cannot list " + dir + ": " + ec.message());
  return it == fs::directory_iterator() ? Target::kNothing : Target::kOther;
}

// Unpacks the archive into the empty folder `into`, checking each entry against the manifest.
Status Unpack(const std::string& archive_path, Directory* into) {
  ArchivePtr a(archive_read_new());
  if (!a) return Status::IOError("libarchive: out of memory");
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK)
    return Status::IOError("cannot read " + archive_path + ": " + ArchiveMessage(a.get()));
  auto damaged = [&](const std::string& why) {
    return Status::Corruption(archive_path + " is not a whole Rasai index archive: " + why);
  };
  std::string manifest_text;
  std::map<std::string, uint64_t> expected;  // file -> size, from the manifest
  std::vector<char> buf(kChunk);
  for (size_t n = 0;; ++n) {
    struct archive_entry* e = nullptr;
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return damaged(ArchiveMessage(a.get()));
    const char* raw = archive_entry_pathname(e);
    const std::string name = raw ? raw : "";
    if (archive_entry_filetype(e) != AE_IFREG || !PlainFileName(name))
      return Status::InvalidArgument(archive_path + ": entry '" + name +
                                     "' is not a plain file of an index folder (an index archive holds only those)");
    if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0) return damaged("entry " + name + " has no size");
    const uint64_t size = static_cast<uint64_t>(archive_entry_size(e));
    if (n == 0) {
      if (name != kManifest) return damaged("it starts with " + name + ", not MANIFEST");
      if (size > kMaxManifestBytes) return damaged("its MANIFEST has " + std::to_string(size) + " bytes");
      manifest_text.resize(size);
      if (size > 0 && archive_read_data(a.get(), manifest_text.data(), size) != static_cast<la_ssize_t>(size))
        return damaged("MANIFEST is cut short");
      auto m = DecodeManifest(manifest_text);
      if (!m.ok()) return damaged(m.status().ToString());
      for (const SegmentMeta& seg : m->segments)
        for (const FileInfo& f : seg.files) {
          if (!PlainFileName(f.name) || f.name == kManifest || f.name == kManifestTmp || f.name == kLock)
            return damaged("its MANIFEST names '" + f.name + "'");
          if (!expected.emplace(f.name, f.size).second) return damaged("its MANIFEST names " + f.name + " twice");
        }
      continue;
    }
    auto want = expected.find(name);
    if (want == expected.end()) return damaged("entry " + name + " is not named by its MANIFEST (or comes twice)");
    if (want->second != size)
      return damaged(name + " has " + std::to_string(size) + " bytes, its MANIFEST says " + std::to_string(want->second));
    auto out = into->Create(name);
    if (!out.ok()) return out.status();
    uint64_t got = 0;
    for (;;) {
      la_ssize_t r = archive_read_data(a.get(), buf.data(), buf.size());
      if (r < 0) return damaged(name + ": " + ArchiveMessage(a.get()));
      if (r == 0) break;
      got += static_cast<uint64_t>(r);
      if (got > size) return damaged(name + " is longer than its header says");
      RASAI_RETURN_IF_ERROR((*out)->Append(std::string_view(buf.data(), static_cast<size_t>(r))));
    }
    if (got != size) return damaged(name + " is cut short (" + std::to_string(got) + " of " + std::to_string(size) + " bytes)");
    RASAI_RETURN_IF_ERROR((*out)->Sync());
    RASAI_RETURN_IF_ERROR((*out)->Close());
    expected.erase(want);
  }
  if (manifest_text.empty()) return damaged("it holds no MANIFEST");
  if (!expected.empty()) return damaged("it ends before " + expected.begin()->first + " (cut short?)");
  // The manifest goes in last: until then the folder is not an index.
  RASAI_RETURN_IF_ERROR(into->WriteFileSync(kManifest, manifest_text));
  return into->SyncDir();
}

// Whether an index folder's entry is the index's own (its manifest, lock, segment files and the
// leftovers of an interrupted commit: "s<hex>.<ext>", as Index::Open's clean-up decides). The
// rest is the center's (the usage figures of the server, say).
bool IndexOwned(const std::string& n) {
  return n == kManifest || n == kManifestTmp || n == kLock ||
         (n.size() > 1 && n[0] == 's' && n.find('.') != std::string::npos &&
          n.find_first_not_of("0123456789abcdef", 1) == n.find('.'));
}

// Copies what the center keeps in the old index folder (not the index's own files) into the new
// one, hard links where it can, so that replacing the index loses none of it.
Status CarryOver(const std::string& old_dir, const std::string& new_dir) {
  std::error_code ec;
  for (fs::directory_iterator it(old_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (IndexOwned(name)) continue;
    const fs::path to = fs::path(new_dir) / name;
    std::error_code e;
    if (it->is_regular_file(e) && ::link(it->path().c_str(), to.c_str()) == 0) continue;
    fs::copy(it->path(), to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, e);
    if (e) return Status::IOError("cannot keep " + it->path().string() + " in the new index folder: " + e.message());
  }
  if (ec) return Status::IOError("cannot list " + old_dir + ": " + ec.message());
  return Status::OK();
}

// Gives `dir` and its files the owner and mode of `like` (when run as root; a no-op otherwise).
void TakeOwnership(const std::string& dir, const struct stat& like) {
  ::chmod(dir.c_str(), like.st_mode & 07777);
  if (::geteuid() != 0) return;
  ::chown(dir.c_str(), like.st_uid, like.st_gid);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    ::chown(it->path().c_str(), like.st_uid, like.st_gid);
}

}  // namespace

Result<ArchiveSummary> ExportIndex(const std::string& dir, const std::string& archive) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("no Rasai index in " + dir + " (no such folder)");
  auto d = OpenPosixDirectory(dir, false);
  if (!d.ok()) return d.status();
  return ExportIndexFrom(**d, archive);
}

Result<ArchiveSummary> ExportIndexFrom(const Directory& dir, const std::string& archive) {
  auto pinned = Pin(dir);
  if (!pinned.ok()) return pinned.status();
  RASAI_RETURN_IF_ERROR(WriteArchive(*pinned, archive));
  ArchiveSummary s;
  s.generation = pinned->manifest.generation;
  s.files = pinned->files.size() + 1;
  s.bytes = pinned->manifest_text.size();
  for (const auto& f : pinned->files) s.bytes += f.second->size();
  for (const SegmentMeta& seg : pinned->manifest.segments) s.documents += seg.max_doc - seg.del_count;
  return s;
}

Result<ArchiveSummary> ImportIndex(const std::string& archive, const std::string& dir, const ImportOptions& options) {
  std::string target = fs::path(dir).lexically_normal().string();
  while (target.size() > 1 && target.back() == '/') target.pop_back();  // "idx/" names the folder idx
  if (target.empty() || target == "." || target == "/")
    return Status::InvalidArgument("import into '" + dir + "': give a folder of its own");
  auto what = Inspect(target);
  if (!what.ok()) return what.status();
  if (*what == Target::kOther)
    return Status::InvalidArgument(target + " holds files but no Rasai index: give a new or empty folder");
  if (*what == Target::kIndex && !options.replace)
    return Status::InvalidArgument(target + " holds an index already: import into a new folder, or replace it "
                                   "(rasai import --replace, with its server stopped)");
  std::unique_ptr<FileLock> lock;
  struct stat old_stat {};
  if (*what == Target::kIndex) {
    auto l = FileLock::Acquire(target + "/" + kLock);
    if (!l.ok())
      return Status::InvalidArgument("the index in " + target + " is in use (" + l.status().message() +
                                     "): stop its server first (sudo systemctl stop rasai)");
    lock = std::move(*l);
    if (::stat(target.c_str(), &old_stat) != 0) return Status::IOError("stat " + target + ": " + std::strerror(errno));
  }

  // Unpack beside the target (the same file system, so that publishing is a rename).
  const std::string parent = ParentOf(target);
  const std::string staging =
      parent + "/." + fs::path(target).filename().string() + ".import-" + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(staging, ec);
  auto cleanup = [&](Status s) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    return s;
  };
  {
    auto into = OpenPosixDirectory(staging, true);
    if (!into.ok()) return cleanup(into.status());
    Status s = Unpack(archive, into->get());
    if (!s.ok()) return cleanup(s);
  }
  ArchiveSummary summary;
  {
    auto index = Index::OpenReadOnly(staging);
    if (!index.ok()) return cleanup(Status::Corruption("the archive's index does not open: " + index.status().ToString()));
    Status s = (*index)->Check();
    if (!s.ok()) return cleanup(Status::Corruption("the archive's index is damaged: " + s.ToString()));
    const IndexStats st = (*index)->stats();
    summary.generation = st.generation;
    summary.documents = st.live_docs;
    summary.bytes = st.bytes_on_disk;
  }
  for (fs::directory_iterator it(staging, ec), end; !ec && it != end; it.increment(ec)) ++summary.files;

  // Publish: one rename (or an exchange of the two folders), then the parent folder is synced.
  if (*what == Target::kIndex) {
    Status kept = CarryOver(target, staging);
    if (!kept.ok()) return cleanup(kept);
    TakeOwnership(staging, old_stat);
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
      return cleanup(Status::IOError("cannot exchange " + staging + " and " + target + ": " + std::strerror(errno)));
    lock.reset();
    Status s = SyncPath(parent, O_RDONLY | O_DIRECTORY);
    fs::remove_all(staging, ec);  // now the old index
    if (!s.ok()) return s;
    return summary;
  }
  if (fs::exists(target, ec) && !fs::remove(target, ec))  // an empty folder
    return cleanup(Status::IOError("cannot replace the empty folder " + target + ": " + ec.message()));
  if (::rename(staging.c_str(), target.c_str()) != 0)
    return cleanup(Status::IOError("cannot rename " + staging + " to " + target + ": " + std::strerror(errno)));
  RASAI_RETURN_IF_ERROR(SyncPath(parent, O_RDONLY | O_DIRECTORY));
  return summary;
}

}  // namespace rasai
