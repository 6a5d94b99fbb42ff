// The check of a ZIM file before libzim opens it. libzim refuses most damaged archives itself,
// but some it opens and then fails on later (a bad cluster offset, a bad mimetype), and on some
// it prints assertion backtraces before throwing. The archive's own MD5 checksum (the last 16
// bytes, over everything before them) tells a sound file from a damaged one before any of that.
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ingest/zim_internal.h"

namespace rasai::zim_internal {
namespace {

uint64_t Le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string Bytes(uint64_t n) { return std::to_string(n) + " bytes"; }

// Reads the parts of an archive as one sequence of bytes.
class PartReader {
 public:
  explicit PartReader(const std::vector<std::string>& parts) : parts_(parts) {}
  ~PartReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  // Sizes of the parts; IOError when one cannot be read.
  Status Stat(uint64_t* total) {
    *total = 0;
    for (const auto& p : parts_) {
      struct stat st;
      if (::stat(p.c_str(), &st) != 0) return Status::IOError("cannot read " + p + ": " + std::strerror(errno));
      sizes_.push_back(static_cast<uint64_t>(st.st_size));
      *total += static_cast<uint64_t>(st.st_size);
    }
    return Status::OK();
  }
  // Reads up to `n` bytes at the current position into `out`; *got = 0 at the end.
  Status Read(unsigned char* out, size_t n, size_t* got) {
    *got = 0;
    while (part_ < parts_.size()) {
      if (fd_ < 0) {
        fd_ = ::open(parts_[part_].c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return Status::IOError("cannot read " + parts_[part_] + ": " + std::strerror(errno));
        ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
      }
      const ssize_t r = ::read(fd_, out, n);
      if (r < 0) {
        if (errno == EINTR) continue;
        return Status::IOError("read error in " + parts_[part_] + ": " + std::strerror(errno));
      }
      if (r > 0) {
        *got = static_cast<size_t>(r);
        return Status::OK();
      }
      ::close(fd_);
      fd_ = -1;
      ++part_;
    }
    return Status::OK();
  }

 private:
  const std::vector<std::string>& parts_;
  std::vector<uint64_t> sizes_;
  size_t part_ = 0;
  int fd_ = -1;
};

// Reads exactly n bytes (fewer only at the end of the archive).
Status ReadFull(PartReader* r, unsigned char* out, size_t n, size_t* got) {
  *got = 0;
  while (*got < n) {
    size_t g = 0;
    RASAI_RETURN_IF_ERROR(r->Read(out + *got, n - *got, &g));
    if (g == 0) break;
    *got += g;
  }
  return Status::OK();
}

bool FileExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

Result<std::vector<std::string>> ZimParts(const std::string& logical) {
  if (FileExists(logical)) return std::vector<std::string>{logical};
  std::vector<std::string> parts;
  // x.zimaa, x.zimab, ..., x.zimaz, x.zimba, ...: libzim's order, stopping at the first gap.
  for (char a = 'a'; a <= 'z'; ++a) {
    for (char b = 'a'; b <= 'z'; ++b) {
      std::string p = logical + a + b;
      if (!FileExists(p)) return parts.empty() ? Result<std::vector<std::string>>(Status::NotFound("no such file")) : parts;
      parts.push_back(std::move(p));
    }
  }
  return parts;
}

ZimHeader ParseZimHeader(const unsigned char* b) {
  ZimHeader h;
  h.magic = static_cast<uint32_t>(Le(b, 4));
  h.major = static_cast<uint16_t>(Le(b + 4, 2));
  h.minor = static_cast<uint16_t>(Le(b + 6, 2));
  std::memcpy(h.uuid, b + 8, 16);
  h.entry_count = static_cast<uint32_t>(Le(b + 24, 4));
  h.cluster_count = static_cast<uint32_t>(Le(b + 28, 4));
  h.path_ptr_pos = Le(b + 32, 8);
  h.title_ptr_pos = Le(b + 40, 8);
  h.cluster_ptr_pos = Le(b + 48, 8);
  h.mime_list_pos = Le(b + 56, 8);
  h.main_page = static_cast<uint32_t>(Le(b + 64, 4));
  h.layout_page = static_cast<uint32_t>(Le(b + 68, 4));
  h.checksum_pos = Le(b + 72, 8);
  return h;
}

Status CheckZimHeader(const ZimHeader& h, uint64_t size) {
  if (h.magic != kZimMagic) return Status::InvalidArgument("not a ZIM archive (no ZIM magic number at its start)");
  if (h.major != 5 && h.major != 6) {
    return Status::InvalidArgument("unsupported ZIM format version " + std::to_string(h.major) + "." +
                                   std::to_string(h.minor) + " (5 and 6 are read)");
  }
  if (h.checksum_pos > size || size - h.checksum_pos < 16) {
    if (h.checksum_pos >= kZimHeaderSize && h.checksum_pos < (uint64_t{1} << 56)) {
      return Status::InvalidArgument("truncated: the archive should be " + Bytes(h.checksum_pos + 16) + " long but is " +
                                     Bytes(size) + " (an incomplete download or copy?)");
    }
    return Status::InvalidArgument("damaged header: the checksum position " + std::to_string(h.checksum_pos) +
                                   " is outside the file (" + Bytes(size) + ")");
  }
  if (h.checksum_pos + 16 != size) {
    if (h.checksum_pos < kZimHeaderSize) {
      return Status::InvalidArgument("damaged header: the checksum position " + std::to_string(h.checksum_pos) +
                                     " is not valid");
    }
    return Status::InvalidArgument(Bytes(size - h.checksum_pos - 16) +
                                   " after the archive's end (its checksum); a damaged or appended-to file");
  }
  if (h.mime_list_pos != kZimHeaderSize) {
    return Status::InvalidArgument("damaged header: the mimetype list is at " + std::to_string(h.mime_list_pos) +
                                   ", not right after the header");
  }
  const uint64_t end = h.checksum_pos;
  auto table_ok = [end](uint64_t pos, uint64_t count, uint64_t width) {
    return pos >= kZimHeaderSize && pos <= end && count <= (end - pos) / width;
  };
  if (!table_ok(h.path_ptr_pos, h.entry_count, 8)) {
    return Status::InvalidArgument("damaged header: the table of entries lies outside the archive");
  }
  if (h.title_ptr_pos != ~uint64_t{0} && !table_ok(h.title_ptr_pos, h.entry_count, 4)) {
    return Status::InvalidArgument("damaged header: the table of titles lies outside the archive");
  }
  if (!table_ok(h.cluster_ptr_pos, h.cluster_count, 8)) {
    return Status::InvalidArgument("damaged header: the table of clusters lies outside the archive");
  }
  return Status::OK();
}

Status CheckZimFile(const std::string& logical, bool verify_checksum, ZimFileFacts* facts) {
  auto parts = ZimParts(logical);
  if (!parts.ok()) return Status::NotFound("no such file");
  facts->split = parts->size() > 1 || (*parts)[0] != logical;
  PartReader reader(*parts);
  RASAI_RETURN_IF_ERROR(reader.Stat(&facts->size));
  if (facts->size < kZimHeaderSize) {
    return Status::InvalidArgument("too small to be a ZIM archive (" + Bytes(facts->size) + ", the header alone is 80)");
  }
  std::vector<unsigned char> buf(1 << 20);
  size_t got = 0;
  RASAI_RETURN_IF_ERROR(ReadFull(&reader, buf.data(), kZimHeaderSize, &got));
  if (got < kZimHeaderSize) return Status::IOError("the archive ended while its header was read");
  facts->header = ParseZimHeader(buf.data());
  RASAI_RETURN_IF_ERROR(CheckZimHeader(facts->header, facts->size));
  if (!verify_checksum) return Status::OK();

  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!md || EVP_DigestInit_ex(md.get(), EVP_md5(), nullptr) != 1) return Status::IOError("MD5 is not available");
  EVP_DigestUpdate(md.get(), buf.data(), kZimHeaderSize);
  uint64_t left = facts->header.checksum_pos - kZimHeaderSize;
  while (left > 0) {
    const size_t want = left < buf.size() ? static_cast<size_t>(left) : buf.size();
    RASAI_RETURN_IF_ERROR(ReadFull(&reader, buf.data(), want, &got));
    if (got < want) return Status::IOError("the archive became shorter while it was read");
    EVP_DigestUpdate(md.get(), buf.data(), got);
    left -= got;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  EVP_DigestFinal_ex(md.get(), digest, &digest_len);
  unsigned char stored[16];
  RASAI_RETURN_IF_ERROR(ReadFull(&reader, stored, 16, &got));
  if (got < 16) return Status::IOError("the archive became shorter while it was read");
  if (digest_len != 16 || std::memcmp(digest, stored, 16) != 0) {
    return Status::InvalidArgument("checksum mismatch: the archive is damaged (its MD5 differs from the one it carries)");
  }
  return Status::OK();
}

}  // namespace rasai::zim_internal
