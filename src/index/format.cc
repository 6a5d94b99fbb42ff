// The common header and footer of segment files, and norms as one byte.
#include "index/format.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "util/coding.h"
#include "util/crc32c.h"

namespace rasai {

uint8_t EncodeNorm(uint32_t length) {
  if (length < 128) return static_cast<uint8_t>(length);
  // Largest code whose decoded value is <= length, so decoded lengths never exceed the truth.
  int c = 127 + static_cast<int>(std::floor(std::log(length / 128.0) / std::log(1.06)));
  c = std::clamp(c, 128, 255);
  while (c > 128 && DecodeNorm(static_cast<uint8_t>(c)) > length) --c;
  while (c < 255 && DecodeNorm(static_cast<uint8_t>(c + 1)) <= length) ++c;
  return static_cast<uint8_t>(c);
}

uint32_t DecodeNorm(uint8_t code) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (int c = 0; c < 256; ++c)
      t[c] = c < 128 ? c : static_cast<uint32_t>(std::floor(128.0 * std::pow(1.06, c - 127)));
    return t;
  }();
  return table[code];
}

Result<std::unique_ptr<FormatWriter>> FormatWriter::Create(Directory* dir, const std::string& name,
                                                           const char kind[4]) {
  auto f = dir->Create(name);
  if (!f.ok()) return f.status();
  auto w = std::unique_ptr<FormatWriter>(new FormatWriter());
  w->file_ = std::move(*f);
  w->name_ = name;
  std::string h;
  PutFixed32(&h, kFileMagic);
  h.append(kind, 4);
  PutFixed32(&h, kFormatVersion);
  RASAI_RETURN_IF_ERROR(w->Append(h));
  return w;
}

Status FormatWriter::Append(std::string_view data) {
  crc_ = Crc32c(crc_, data.data(), data.size());
  size_ += data.size();
  return file_->Append(data);
}

Status FormatWriter::Finish(FileInfo* info) {
  std::string f;
  PutFixed32(&f, crc_);
  PutFixed64(&f, size_);
  PutFixed32(&f, kFileMagic);
  const uint32_t content_crc = crc_;
  RASAI_RETURN_IF_ERROR(file_->Append(f));
  size_ += f.size();
  RASAI_RETURN_IF_ERROR(file_->Sync());
  RASAI_RETURN_IF_ERROR(file_->Close());
  info->name = name_;
  info->size = size_;
  info->crc = content_crc;  // of header + body, as in the footer
  return Status::OK();
}

Result<std::string_view> CheckedBody(const MappedFile& f, const char kind[4], const std::string& name) {
  if (f.size() < kHeaderSize + kFooterSize) return Status::Corruption(name + ": file too short");
  const uint8_t* p = f.data();
  if (DecodeFixed32(p) != kFileMagic || std::memcmp(p + 4, kind, 4) != 0)
    return Status::Corruption(name + ": bad header (not a Rasai " + std::string(kind, 4) + " file)");
  if (DecodeFixed32(p + 8) != kFormatVersion)
    return Status::Unsupported(name + ": format version " + std::to_string(DecodeFixed32(p + 8)) +
                               ", this build reads version " + std::to_string(kFormatVersion) +
                               ": rebuild the index");
  const uint8_t* foot = p + f.size() - kFooterSize;
  if (DecodeFixed32(foot + 12) != kFileMagic || DecodeFixed64(foot + 4) != f.size() - kFooterSize)
    return Status::Corruption(name + ": bad footer (truncated or damaged)");
  return std::string_view(reinterpret_cast<const char*>(p + kHeaderSize), f.size() - kHeaderSize - kFooterSize);
}

Status VerifyFileCrc(const MappedFile& f, const std::string& name) {
  if (f.size() < kHeaderSize + kFooterSize) return Status::Corruption(name + ": file too short");
  const size_t content = f.size() - kFooterSize;
  if (Crc32c(0, f.data(), content) != DecodeFixed32(f.data() + content))
    return Status::Corruption(name + ": checksum mismatch");
  return Status::OK();
}

std::string DeletionFileName(const std::string& seg, uint64_t gen) { return seg + "." + std::to_string(gen) + ".del"; }

}  // namespace rasai
