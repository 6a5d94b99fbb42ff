// Internal: one segment's files — the builder that writes them and the mapped data that reads
// them. Format: docs/format/README.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
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
constexpr uint32_t kFormatVersion = 2;  // of every file and of the manifest
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
int32_t ParseDateKey(std::string_view iso);  // yyyymmdd or 0
int32_t ParseTimeOfDay(std::string_view iso);  // seconds after midnight of "yyyy-mm-ddThh:mm[:ss]", or -1
// What duplicate collapsing compares: the body alone (leading and trailing whitespace aside) when
// it has at least kArticleWords words, else the title and the body.
constexpr size_t kArticleWords = 50;
uint64_t ContentHash(const Document& doc);
// What finding edited copies compares first: a 64-bit SimHash (Charikar) of the body's word
// 5-grams, over its first kArticleBytes bytes; 0 for a body of fewer than kArticleWords words.
// Bodies whose 5-gram sets resemble (|A and B| / |A or B|) at 0.8 or more were at most 14 bits
// apart on urdu-news, unrelated ones 32 on average (docs/format/README.md has the definition,
// docs/analysis.md section 11 the figures).
constexpr size_t kArticleBytes = 32 << 10;
uint64_t ArticleSimHash(std::string_view body);
// Calls fn(word) for the words of an article body as the SimHash and the 5-gram comparison of
// search (SameArticle) see them: runs of bytes above the space in its first kArticleBytes bytes,
// less a word cut by that limit.
template <typename Fn>
void ForEachArticleWord(std::string_view body, Fn&& fn) {
  const bool cut = body.size() > kArticleBytes;
  if (cut) body = body.substr(0, kArticleBytes);
  for (size_t i = 0; i < body.size();) {
    while (i < body.size() && static_cast<unsigned char>(body[i]) <= ' ') ++i;
    size_t j = i;
    while (j < body.size() && static_cast<unsigned char>(body[j]) > ' ') ++j;
    if (j > i && !(cut && j == body.size())) fn(body.substr(i, j - i));
    i = j;
  }
}

// What of a field's text is analyzed and indexed: its first kIndexedFieldBytes bytes (rasai/
// index.h), cut after the last whitespace there (or, with none in its last KiB, before a
// character). The whole text is stored. Analysis holds about 100 bytes per word: a 59 MB body took
// 1.07 GB to index, more than a 1 GB box has; 8 MiB (1.4 million Urdu words) stay near 150 MB.
inline std::string_view IndexedText(std::string_view text) {
  if (text.size() <= kIndexedFieldBytes) return text;
  size_t cut = kIndexedFieldBytes;
  while (cut > kIndexedFieldBytes - 1024 && static_cast<unsigned char>(text[cut - 1]) > ' ') --cut;
  if (static_cast<unsigned char>(text[cut - 1]) > ' ') {  // no whitespace near the limit
    cut = kIndexedFieldBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut);
}

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

// Builds the files of one new segment. Call order: SetNorms; AddTerm for fields in increasing
// id and terms in byte order; AddDocument for docs 0..max_doc-1 (any time); Finish.
// After SetStoreDictionaries, AddTerm and the stored documents (AddHead, AddText, StoreBatch)
// touch disjoint state and files: the terms may be added while other threads add the documents.
class SegmentBuilder {
 public:
  SegmentBuilder(Directory* dir, std::string name, int ntext_fields);
  ~SegmentBuilder();
  Status Open();
  const std::string& name() const { return name_; }
  void SetNorms(std::vector<std::vector<uint8_t>> norms);  // [field][doc]
  // docs ascending; pos holds, for each doc, freq position varints (empty for the _id field).
  Status AddTerm(int field, std::string_view term, const uint32_t* docs, const uint32_t* freqs, size_t n,
                 std::string_view pos);
  // The dictionaries of the two stored-record files (see MakeStoreDictionary); empty = none.
  // Call before the first AddDocument; without it, no dictionaries.
  Status SetStoreDictionaries(std::string head, std::string text);
  // Stored fields and doc values of the next document: AddHead then AddText.
  Status AddDocument(const Document& doc, const std::string& lang);
  // The head record and doc values of the next document.
  Status AddHead(const Document& doc, const std::string& lang);
  // The text record of the next document (call it once per AddHead, in the same order).
  Status AddText(const Document& doc);
  // The stored records (head and text) and doc values of documents 0..n-1 (doc(i) is document i,
  // lang(i) its language), compressed by every thread that calls Work (any number at once, each
  // until it returns), then written in order by Finish. Equivalent to AddDocument for each
  // document in turn; the bytes written are the same.
  class StoreBatch {
   public:
    StoreBatch(SegmentBuilder* sb, size_t n, std::function<const Document&(size_t)> doc,
               std::function<const std::string&(size_t)> lang);
    ~StoreBatch();
    void Work();
    Status Finish();  // after every Work returned

   private:
    struct Chunk {
      std::string frames;
      std::vector<uint32_t> lens;
      std::vector<uint64_t> raw;     // record sizes
      std::vector<std::pair<uint64_t, uint64_t>> hashes;  // ContentHash, ArticleSimHash of each doc (head chunks)
      Status status;
    };
    static constexpr size_t kChunkDocs = 64;
    SegmentBuilder* sb_;
    size_t n_, nchunks_;  // chunks per store: heads are chunks [0, nchunks_), texts the rest
    std::function<const Document&(size_t)> doc_;
    std::function<const std::string&(size_t)> lang_;
    std::vector<Chunk> chunks_;
    std::atomic<size_t> next_{0};
  };
  Status Finish(SegmentMeta* meta);

 private:
  Status FinishTermBlock();
  void AddDocValues(const Document& doc, const std::string& lang, uint64_t content_hash, uint64_t simhash);
  Directory* dir_;
  std::string name_;
  int ntext_;
  std::unique_ptr<FormatWriter> tim_, doc_, pos_;
  StoreWriter sth_, stt_;
  bool store_started_ = false;
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
  uint32_t ndocs_ = 0;
  // doc values
  std::vector<std::string> dicts_[3];
  std::vector<std::unordered_map<std::string, uint32_t>> dict_maps_;
  std::string dv_rows_;
  std::string scratch_, text_scratch_;
  std::string skip_buf_, data_buf_, head_buf_;  // AddTerm's buffers, reused
};

// The first 8 bytes of a term as a number that orders like the bytes (zero-padded): two terms
// whose keys differ compare as their keys do, without reading the terms.
inline uint64_t TermKey(std::string_view t) {
  uint64_t k = 0;
  for (size_t i = 0; i < 8; ++i) k = k << 8 | (i < t.size() ? static_cast<uint8_t>(t[i]) : 0);
  return k;
}

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
