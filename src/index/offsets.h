// Internal: the token-offset store of a segment (`<seg>.off`, kind "OFF1"): for every document,
// the byte span in the stored text of one field (the body) of each word position, so that a
// snippet can cut and mark the stored text without running the analyzer again. Format:
// docs/format/README.md.
//
// Thread-safety: OffsetsFile is immutable after Open and may be shared by any number of threads.
// OffsetsWriter is single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/analysis.h"
#include "rasai/index.h"
#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

struct FileInfo;
class FormatWriter;

constexpr uint32_t kOffsetsBlock = 64;  // positions per block of a document record

// Encodes one document's record from its tokens (as Analyzer::Analyze gives them: positions
// from 0, several tokens may share a position; the first one's span is kept). A position with
// no token gets an empty span at the previous one's begin. Appends to *out.
void EncodeTokenSpans(const std::vector<Token>& tokens, std::string* out);

// Decodes the spans of positions [from, min(to, npos)) of a record into *out (cleared) and the
// record's position count into *npos. Corruption when the record is truncated or inconsistent.
Status DecodeTokenSpans(std::string_view record, uint32_t from, uint32_t to, std::vector<TokenSpan>* out,
                        uint32_t* npos);

// Writes `<seg>.off`: call Add once per document 0..max_doc-1 (an empty record = no offsets for
// that document), then Finish.
class OffsetsWriter {
 public:
  static Result<std::unique_ptr<OffsetsWriter>> Create(Directory* dir, const std::string& segment, int field);
  ~OffsetsWriter();
  Status Add(std::string_view record);
  Status Finish(FileInfo* info);

 private:
  OffsetsWriter() = default;
  std::unique_ptr<FormatWriter> w_;
  int field_ = 0;
  std::string table_;  // u64 record offsets
  uint32_t ndocs_ = 0;
};

// A mapped `<seg>.off`.
class OffsetsFile {
 public:
  // Checks header, footer and the record table against max_doc.
  static Result<std::unique_ptr<OffsetsFile>> Open(const Directory& dir, const std::string& name, uint32_t max_doc);
  int field() const { return field_; }
  uint32_t ndocs() const { return ndocs_; }
  // The record of `doc` (empty when none). Corruption when the table points outside the data.
  Status Record(uint32_t doc, std::string_view* record) const;
  Status VerifyCrc() const;
  void ReleasePages() const { file_->ReleasePages(); }

 private:
  std::unique_ptr<MappedFile> file_;
  std::string name_;
  std::string_view data_;           // the records
  const char* table_ = nullptr;     // ndocs_ + 1 u64 offsets into data_
  int field_ = 0;
  uint32_t ndocs_ = 0;
};

}  // namespace rasai
