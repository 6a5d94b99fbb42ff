// The fault-injecting folder.
#include "util/fault_injection_directory.h"

#include <algorithm>

namespace rasai {

// The plan and counts of a folder (guarded by the folder's mutex, as before_op runs under it).
struct FaultInjectionDirectory::Faults {
  Plan plan;
  Counts counts;
  bool crashed = false;
};

FaultInjectionDirectory::FaultInjectionDirectory()
    : FaultInjectionDirectory(std::make_shared<Folder>(), std::make_shared<Faults>()) {}

FaultInjectionDirectory::FaultInjectionDirectory(std::shared_ptr<Folder> folder, std::shared_ptr<Faults> faults)
    : MemoryDirectory(std::move(folder)), faults_(std::move(faults)) {
  std::lock_guard<std::mutex> l(folder_->mu);
  if (folder_->before_op) return;  // a second handle: the first set the hook
  Folder* f = folder_.get();
  Faults* x = faults_.get();  // lives as long as the folder: the hook holds it
  folder_->before_op = [f, x, keep = faults_](Op op, const std::string& name, size_t* bytes) -> Status {
    (void)keep;
    const std::string what = op == Op::kWrite     ? "write "
                             : op == Op::kSync    ? "sync "
                             : op == Op::kSyncDir ? "sync folder"
                             : op == Op::kRename  ? "rename "
                             : op == Op::kCreate  ? "create "
                                                  : "remove ";
    if (x->crashed) {
      if (bytes) *bytes = 0;
      return Status::IOError(what + name + ": the process was stopped (injected crash)");
    }
    uint64_t nth = 0, count = 0;
    switch (op) {
      case Op::kWrite:
        count = ++x->counts.writes;
        nth = x->plan.fail_write;
        break;
      case Op::kSync:
      case Op::kSyncDir:
        count = ++x->counts.syncs;
        nth = x->plan.fail_sync;
        break;
      case Op::kRename:
        count = ++x->counts.renames;
        nth = x->plan.fail_rename;
        break;
      default:
        break;
    }
    if (nth != 0 && count == nth) {
      ++x->counts.faults;
      if (x->plan.crash) x->crashed = true;
      if (op == Op::kWrite) {
        *bytes = x->plan.short_write ? *bytes / 2 : 0;
        x->counts.bytes_written += *bytes;
      }
      return Status::IOError(what + name + ": Input/output error (injected fault)");
    }
    if (op == Op::kWrite && x->plan.crash_after_bytes != UINT64_MAX &&
        x->counts.bytes_written + *bytes > x->plan.crash_after_bytes) {
      ++x->counts.faults;
      x->crashed = true;
      *bytes = static_cast<size_t>(x->plan.crash_after_bytes - x->counts.bytes_written);
      x->counts.bytes_written += *bytes;
      return Status::IOError(what + name + ": the process was stopped (injected crash)");
    }
    if (op == Op::kWrite && x->plan.capacity != UINT64_MAX) {
      const uint64_t used = f->UsedLocked();
      const uint64_t room = used >= x->plan.capacity ? 0 : x->plan.capacity - used;
      if (*bytes > room) {
        ++x->counts.faults;
        if (x->plan.crash) x->crashed = true;
        *bytes = static_cast<size_t>(room);
        x->counts.bytes_written += *bytes;
        return Status::IOError(what + name + ": No space left on device");
      }
    }
    if (op == Op::kWrite) x->counts.bytes_written += *bytes;
    return Status::OK();
  };
}

FaultInjectionDirectory::~FaultInjectionDirectory() = default;

std::unique_ptr<FaultInjectionDirectory> FaultInjectionDirectory::NewFaultHandle() const {
  return std::unique_ptr<FaultInjectionDirectory>(new FaultInjectionDirectory(folder_, faults_));
}

void FaultInjectionDirectory::SetPlan(const Plan& plan) {
  std::lock_guard<std::mutex> l(folder_->mu);
  faults_->plan = plan;
  faults_->counts = Counts();
  faults_->crashed = false;
}

FaultInjectionDirectory::Counts FaultInjectionDirectory::counts() const {
  std::lock_guard<std::mutex> l(folder_->mu);
  return faults_->counts;
}

void FaultInjectionDirectory::PowerCut() {
  std::lock_guard<std::mutex> l(folder_->mu);
  folder_->live.clear();
  for (const auto& [name, node] : folder_->durable) {
    // A node is shared by its names only through renames; copy it so that a writer still open
    // on the old node writes where no name reaches.
    auto kept = std::make_shared<Node>();
    kept->data = node->data.substr(0, node->synced);
    kept->synced = kept->data.size();
    folder_->live[name] = kept;
  }
  folder_->durable = folder_->live;
}

}  // namespace rasai
