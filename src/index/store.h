// Internal: a segment's stored documents — the two records of each document (head: what a hit
// shows; text: body, summary, extra fields), each a zstd frame against the file's dictionary
// (`.sth`, `.stt`). Format: docs/format/README.md.
//
// Thread-safety: StoreWriter is single-threaded except Compress (see there); StoreReader is
// immutable after Open and may be shared by any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/format.h"
#include "rasai/document.h"
#include "rasai/status.h"

namespace rasai {

// The largest record a reader decompresses (a damaged length cannot make it allocate more).
constexpr uint64_t kMaxStoredRecord = 1u << 30;

// The two stored records of a document (docs/format: .sth and .stt).
void SerializeHead(const Document& doc, std::string* out);  // appends
void SerializeText(const Document& doc, std::string* out);  // appends
bool DeserializeHead(std::string_view data, Document* doc);  // id, title, url, date, lang, source, category
bool DeserializeText(std::string_view data, Document* doc);  // body, summary, extra
// Bytes of both records, without building them.
size_t StoredSize(const Document& doc);

// The raw-content zstd dictionary of a stored-record file: records of documents 0..n-1 picked
// evenly (van der Corput order) until max_bytes. `record(i, out)` appends record i to *out.
constexpr size_t kStoreDictBytes = 64 << 10;
template <typename RecordFn>
std::string MakeStoreDictionary(size_t n, RecordFn record, size_t max_bytes = kStoreDictBytes);

// Writes one stored-record file (.sth or .stt): a zstd frame per document against a dictionary.
class StoreWriter {
 public:
  StoreWriter();
  ~StoreWriter();
  // `dict` may be empty (no dictionary). Call once, before Add. `lead_blocks`: end the zstd
  // blocks of each frame at record bytes 256, 512, ..., 8192 and then every 8192 bytes, so that
  // the start of a record can be decompressed alone (StoreReader::ReadPrefix).
  Status Start(std::unique_ptr<FormatWriter> file, std::string dict, bool lead_blocks = false);
  Status Add(std::string_view record);
  // Appends the frame of `record` (as Add would write it) to *out; *len = its size. Thread-safe
  // after Start: `*cctx` is the calling thread's context (null at first, FreeContext after); one
  // context may serve several stores (each frame sets its store's dictionary).
  Status Compress(std::string_view record, void** cctx, std::string* out, uint32_t* len) const;
  static void FreeContext(void* cctx);
  // Writes a record that Compress made (raw_size: the record's size).
  Status AddFrame(std::string_view frame, size_t raw_size);
  Status Finish(FileInfo* info);
  size_t count() const { return lens_.size(); }  // records added

 private:
  std::unique_ptr<FormatWriter> file_;
  std::string dict_;
  void* cctx_ = nullptr;  // ZSTD_CCtx
  void* cdict_ = nullptr; // ZSTD_CDict
  bool lead_blocks_ = false;
  std::vector<uint32_t> lens_;
  std::vector<uint64_t> groups_;
  uint64_t frames_len_ = 0, max_record_ = 0;
  std::string scratch_;
};

// Reads one stored-record file through its mapping.
class StoreReader {
 public:
  StoreReader() = default;
  ~StoreReader();
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;
  // Checks the layout (cheap) against the segment's doc count.
  Status Open(std::string_view body, uint32_t max_doc, const std::string& name);
  // Decompresses the record of `doc` into *out (replacing its content). Uses one zstd
  // decompression context per thread.
  Status Read(uint32_t doc, std::string* out) const;
  // At least the first min(bytes, record length) bytes of the record of `doc` into *out (more
  // when they are at hand), decompressing the frame's blocks only up to there; *size: the
  // record's length. Same checks and errors as Read.
  Status ReadPrefix(uint32_t doc, size_t bytes, std::string* out, size_t* size) const;
  // Full structural check: frame lengths add up to the frames' size.
  Status Verify() const;

 private:
  std::string name_;
  const uint8_t* frames_ = nullptr;
  const uint8_t* lens_ = nullptr;
  const uint8_t* groups_ = nullptr;
  uint64_t frames_len_ = 0, max_record_ = 0;
  uint32_t max_doc_ = 0;
  void* ddict_ = nullptr;  // ZSTD_DDict, null when the file has no dictionary
  // The frame of `doc` (checked to lie within `frames`) and its declared record length.
  Status Frame(uint32_t doc, const uint8_t** src, uint32_t* len, uint64_t* raw) const;
  // The whole record of a frame Frame() found, into *out.
  Status Decompress(const uint8_t* src, uint32_t len, uint64_t raw, std::string* out) const;
};

template <typename RecordFn>
std::string MakeStoreDictionary(size_t n, RecordFn record, size_t max_bytes) {
  std::string dict = "RSAIDICT";  // never the magic of a trained zstd dictionary
  if (n == 0) return std::string();
  // Positions floor(n * v(k)), k = 0..n-1, v the base-2 van der Corput sequence: every prefix
  // of the sequence is spread evenly over the documents.
  for (uint64_t k = 0; k < n && dict.size() < max_bytes; ++k) {
    uint64_t r = 0;
    for (uint64_t x = k, bit = 1ull << 63; x; x >>= 1, bit >>= 1)
      if (x & 1) r |= bit;
    record(static_cast<size_t>((static_cast<unsigned __int128>(r) * n) >> 64), &dict);
  }
  if (dict.size() > max_bytes) dict.resize(max_bytes);
  return dict;
}

}  // namespace rasai
