#include "batch/spool.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <cstdlib>

#include "util/coding.h"

namespace rasai::batch_internal {
namespace {

constexpr uint32_t kMagic = 0x4c4f5053;  // "SPOL"

void PutDocument(std::string* out, const Document& d) {
  for (const std::string* s : {&d.id, &d.title, &d.body, &d.summary, &d.url, &d.date, &d.lang, &d.source, &d.category})
    PutString(out, *s);
  PutVarint(out, d.extra.size());
  for (const auto& [k, v] : d.extra) {
    PutString(out, k);
    PutString(out, v);
  }
}

bool GetDocument(Decoder* in, Document* d) {
  for (std::string* s : {&d->id, &d->title, &d->body, &d->summary, &d->url, &d->date, &d->lang, &d->source, &d->category})
    s->assign(in->String());
  const uint64_t n = in->Varint();
  if (n > in->remaining()) return false;
  d->extra.resize(n);
  for (auto& [k, v] : d->extra) {
    k.assign(in->String());
    v.assign(in->String());
  }
  return in->ok();
}

}  // namespace

std::string EncodeBlock(const SpoolBlock& block) {
  std::string raw;
  PutFixed32(&raw, kMagic);
  PutString(&raw, block.file);
  PutVarint(&raw, block.bytes);
  PutVarint(&raw, block.docs.size());
  for (size_t i = 0; i < block.docs.size(); ++i) {
    PutVarint(&raw, i < block.lines.size() ? block.lines[i] : 0);
    PutDocument(&raw, block.docs[i]);
  }
  std::string out;
  PutVarint(&out, raw.size());
  const size_t head = out.size();
  out.resize(head + ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress(out.data() + head, out.size() - head, raw.data(), raw.size(), 1);
  if (ZSTD_isError(n)) {  // cannot happen with a bound-sized buffer; keep the block raw
    out.clear();
    PutVarint(&out, 0);
    out += raw;
    return out;
  }
  out.resize(head + n);
  return out;
}

Result<SpoolBlock> DecodeBlock(std::string_view data) {
  Decoder head(data);
  const uint64_t raw_size = head.Varint();
  if (!head.ok() || raw_size > (uint64_t{1} << 40)) return Status::Corruption("spool block: bad header");
  std::string raw;
  std::string_view body(reinterpret_cast<const char*>(head.ptr()), head.remaining());
  if (raw_size == 0) {
    raw.assign(body);
  } else {
    raw.resize(raw_size);
    const size_t n = ZSTD_decompress(raw.data(), raw.size(), body.data(), body.size());
    if (ZSTD_isError(n) || n != raw_size) return Status::Corruption("spool block: cannot decompress");
  }
  Decoder in(raw);
  SpoolBlock b;
  if (in.Fixed32() != kMagic) return Status::Corruption("spool block: bad magic");
  b.file.assign(in.String());
  b.bytes = in.Varint();
  const uint64_t n = in.Varint();
  if (!in.ok() || n > in.remaining()) return Status::Corruption("spool block: bad count");
  b.docs.resize(n);
  b.lines.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    b.lines[i] = in.Varint();
    if (!GetDocument(&in, &b.docs[i])) return Status::Corruption("spool block: truncated document");
  }
  if (!in.ok() || in.remaining() != 0) return Status::Corruption("spool block: trailing bytes");
  return b;
}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
}

Status Spool::Spill() {
  int fd = -1;
#ifdef O_TMPFILE
  fd = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
  if (fd < 0) {  // a file system without O_TMPFILE: create, then unlink at once
    std::string name = dir_ + "/.rasai-spool-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
  }
  if (fd < 0) return Status::IOError("cannot create a spool file in " + dir_ + ": " + std::strerror(errno));
  fd_ = fd;
  for (size_t i = 0; i < index_.size(); ++i) {
    Where& w = index_[i];
    if (w.in_file) continue;
    std::string& block = memory_[w.offset];
    const uint64_t at = file_size_;
    for (size_t done = 0; done < block.size();) {
      const ssize_t n = ::pwrite(fd_, block.data() + done, block.size() - done, static_cast<off_t>(at + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::IOError("cannot write the spool file in " + dir_ + ": " + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    file_size_ += block.size();
    w = Where{true, at, block.size()};
    std::string().swap(block);
  }
  memory_.clear();
  memory_bytes_ = 0;
  return Status::OK();
}

Status Spool::Append(std::string block) {
  bytes_ += block.size();
  if (fd_ < 0) {
    index_.push_back(Where{false, memory_.size(), block.size()});
    memory_bytes_ += block.size();
    memory_.push_back(std::move(block));
    if (memory_bytes_ > budget_ && !dir_.empty()) return Spill();
    return Status::OK();
  }
  const uint64_t at = file_size_;
  for (size_t done = 0; done < block.size();) {
    const ssize_t n = ::pwrite(fd_, block.data() + done, block.size() - done, static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IOError("cannot write the spool file in " + dir_ + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  file_size_ += block.size();
  index_.push_back(Where{true, at, block.size()});
  return Status::OK();
}

Result<std::string> Spool::Read(size_t i) const {
  if (i >= index_.size()) return Status::InvalidArgument("no such spool block");
  const Where& w = index_[i];
  if (!w.in_file) return memory_[w.offset];
  std::string out(w.size, '\0');
  for (size_t done = 0; done < out.size();) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(w.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IOError("cannot read the spool file: " + std::string(n < 0 ? std::strerror(errno) : "short read"));
    done += static_cast<size_t>(n);
  }
  return out;
}

}  // namespace rasai::batch_internal
