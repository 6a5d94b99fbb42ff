// Internal: what every file of a segment shares — the header (magic, kind, version) and footer
// (CRC32C, length, magic) around its body, the writer that adds them, the checks that read them,
// and the segment metadata the manifest lists. Format: docs/format/README.md.
//
// Thread-safety: FormatWriter is single-threaded; the functions are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

constexpr uint32_t kFileMagic = 0x49415352;  // "RSAI"
constexpr uint32_t kFormatVersion = 2;  // of every file and of the manifest
constexpr uint32_t kBlockSize = 128;
constexpr uint32_t kTermsPerBlock = 32;
constexpr size_t kHeaderSize = 12;
constexpr size_t kFooterSize = 16;

// A field length in tokens as one byte (exact up to 127, then within ~6%, never above the truth).
uint8_t EncodeNorm(uint32_t length);
uint32_t DecodeNorm(uint8_t code);

struct FileInfo {
  std::string name;
  uint64_t size = 0;
  uint32_t crc = 0;
};

struct SegmentMeta {
  std::string name;
  uint32_t max_doc = 0;
  uint64_t del_gen = 0;  // 0 = no deletions file
  uint32_t del_count = 0;
  std::vector<FieldStats> stats;  // per text field
  std::vector<FileInfo> files;    // the segment's files (deletions file included when del_gen>0)
};

// Writes a file with the common header and footer, computing its CRC as it goes.
class FormatWriter {
 public:
  static Result<std::unique_ptr<FormatWriter>> Create(Directory* dir, const std::string& name, const char kind[4]);
  Status Append(std::string_view data);
  uint64_t body_offset() const { return size_ - kHeaderSize; }  // bytes of body written so far
  // Writes the footer, fsyncs, closes.
  Status Finish(FileInfo* info);

 private:
  std::unique_ptr<WritableFile> file_;
  std::string name_;
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
};

// The common checks of a mapped segment file; returns its body.
Result<std::string_view> CheckedBody(const MappedFile& f, const char kind[4], const std::string& name);
// Full verification: footer CRC against the content.
Status VerifyFileCrc(const MappedFile& f, const std::string& name);

// The first 8 bytes of a term as a number that orders like the bytes (zero-padded): two terms
// whose keys differ compare as their keys do, without reading the terms.
inline uint64_t TermKey(std::string_view t) {
  uint64_t k = 0;
  for (size_t i = 0; i < 8; ++i) k = k << 8 | (i < t.size() ? static_cast<uint8_t>(t[i]) : 0);
  return k;
}

}  // namespace rasai
