// The in-memory folder.
#include "util/memory_directory.h"

#include <atomic>

namespace rasai {
namespace {

class MemoryMapped final : public MappedFile {
 public:
  explicit MemoryMapped(std::string bytes) : bytes_(std::move(bytes)) {}
  const uint8_t* data() const override {
    return bytes_.empty() ? nullptr : reinterpret_cast<const uint8_t*>(bytes_.data());
  }
  size_t size() const override { return bytes_.size(); }

 private:
  const std::string bytes_;
};

std::atomic<uint64_t> next_folder_id{1};

}  // namespace

class MemoryDirectory::File final : public WritableFile {
 public:
  File(std::shared_ptr<Folder> folder, std::shared_ptr<Node> node, std::string name)
      : folder_(std::move(folder)), node_(std::move(node)), name_(std::move(name)) {}
  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> l(folder_->mu);
    size_t n = data.size();
    Status st = folder_->BeforeOp(Op::kWrite, name_, &n);
    node_->data.append(data.substr(0, std::min(n, data.size())));
    return st;
  }
  Status Sync() override {
    std::lock_guard<std::mutex> l(folder_->mu);
    size_t n = 0;
    RASAI_RETURN_IF_ERROR(folder_->BeforeOp(Op::kSync, name_, &n));
    node_->synced = node_->data.size();
    return Status::OK();
  }
  Status Close() override { return Status::OK(); }
  uint64_t size() const override {
    std::lock_guard<std::mutex> l(folder_->mu);
    return node_->data.size();
  }

 private:
  std::shared_ptr<Folder> folder_;
  std::shared_ptr<Node> node_;
  std::string name_;
};

class MemoryDirectory::HeldLock final : public DirectoryLock {
 public:
  HeldLock(std::shared_ptr<Folder> folder, std::string name) : folder_(std::move(folder)), name_(std::move(name)) {}
  ~HeldLock() override {
    std::lock_guard<std::mutex> l(folder_->mu);
    folder_->locked.erase(name_);
  }

 private:
  std::shared_ptr<Folder> folder_;
  std::string name_;
};

MemoryDirectory::MemoryDirectory() : MemoryDirectory(std::make_shared<Folder>()) {}

MemoryDirectory::MemoryDirectory(std::shared_ptr<Folder> folder) : folder_(std::move(folder)) {
  std::lock_guard<std::mutex> l(folder_->mu);
  if (folder_->id == 0) folder_->id = next_folder_id++;
  path_ = "/memory/" + std::to_string(folder_->id);
}

MemoryDirectory::~MemoryDirectory() = default;

std::unique_ptr<MemoryDirectory> MemoryDirectory::NewHandle() const {
  return std::unique_ptr<MemoryDirectory>(new MemoryDirectory(folder_));
}

uint64_t MemoryDirectory::Folder::UsedLocked() const {
  uint64_t n = 0;
  for (const auto& [name, node] : live) n += node->data.size();
  return n;
}

Result<std::unique_ptr<MappedFile>> MemoryDirectory::OpenMapped(const std::string& name) const {
  std::lock_guard<std::mutex> l(folder_->mu);
  auto it = folder_->live.find(name);
  if (it == folder_->live.end()) return Status::NotFound(path_ + "/" + name);
  return std::unique_ptr<MappedFile>(new MemoryMapped(it->second->data));
}

Result<std::unique_ptr<WritableFile>> MemoryDirectory::Create(const std::string& name) {
  std::lock_guard<std::mutex> l(folder_->mu);
  size_t n = 0;
  RASAI_RETURN_IF_ERROR(folder_->BeforeOp(Op::kCreate, name, &n));
  auto node = std::make_shared<Node>();
  folder_->live[name] = node;
  return std::unique_ptr<WritableFile>(new File(folder_, std::move(node), name));
}

Status MemoryDirectory::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> l(folder_->mu);
  size_t n = 0;
  RASAI_RETURN_IF_ERROR(folder_->BeforeOp(Op::kRename, from, &n));
  auto it = folder_->live.find(from);
  if (it == folder_->live.end()) return Status::IOError("rename " + path_ + "/" + from + ": No such file or directory");
  std::shared_ptr<Node> node = std::move(it->second);
  folder_->live.erase(it);
  folder_->live[to] = std::move(node);
  return Status::OK();
}

Status MemoryDirectory::Remove(const std::string& name) {
  std::lock_guard<std::mutex> l(folder_->mu);
  size_t n = 0;
  RASAI_RETURN_IF_ERROR(folder_->BeforeOp(Op::kRemove, name, &n));
  folder_->live.erase(name);
  return Status::OK();
}

Status MemoryDirectory::SyncDir() {
  std::lock_guard<std::mutex> l(folder_->mu);
  size_t n = 0;
  RASAI_RETURN_IF_ERROR(folder_->BeforeOp(Op::kSyncDir, "", &n));
  folder_->durable = folder_->live;
  return Status::OK();
}

Result<std::vector<std::string>> MemoryDirectory::List() const {
  std::lock_guard<std::mutex> l(folder_->mu);
  std::vector<std::string> out;
  for (const auto& [name, node] : folder_->live) out.push_back(name);
  return out;
}

bool MemoryDirectory::Exists(const std::string& name) const {
  std::lock_guard<std::mutex> l(folder_->mu);
  return folder_->live.count(name) > 0;
}

Result<uint64_t> MemoryDirectory::FileSize(const std::string& name) const {
  std::lock_guard<std::mutex> l(folder_->mu);
  auto it = folder_->live.find(name);
  if (it == folder_->live.end()) return Status::NotFound(path_ + "/" + name);
  return static_cast<uint64_t>(it->second->data.size());
}

Result<std::unique_ptr<DirectoryLock>> MemoryDirectory::Lock(const std::string& name) {
  std::lock_guard<std::mutex> l(folder_->mu);
  if (!folder_->locked.insert(name).second)
    return Status::IOError("index is locked by another writer (" + path_ + "/" + name + ")");
  if (!folder_->live.count(name)) folder_->live[name] = std::make_shared<Node>();
  return std::unique_ptr<DirectoryLock>(new HeldLock(folder_, name));
}

uint64_t MemoryDirectory::BytesUsed() const {
  std::lock_guard<std::mutex> l(folder_->mu);
  return folder_->UsedLocked();
}

}  // namespace rasai
