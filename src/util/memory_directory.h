// MemoryDirectory: an index folder held in memory, for tests, and FaultInjectionDirectory's base.
// It keeps apart what a file system keeps through a power cut from what it may lose: a file's
// bytes up to its last Sync, and the folder's names (creations, renames, removals) as of the
// last SyncDir. A MemoryDirectory loses nothing (PowerCut is FaultInjectionDirectory's).
// Handles made by NewHandle() share one folder: an Index owns one, the test keeps another.
//
// Thread-safety: thread-safe (one mutex per folder). A mapped file is a copy of the file's bytes
// when it was mapped.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/file.h"

namespace rasai {

class MemoryDirectory : public Directory {
 public:
  MemoryDirectory();  // a new, empty folder
  ~MemoryDirectory() override;
  // Another handle on the same folder.
  std::unique_ptr<MemoryDirectory> NewHandle() const;

  const std::string& path() const override { return path_; }
  Result<std::unique_ptr<MappedFile>> OpenMapped(const std::string& name) const override;
  Result<std::unique_ptr<WritableFile>> Create(const std::string& name) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& name) override;
  Status SyncDir() override;
  Result<std::vector<std::string>> List() const override;
  bool Exists(const std::string& name) const override;
  Result<uint64_t> FileSize(const std::string& name) const override;
  Result<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) override;

  // Bytes of all the folder's files together.
  uint64_t BytesUsed() const;

 protected:
  // What a file is: its bytes, and how many of them a Sync made durable.
  struct Node {
    std::string data;
    size_t synced = 0;
  };
  // The operations a FaultInjectionDirectory may fail.
  enum class Op { kCreate, kWrite, kSync, kRename, kRemove, kSyncDir };
  // The shared state of a folder.
  struct Folder {
    mutable std::mutex mu;
    std::map<std::string, std::shared_ptr<Node>> live;     // the names now
    std::map<std::string, std::shared_ptr<Node>> durable;  // the names as of the last SyncDir
    std::set<std::string> locked;
    uint64_t id = 0;
    // Called under `mu` before each operation (when set); a non-OK status fails it. For kWrite,
    // *bytes is the write's size on entry and how many of its bytes to write on return (a short
    // write: those are written, then the status is returned).
    std::function<Status(Op op, const std::string& name, size_t* bytes)> before_op;
    Status BeforeOp(Op op, const std::string& name, size_t* bytes) {
      return before_op ? before_op(op, name, bytes) : Status::OK();
    }
    uint64_t UsedLocked() const;  // bytes of the live files
  };
  explicit MemoryDirectory(std::shared_ptr<Folder> folder);
  std::shared_ptr<Folder> folder_;

 private:
  class File;
  class HeldLock;
  std::string path_;
};

}  // namespace rasai
