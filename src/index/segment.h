// Internal: one segment's files — the builder that writes them and the mapped data that reads
// them. Format: docs/format/README.md.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "index/offsets.h"
#include "rasai/document.h"
#include "rasai/index.h"
#include "util/file.h"

namespace rasai {

constexpr uint32_t kFileMagic = 0x49415352;  // "RSAI"
constexpr uint32_t kFormatVersion = 1;
constexpr uint32_t kBlockSize = 128;
constexpr uint32_t kTermsPerBlock = 32;
constexpr size_t kHeaderSize = 12;
constexpr size_t kFooterSize = 16;

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

std::string SerializeDocument(const Document& doc);
bool DeserializeDocument(std::string_view data, Document* doc);
int32_t ParseDateKey(std::string_view iso);  // yyyymmdd or 0
uint64_t ContentHash(const Document& doc);

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

// Builds the files of one new segment. Call order: SetNorms; AddTerm for fields in increasing
// id and terms in byte order; AddDocument for docs 0..max_doc-1 (any time); Finish.
class SegmentBuilder {
 public:
  SegmentBuilder(Directory* dir, std::string name, int ntext_fields);
  ~SegmentBuilder();
  Status Open();
  void SetNorms(std::vector<std::vector<uint8_t>> norms);  // [field][doc]
  // docs ascending; pos holds, for each doc, freq position varints (empty for the _id field).
  Status AddTerm(int field, std::string_view term, const uint32_t* docs, const uint32_t* freqs, size_t n,
                 std::string_view pos);
  // Stored fields and doc values of the next document.
  Status AddDocument(const Document& doc, const std::string& lang);
  Status Finish(SegmentMeta* meta);

 private:
  Status FlushStoreBlock();
  Status FinishTermBlock();
  Directory* dir_;
  std::string name_;
  int ntext_;
  std::unique_ptr<FormatWriter> tim_, doc_, pos_, sto_;
  std::vector<std::vector<uint8_t>> norms_;
  // term dictionary state
  int cur_field_ = -1;
  struct BlockRef {
    std::string first;
    uint64_t offset;
    uint32_t nterms;
  };
  std::vector<std::vector<BlockRef>> tindex_;
  std::string tblock_, last_term_;
  uint32_t tblock_n_ = 0;
  uint64_t last_doc_off_ = 0, last_pos_off_ = 0;
  // store state
  std::string sto_raw_;
  uint32_t sto_first_doc_ = 0, ndocs_ = 0;
  std::string sto_index_;
  uint32_t sto_nblocks_ = 0;
  // doc values
  std::vector<std::string> dicts_[3];
  std::vector<std::unordered_map<std::string, uint32_t>> dict_maps_;
  std::string dv_rows_;
  std::string scratch_;
};

// The immutable mapped files of a segment, shared by every reader generation of it.
struct SegmentCore {
  std::string name;
  uint32_t max_doc = 0;
  int ntext = 0;
  std::unique_ptr<MappedFile> tim, doc, pos, nrm, dv, sto;
  std::string_view tim_body, doc_body, pos_body, nrm_body, sto_body;
  struct BlockRef {
    std::string_view first;
    uint64_t offset;
    uint32_t nterms;
  };
  std::vector<std::vector<BlockRef>> tindex;  // per field (text fields + _id)
  std::vector<std::string_view> dicts[3];
  const uint8_t* dv_rows = nullptr;
  struct StoBlock {
    uint32_t first_doc;
    uint64_t offset, clen, rlen;
  };
  std::vector<StoBlock> sto_blocks;
  std::unique_ptr<OffsetsFile> off;  // token offsets of the body (<seg>.off); null when absent

  static Result<std::shared_ptr<SegmentCore>> Open(const Directory& dir, const SegmentMeta& meta, int ntext);
  Status VerifyAll() const;
};

class SegmentData {
 public:
  SegmentMeta meta;
  Schema schema;
  std::shared_ptr<const SegmentCore> core;
  std::shared_ptr<const std::vector<uint64_t>> deleted;  // bitmap; null when none
  bool IsDeleted(uint32_t d) const { return deleted && ((*deleted)[d >> 6] >> (d & 63)) & 1; }
};

// Encodes a deletion bitmap file body / decodes one.
std::string EncodeDeletions(const std::vector<uint64_t>& bits);
Result<std::vector<uint64_t>> LoadDeletions(const Directory& dir, const std::string& name, uint32_t max_doc);
std::string DeletionFileName(const std::string& seg, uint64_t gen);

}  // namespace rasai
