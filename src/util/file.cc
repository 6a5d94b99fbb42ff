#include "util/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rasai {
namespace {

Status Errno(const std::string& what) { return Status::IOError(what + ": " + std::strerror(errno)); }

class PosixMapped final : public MappedFile {
 public:
  PosixMapped(void* p, size_t n) : p_(p), n_(n) {}
  ~PosixMapped() override {
    if (p_ && n_) munmap(p_, n_);
  }
  const uint8_t* data() const override { return n_ ? static_cast<const uint8_t*>(p_) : nullptr; }
  size_t size() const override { return n_; }
  void ReleasePages() const override {
    if (p_ && n_) ::madvise(p_, n_, MADV_DONTNEED);
  }

 private:
  void* p_;
  size_t n_;
};

class PosixWritable final : public WritableFile {
 public:
  PosixWritable(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritable() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Append(std::string_view data) override {
    buf_.append(data);
    size_ += data.size();
    if (buf_.size() >= (1u << 20)) return FlushBuffer();
    return Status::OK();
  }
  Status Sync() override {
    RASAI_RETURN_IF_ERROR(FlushBuffer());
    if (::fdatasync(fd_) != 0) return Errno("fdatasync " + path_);
    return Status::OK();
  }
  Status Close() override {
    Status s = FlushBuffer();
    if (fd_ >= 0 && ::close(fd_) != 0 && s.ok()) s = Errno("close " + path_);
    fd_ = -1;
    return s;
  }
  uint64_t size() const override { return size_; }

 private:
  Status FlushBuffer() {
    size_t off = 0;
    while (off < buf_.size()) {
      ssize_t w = ::write(fd_, buf_.data() + off, buf_.size() - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        return Errno("write " + path_);
      }
      off += static_cast<size_t>(w);
    }
    buf_.clear();
    return Status::OK();
  }
  int fd_;
  std::string path_;
  std::string buf_;
  uint64_t size_ = 0;
};

class PosixDirectory final : public Directory {
 public:
  explicit PosixDirectory(std::string path) : path_(std::move(path)) {}
  const std::string& path() const override { return path_; }
  std::string Full(const std::string& name) const { return path_ + "/" + name; }

  Result<std::unique_ptr<MappedFile>> OpenMapped(const std::string& name) const override {
    int fd = ::open(Full(name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound(Full(name));
      return Errno("open " + Full(name));
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      Status s = Errno("stat " + Full(name));
      ::close(fd);
      return s;
    }
    size_t n = static_cast<size_t>(st.st_size);
    void* p = nullptr;
    if (n > 0) {
      p = ::mmap(nullptr, n, PROT_READ, MAP_SHARED, fd, 0);
      if (p == MAP_FAILED) {
        Status s = Errno("mmap " + Full(name));
        ::close(fd);
        return s;
      }
    }
    ::close(fd);
    return std::unique_ptr<MappedFile>(new PosixMapped(p, n));
  }
  Result<std::unique_ptr<WritableFile>> Create(const std::string& name) override {
    int fd = ::open(Full(name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("create " + Full(name));
    return std::unique_ptr<WritableFile>(new PosixWritable(fd, Full(name)));
  }
  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(Full(from).c_str(), Full(to).c_str()) != 0) return Errno("rename " + Full(from));
    return Status::OK();
  }
  Status Remove(const std::string& name) override {
    if (::unlink(Full(name).c_str()) != 0 && errno != ENOENT) return Errno("unlink " + Full(name));
    return Status::OK();
  }
  Status SyncDir() override {
    int fd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Errno("open dir " + path_);
    int r = ::fsync(fd);
    ::close(fd);
    if (r != 0) return Errno("fsync dir " + path_);
    return Status::OK();
  }
  Result<std::vector<std::string>> List() const override {
    DIR* d = ::opendir(path_.c_str());
    if (!d) return Errno("opendir " + path_);
    std::vector<std::string> out;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(d);
    return out;
  }
  bool Exists(const std::string& name) const override { return ::access(Full(name).c_str(), F_OK) == 0; }
  Result<uint64_t> FileSize(const std::string& name) const override {
    struct stat st;
    if (::stat(Full(name).c_str(), &st) != 0) return Errno("stat " + Full(name));
    return static_cast<uint64_t>(st.st_size);
  }
  Result<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) override {
    auto lock = FileLock::Acquire(Full(name));
    if (!lock.ok()) return lock.status();
    return std::unique_ptr<DirectoryLock>(std::move(*lock));
  }

 private:
  std::string path_;
};

}  // namespace

Status Directory::WriteFileSync(const std::string& name, std::string_view data) {
  auto f = Create(name);
  if (!f.ok()) return f.status();
  RASAI_RETURN_IF_ERROR((*f)->Append(data));
  RASAI_RETURN_IF_ERROR((*f)->Sync());
  return (*f)->Close();
}

Result<std::string> Directory::ReadFile(const std::string& name) const {
  auto m = OpenMapped(name);
  if (!m.ok()) return m.status();
  return std::string((*m)->view());
}

Result<std::unique_ptr<Directory>> OpenPosixDirectory(const std::string& path, bool create) {
  std::error_code ec;
  if (create) {
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IOError("cannot create " + path + ": " + ec.message());
  }
  if (!std::filesystem::is_directory(path, ec)) return Status::NotFound("no index folder at " + path);
  return std::unique_ptr<Directory>(new PosixDirectory(path));
}

Result<std::unique_ptr<FileLock>> FileLock::Acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("open lock " + path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::IOError("index is locked by another writer (" + path + ")");
  }
  return std::unique_ptr<FileLock>(new FileLock(fd));
}

FileLock::~FileLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open " + path);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("read " + path);
      ::close(fd);
      return s;
    }
    if (r == 0) break;
    out.append(buf, static_cast<size_t>(r));
  }
  ::close(fd);
  return out;
}

}  // namespace rasai
