// Internal: the opened files of one segment (SegmentCore: mapped, checked, shared by every
// reader generation of the segment) and a reader generation's data (SegmentData: the core and
// the deletions of one commit). SegmentReader (rasai/index.h) reads through them.
//
// Thread-safety: immutable after Open, but for the term lists built on first use under their
// mutexes.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "index/format.h"
#include "index/offsets.h"
#include "index/store.h"
#include "rasai/index.h"
#include "rasai/term_lists.h"
#include "util/file.h"

namespace rasai {

// The immutable mapped files of a segment, shared by every reader generation of it.
struct SegmentCore {
  std::string name;
  uint32_t max_doc = 0;
  int ntext = 0;
  std::unique_ptr<MappedFile> tim, doc, pos, nrm, dv, sth, stt;
  std::string_view tim_body, doc_body, pos_body, nrm_body;
  struct BlockRef {
    std::string_view first;
    uint64_t offset;
    uint32_t nterms;
    uint64_t key;  // the first 8 bytes of `first`, big-endian, zero-padded (TermKey)
  };
  std::vector<std::vector<BlockRef>> tindex;  // per field (text fields + _id)
  std::vector<std::string_view> dicts[3];
  const uint8_t* dv_rows = nullptr;
  uint32_t dv_row_size = 36;  // 24 in a "DV01" file (no time of day), 28 in "DV02" (no SimHash)
  StoreReader heads, texts;  // .sth, .stt
  std::unique_ptr<OffsetsFile> off;  // token offsets of the body (<seg>.off); null when absent
  // Built on first use by SegmentReader::TermLengths, per text field.
  mutable std::mutex lengths_mu;
  mutable std::vector<std::unique_ptr<TermsByLength>> lengths;
  // Built on first use by SegmentReader::Frequent, per text field.
  mutable std::mutex frequent_mu;
  mutable std::vector<std::unique_ptr<FrequentTerms>> frequent;

  static Result<std::shared_ptr<SegmentCore>> Open(const Directory& dir, const SegmentMeta& meta, int ntext);
  Status VerifyAll() const;
  // Gives back the mapped pages the process holds of every file (MappedFile::ReleasePages): what
  // a merge calls on its sources as it goes, so that reading them does not keep them in RSS.
  void ReleasePages() const;
};

class SegmentData {
 public:
  SegmentMeta meta;
  Schema schema;
  std::shared_ptr<const SegmentCore> core;
  std::shared_ptr<const std::vector<uint64_t>> deleted;  // bitmap; null when none
  bool IsDeleted(uint32_t d) const { return deleted && ((*deleted)[d >> 6] >> (d & 63)) & 1; }
};

// upper_bound's "t < block's first term" over a field's block index, on the 8-byte keys first
// (no read of the mapped terms unless the keys are equal).
inline auto BlockAfter(uint64_t key) {
  return [key](std::string_view t, const SegmentCore::BlockRef& b) { return key != b.key ? key < b.key : t < b.first; };
}

}  // namespace rasai
