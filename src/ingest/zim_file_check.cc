// The check of a ZIM file before libzim opens it. libzim refuses most damaged archives itself,
// but some it opens and then fails on later (a bad cluster offset, a bad mimetype), and on some
// it prints assertion backtraces before throwing. The archive's own MD5 checksum (the last 16
// bytes, over everything before them) tells a sound file from a damaged one before any of that.
#include <fcntl.h>
#include <lzma.h>
#include <openssl/evp.h>
#include <zstd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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

// Random reads over the parts of an archive, through a window of the last bytes read: a large
// window when the reads move onward through the file (the pointer tables, the clusters), a small
// one when they jump about (the dirents in path order, which need not be their order in the file),
// so that a jump does not read a large window again for a few bytes.
class WindowReader {
 public:
  WindowReader(const std::vector<std::string>& parts, uint64_t end) : end_(end) {
    uint64_t at = 0;
    for (const auto& p : parts) {
      const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st;
      if (fd < 0 || ::fstat(fd, &st) != 0) {
        if (fd >= 0) ::close(fd);
        ok_ = false;
        continue;
      }
      parts_.push_back({fd, at, static_cast<uint64_t>(st.st_size)});
      at += static_cast<uint64_t>(st.st_size);
    }
  }
  ~WindowReader() {
    for (const auto& p : parts_) ::close(p.fd);
  }
  bool ok() const { return ok_; }
  // The bytes [offset, offset + n) clipped to the end; empty when offset is past it.
  std::string_view At(uint64_t offset, size_t n) {
    if (offset >= end_) return {};
    n = static_cast<size_t>(std::min<uint64_t>(n, end_ - offset));
    if (offset < window_at_ || offset + n > window_at_ + window_.size()) {
      const uint64_t window_end = window_at_ + window_.size();  // a read from here on is a scan onward
      const bool onward = offset >= window_end && offset <= window_end + kWindow;
      window_at_ = offset;
      const size_t size = std::max<size_t>(n, onward ? kWindow : kJumpWindow);
      window_.resize(static_cast<size_t>(std::min<uint64_t>(size, end_ - offset)));
      size_t got = 0;
      while (got < window_.size()) {
        const ssize_t r = Pread(window_.data() + got, window_.size() - got, offset + got);
        if (r <= 0) break;
        got += static_cast<size_t>(r);
      }
      window_.resize(got);
      n = std::min(n, got);
    }
    return std::string_view(window_).substr(static_cast<size_t>(offset - window_at_), n);
  }

 private:
  static constexpr size_t kWindow = 256 << 10, kJumpWindow = 4 << 10;
  struct Part {
    int fd;
    uint64_t at, size;
  };
  ssize_t Pread(char* out, size_t n, uint64_t offset) {
    for (const Part& p : parts_) {
      if (offset < p.at || offset >= p.at + p.size) continue;
      const size_t k = static_cast<size_t>(std::min<uint64_t>(n, p.at + p.size - offset));
      return ::pread(p.fd, out, k, static_cast<off_t>(offset - p.at));
    }
    return 0;
  }
  std::vector<Part> parts_;
  uint64_t end_;
  bool ok_ = true;
  std::string window_;
  uint64_t window_at_ = 0;
};

uint64_t LeBytes(std::string_view b, size_t at, int n) {
  return Le(reinterpret_cast<const unsigned char*>(b.data()) + at, n);
}

// The first `n` bytes of what a compressed cluster holds (its table of blob offsets starts it);
// fewer when the data ends or does not decompress.
std::string ClusterStart(WindowReader* r, uint64_t at, int compression, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  constexpr size_t kStep = 4096, kMaxInput = 1 << 20;  // a block header is far smaller
  if (compression == 5) {
    std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> z(ZSTD_createDStream(), ZSTD_freeDStream);
    if (!z) return "";
    ZSTD_initDStream(z.get());
    ZSTD_outBuffer o{out.data(), n, 0};
    for (uint64_t in_at = at; o.pos < n && in_at - at < kMaxInput;) {
      const std::string_view in = r->At(in_at, kStep);
      if (in.empty()) break;
      ZSTD_inBuffer i{in.data(), in.size(), 0};
      while (i.pos < i.size && o.pos < n) {
        const size_t rc = ZSTD_decompressStream(z.get(), &o, &i);
        if (ZSTD_isError(rc) || rc == 0) break;
      }
      if (i.pos == 0) break;
      in_at += i.pos;
    }
    got = o.pos;
  } else if (compression == 4) {
    lzma_stream xz = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&xz, UINT64_MAX, 0) != LZMA_OK) return "";
    xz.next_out = reinterpret_cast<uint8_t*>(out.data());
    xz.avail_out = n;
    for (uint64_t in_at = at; xz.avail_out > 0 && in_at - at < kMaxInput;) {
      const std::string_view in = r->At(in_at, kStep);
      if (in.empty()) break;
      xz.next_in = reinterpret_cast<const uint8_t*>(in.data());
      xz.avail_in = in.size();
      const lzma_ret rc = lzma_code(&xz, LZMA_RUN);
      const size_t used = in.size() - xz.avail_in;
      if ((rc != LZMA_OK && rc != LZMA_STREAM_END) || used == 0) break;
      in_at += used;
      if (rc == LZMA_STREAM_END) break;
    }
    got = n - xz.avail_out;
    lzma_end(&xz);
  }
  out.resize(got);
  return out;
}

// Checks the start of cluster `c` at `at`: a known compression, and a first blob offset (which
// says how many blobs the cluster holds) that fits what the archive can hold. libzim sizes a table
// from it before reading the blobs: a crafted count made it reserve 3.7 GB and loop for a minute
// (zim_fuzz).
Status CheckClusterHead(WindowReader* r, uint64_t at, const ZimHeader& h, uint32_t c) {
  const std::string_view info = r->At(at, 1);
  if (info.empty()) return Status::InvalidArgument("damaged directory: cluster " + std::to_string(c) + " is cut");
  const int flags = static_cast<unsigned char>(info[0]);
  const int compression = flags & 0x0f;
  const size_t width = (flags & 0x10) ? 8 : 4;
  std::string first;
  if (compression == 0 || compression == 1) {
    first = std::string(r->At(at + 1, width));
  } else if (compression == 4 || compression == 5) {
    first = ClusterStart(r, at + 1, compression, width);
  } else {
    return Status::InvalidArgument("unsupported: cluster " + std::to_string(c) + " is compressed with method " +
                                   std::to_string(compression) + " (zstd and xz are read)");
  }
  if (first.size() < width) return Status::InvalidArgument("damaged directory: cluster " + std::to_string(c) + " is unreadable");
  const uint64_t offset = LeBytes(first, 0, static_cast<int>(width));
  const uint64_t blobs = offset / width;  // the table holds blobs + 1 offsets
  if (offset % width != 0 || blobs == 0 || blobs - 1 > uint64_t{h.entry_count}) {
    return Status::InvalidArgument("damaged directory: cluster " + std::to_string(c) + " claims " +
                                   std::to_string(blobs == 0 ? 0 : blobs - 1) + " blobs");
  }
  return Status::OK();
}

// Checks every directory entry (dirent) the entry table points at: inside the archive, a known
// kind, its URL and title each ended by a NUL before the checksum, its cluster or redirect
// target in range; and every cluster and title pointer in range. libzim 8 reads past its buffer
// on a dirent whose strings do not end (found by zim_fuzz), so this runs before it opens a file.
Status CheckZimDirectory(const std::vector<std::string>& parts, const ZimHeader& h,
                         std::vector<std::pair<uint32_t, uint32_t>>* redirects) {
  // Two windows: `tables` moves along the pointer tables, `r` along the entries and clusters they
  // point at (one window for both would read its whole size again at every step).
  WindowReader r(parts, h.checksum_pos), tables(parts, h.checksum_pos);
  if (!r.ok() || !tables.ok()) return Status::IOError("cannot read the archive's parts");
  constexpr size_t kMaxString = 64 << 10, kShortString = 1024;
  auto bad = [](const std::string& what) { return Status::InvalidArgument("damaged directory: " + what); };
  for (uint32_t i = 0; i < h.entry_count; ++i) {
    const std::string_view p = tables.At(h.path_ptr_pos + 8 * uint64_t{i}, 8);
    if (p.size() < 8) return bad("the table of entries is cut");
    const uint64_t at = LeBytes(p, 0, 8);
    const std::string_view head = r.At(at, 16);
    if (at < kZimHeaderSize || head.size() < 8) return bad("entry " + std::to_string(i) + " points outside the archive");
    const uint64_t mime = LeBytes(head, 0, 2);
    const size_t fixed = mime == 0xffff ? 12 : (mime >= 0xfffd ? 8 : 16);
    if (head.size() < fixed) return bad("entry " + std::to_string(i) + " is cut");
    if (mime == 0xffff && LeBytes(head, 8, 4) >= h.entry_count) {
      return bad("entry " + std::to_string(i) + " redirects to an entry that does not exist");
    }
    if (mime == 0xffff && redirects) redirects->emplace_back(i, static_cast<uint32_t>(LeBytes(head, 8, 4)));
    if (mime < 0xfffd && LeBytes(head, 8, 4) >= h.cluster_count) {
      return bad("entry " + std::to_string(i) + " is in a cluster that does not exist");
    }
    const uint64_t param_len = LeBytes(head, 2, 1);
    uint64_t pos = at + fixed;
    for (int s = 0; s < 2; ++s) {  // the URL, then the title
      std::string_view text = r.At(pos, kShortString);
      size_t nul = text.find('\0');
      if (nul == std::string_view::npos) {
        text = r.At(pos, kMaxString + 1);
        nul = text.find('\0');
      }
      if (nul == std::string_view::npos) return bad("entry " + std::to_string(i) + " has a name that does not end");
      pos += nul + 1;
    }
    if (pos + param_len > h.checksum_pos) return bad("entry " + std::to_string(i) + " runs past the archive's end");
  }
  for (uint32_t c = 0; c < h.cluster_count; ++c) {
    const std::string_view p = tables.At(h.cluster_ptr_pos + 8 * uint64_t{c}, 8);
    if (p.size() < 8) return bad("the table of clusters is cut");
    const uint64_t at = LeBytes(p, 0, 8);
    if (at < kZimHeaderSize || at >= h.checksum_pos) return bad("cluster " + std::to_string(c) + " lies outside the archive");
    RASAI_RETURN_IF_ERROR(CheckClusterHead(&r, at, h, c));
  }
  if (h.title_ptr_pos != ~uint64_t{0}) {
    for (uint32_t i = 0; i < h.entry_count; ++i) {
      const std::string_view p = tables.At(h.title_ptr_pos + 4 * uint64_t{i}, 4);
      if (p.size() < 4) return bad("the table of titles is cut");
      if (LeBytes(p, 0, 4) >= h.entry_count) return bad("the table of titles names an entry that does not exist");
    }
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

Status ReadZimFacts(const std::string& logical, ZimFileFacts* facts) {
  auto parts = ZimParts(logical);
  if (!parts.ok()) return Status::NotFound("no such file");
  facts->parts = *parts;
  facts->split = parts->size() > 1 || (*parts)[0] != logical;
  PartReader reader(facts->parts);
  RASAI_RETURN_IF_ERROR(reader.Stat(&facts->size));
  if (facts->size < kZimHeaderSize) {
    return Status::InvalidArgument("too small to be a ZIM archive (" + Bytes(facts->size) + ", the header alone is 80)");
  }
  unsigned char head[kZimHeaderSize];
  size_t got = 0;
  RASAI_RETURN_IF_ERROR(ReadFull(&reader, head, kZimHeaderSize, &got));
  if (got < kZimHeaderSize) return Status::IOError("the archive ended while its header was read");
  facts->header = ParseZimHeader(head);
  return CheckZimHeader(facts->header, facts->size);
}

Status VerifyZimChecksum(const ZimFileFacts& facts) {
  PartReader reader(facts.parts);
  std::vector<unsigned char> buf(1 << 20);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!md || EVP_DigestInit_ex(md.get(), EVP_md5(), nullptr) != 1) return Status::IOError("MD5 is not available");
  uint64_t left = facts.header.checksum_pos;
  size_t got = 0;
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

Status CheckZimDirectory(const ZimFileFacts& facts, std::vector<std::pair<uint32_t, uint32_t>>* redirects) {
  if (redirects) redirects->clear();
  Status st = CheckZimDirectory(facts.parts, facts.header, redirects);
  if (!st.ok() && redirects) redirects->clear();
  return st;
}

Status CheckZimFile(const std::string& logical, bool verify_checksum, ZimFileFacts* facts) {
  RASAI_RETURN_IF_ERROR(ReadZimFacts(logical, facts));
  if (!verify_checksum) return Status::OK();
  RASAI_RETURN_IF_ERROR(VerifyZimChecksum(*facts));
  return CheckZimDirectory(*facts);
}

}  // namespace rasai::zim_internal
