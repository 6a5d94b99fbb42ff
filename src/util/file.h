// Files: the Directory seam through which the index does all its file operations (its segment
// files, manifest, lock and the removal of leftovers), so that tests can run it in memory
// (util/memory_directory.h) and inject faults (util/fault_injection_directory.h); RAII memory
// maps and file locks.
// Thread-safety: every Directory is thread-safe; MappedFile is immutable after Open; a
// WritableFile is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/status.h"

namespace rasai {

// A read-only view of a whole file (mmap; an empty file maps to an empty view).
class MappedFile {
 public:
  virtual ~MappedFile() = default;
  virtual const uint8_t* data() const = 0;
  virtual size_t size() const = 0;
  std::string_view view() const { return {reinterpret_cast<const char*>(data()), size()}; }
  // Gives back the pages of the mapping that the process holds (they stay in the page cache;
  // a later read maps them again). Contents and addresses are unchanged: safe while other
  // threads read. No effect where nothing is mapped (an in-memory file).
  virtual void ReleasePages() const {}
};

// A sequential writer; Sync() makes what was written durable.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  virtual uint64_t size() const = 0;
};

// Held while a writer owns a folder (Directory::Lock); released on destruction.
class DirectoryLock {
 public:
  virtual ~DirectoryLock() = default;
};

// The folder of one index. Names are plain file names (no '/').
class Directory {
 public:
  virtual ~Directory() = default;
  virtual const std::string& path() const = 0;
  virtual Result<std::unique_ptr<MappedFile>> OpenMapped(const std::string& name) const = 0;
  virtual Result<std::unique_ptr<WritableFile>> Create(const std::string& name) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& name) = 0;
  // Makes renames and creations in the folder durable.
  virtual Status SyncDir() = 0;
  virtual Result<std::vector<std::string>> List() const = 0;
  virtual bool Exists(const std::string& name) const = 0;
  virtual Result<uint64_t> FileSize(const std::string& name) const = 0;
  // Takes the folder's exclusive writer lock, file `name` (created when missing); IOError when
  // another writer (another process, or another Lock in this one) holds it.
  virtual Result<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) = 0;
  // Writes a whole file and fsyncs it.
  Status WriteFileSync(const std::string& name, std::string_view data);
  // Reads a whole file.
  Result<std::string> ReadFile(const std::string& name) const;
};

// Opens (creating it when `create`) a folder on the local file system.
Result<std::unique_ptr<Directory>> OpenPosixDirectory(const std::string& path, bool create);

// An exclusive advisory lock on a file, held until destruction.
class FileLock final : public DirectoryLock {
 public:
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& path);
  ~FileLock() override;

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// Reads a whole file (for inputs, not index files).
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace rasai
