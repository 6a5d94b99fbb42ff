// FaultInjectionDirectory: a MemoryDirectory that fails the operations a test names — the Nth
// write, file sync or folder sync, or rename, a short write, a full disk — and that can lose
// what a power cut loses (PowerCut): every file back to its bytes at its last Sync, the folder's
// names back to its last SyncDir. For the crash and fault tests of the index.
//
// Operations are counted from construction (or Reset), over every handle of the folder, one
// counter per kind; "Nth" counts from 1. After a crash fault every later operation fails too
// (the process died there); after a transient one the next operations run.
//
// Thread-safety: thread-safe, like MemoryDirectory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "util/memory_directory.h"

namespace rasai {

class FaultInjectionDirectory final : public MemoryDirectory {
 public:
  struct Plan {
    uint64_t fail_write = 0;   // the Nth write (WritableFile::Append) fails; 0: none
    uint64_t fail_sync = 0;    // the Nth WritableFile::Sync or SyncDir fails
    uint64_t fail_rename = 0;  // the Nth Rename fails
    bool short_write = false;  // a failing write first writes half of its bytes
    bool crash = false;        // after the first injected fault, every operation fails
    // Bytes of all the folder's files together; a write past it writes what fits, then fails
    // with "No space left on device" (as ENOSPC reads).
    uint64_t capacity = UINT64_MAX;
    // The process is stopped (a kill, a power cut) once this many bytes were written: the write
    // that reaches it writes what fits, then it and every later operation fail.
    uint64_t crash_after_bytes = UINT64_MAX;
  };
  struct Counts {
    uint64_t writes = 0, syncs = 0, renames = 0;
    uint64_t bytes_written = 0;
    uint64_t faults = 0;  // operations failed by the plan
  };

  FaultInjectionDirectory();
  ~FaultInjectionDirectory() override;
  // Another handle on the same folder, faults and counts included.
  std::unique_ptr<FaultInjectionDirectory> NewFaultHandle() const;

  // Replaces the plan and zeroes the counts.
  void SetPlan(const Plan& plan);
  Counts counts() const;
  // What a power cut leaves: each file's synced bytes, under the names of the last SyncDir.
  // Handles stay usable; files open for writing write into files no name reaches any more.
  void PowerCut();

 private:
  struct Faults;
  explicit FaultInjectionDirectory(std::shared_ptr<Folder> folder, std::shared_ptr<Faults> faults);
  std::shared_ptr<Faults> faults_;
};

}  // namespace rasai
