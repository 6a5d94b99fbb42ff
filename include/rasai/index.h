// The index: a folder of immutable segments plus an atomically published manifest.
//
//   Index::Open(dir)  ->  Add / Delete / Commit   (one writer at a time, internally locked)
//                     ->  snapshot()              (any thread; a consistent, immutable view)
//
// A Snapshot is a list of SegmentReaders, each reading its files through mmap. Segments are
// never modified; deletes live in a per-segment deletion bitmap published with the manifest.
// Documents are addressed inside a segment by a local doc number 0..max_doc()-1.
// Formats: docs/format/*.md.
//
// Thread-safety: Index methods are thread-safe. Snapshot and SegmentReader are immutable and
// may be shared by any number of threads. PostingsCursor and TermIterator are single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/document.h"
#include "rasai/status.h"

namespace rasai {

// What of a text field is analyzed and indexed: its first 8 MiB (about 1.4 million Urdu words),
// cut on a word (see Index::Add). Analysis holds about 100 bytes per word, so one huge document
// cannot exhaust a 1 GB machine; the whole text is stored and returned.
constexpr size_t kIndexedFieldBytes = 8 << 20;

class SegmentData;  // private: the mmapped files of one segment

// Text fields an index knows, in field-id order. Fixed when the index is created.
struct Schema {
  std::vector<std::string> fields = {"title", "summary", "body"};

  int FieldId(std::string_view name) const;  // -1 if not indexed
};

// The fields of `schema` that `doc` holds with more than kIndexedFieldBytes bytes: each is
// stored whole and searchable only in its first kIndexedFieldBytes (Index::Add). What `rasai
// index` and POST /api/docs report, so that an operator knows the end of a document is not found.
std::vector<std::string> FieldsIndexedInPart(const Document& doc, const Schema& schema);
// What is said of such a field: "body longer than 8 MiB: stored whole, searchable in its first 8 MiB".
std::string IndexedInPartNote(std::string_view field);

struct IndexOptions {
  Schema schema;                   // used only when creating a new index
  size_t ram_buffer_bytes = 96u << 20;  // flush a segment when the buffer holds this much
  bool merge_on_commit = true;     // run the merge policy after each commit
  // Run those merges on a background thread, so that Commit returns as soon as the change is
  // durable (a server taking new articles while it serves). Off: Commit merges before returning.
  bool background_merge = false;
  // Threads a writer uses to build a segment: with 2, documents are analyzed on a second thread
  // while the caller's thread inverts them, and stored documents are compressed while the
  // postings are written. 0 = 2 when the machine has 2 or more cores, else 1. The files written
  // are the same whatever the count.
  int index_threads = 0;
};

// Where a term's postings are in a segment.
struct TermInfo {
  uint32_t df = 0;           // documents containing the term (deleted ones included)
  uint64_t total_tf = 0;     // occurrences
  uint64_t doc_offset = 0;   // into the postings file
  uint64_t pos_offset = 0;   // into the positions file
};

// Iterates the postings of one term in one field of one segment, in increasing doc order,
// block by block (128 docs per block), with the block-max data needed by top-k pruning.
// A new cursor is positioned at its first doc (kEnd when the list is empty).
class PostingsCursor {
 public:
  static constexpr uint32_t kEnd = 0xffffffffu;
  PostingsCursor() = default;
  uint32_t doc() const { return doc_; }
  uint32_t df() const { return df_; }
  // Moves to the next doc; returns it (kEnd when exhausted).
  uint32_t Next();
  // Moves to the first doc >= target (never backwards); returns it.
  uint32_t Advance(uint32_t target);
  // Term frequency in the current doc. REQUIRES: doc() != kEnd.
  uint32_t freq() const { return freqs_[idx_]; }
  // Positions of the term in the current doc, ascending. REQUIRES: doc() != kEnd.
  void Positions(std::vector<uint32_t>* out);
  // The first of those positions (kEnd when a damaged file holds none), without decoding the rest.
  uint32_t FirstPosition();
  // Block-max data. Moves the block window (not the doc) to the block containing the first
  // doc >= target; returns the last doc of that block (kEnd if none).
  uint32_t ShallowAdvance(uint32_t target);
  // For the block window: the largest freq and the smallest field length (decoded norm) of any
  // doc in it. Together they bound the BM25 score of every doc of the block.
  uint32_t BlockMaxFreq() const;
  uint32_t BlockMinLength() const;
  // The same over the whole postings list.
  uint32_t MaxFreq() const { return max_freq_; }
  uint32_t MinLength() const { return min_len_; }
  // The encoded positions of the current doc (docs/format: freq varints); for merging.
  std::string_view RawPositions();

 private:
  friend class SegmentReader;
  void LoadBlock(uint32_t b);
  void Exhaust();  // a damaged list: no more docs
  const SegmentData* seg_ = nullptr;
  const uint8_t* skip_ = nullptr;   // block table
  const uint8_t* data_ = nullptr;   // block bodies
  const uint8_t* data_end_ = nullptr;  // end of the postings file's body
  const uint8_t* pos_base_ = nullptr;
  uint32_t df_ = 0, nblocks_ = 0, block_ = 0xffffffffu, shallow_ = 0, idx_ = 0, n_in_block_ = 0;
  uint32_t doc_ = kEnd, max_freq_ = 0, min_len_ = 0, last_doc_ = 0;
  uint64_t block_pos_offset_ = 0;
  uint32_t docs_[128];
  uint32_t freqs_[128];
  const uint8_t* pos_end_ = nullptr;     // end of the positions file's body
  // Where the positions of doc pos_doc_ of block pos_block_ start (bytes after the block's
  // first): the cursor only moves forward, so each block's positions are skipped over once.
  uint32_t pos_block_ = 0xffffffffu, pos_doc_ = 0, pos_at_ = 0;
};

// Iterates the terms of one field of one segment in byte order.
class TermIterator {
 public:
  TermIterator() = default;
  bool Valid() const { return valid_; }
  std::string_view term() const { return term_; }
  const TermInfo& info() const { return info_; }
  void Next();
  // Positions at the first term >= target.
  void Seek(std::string_view target);

 private:
  friend class SegmentReader;
  void LoadBlock(uint32_t b);
  bool DecodeNext();
  const SegmentData* seg_ = nullptr;
  int field_ = 0;
  uint32_t block_ = 0, nblocks_ = 0, remaining_in_block_ = 0;
  const uint8_t* p_ = nullptr;
  const uint8_t* block_end_ = nullptr;
  std::string term_;
  TermInfo info_;
  bool valid_ = false;
};

// Per-document values for filters, facets, sorting and duplicate collapsing.
struct DocValues {
  uint32_t lang = 0, source = 0, category = 0;  // ordinals into the segment's dictionaries
  int32_t date = 0;                             // yyyymmdd, 0 when unknown
  int32_t time = -1;                            // seconds after midnight (hh:mm[:ss] of the date
                                                // as written), -1 when the date has no time
  uint64_t content_hash = 0;                    // same article text => same hash (an article's
                                                // body alone; a short body with its title)
  uint64_t simhash = 0;                         // SimHash of an article's body (edited copies are
                                                // a few bits apart); 0: a short body, or none kept
};
enum class DocValueField { kLang = 0, kSource = 1, kCategory = 2 };

// Byte span [begin, end) of one word position in a document's stored text.
struct TokenSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct FieldStats {
  uint64_t docs_with_field = 0;  // docs (deleted included) with at least one token in the field
  uint64_t total_length = 0;     // sum of their lengths in tokens
};

// The terms of one text field grouped by length in code points, each with a 64-bit letter
// signature: what approximate (typo-tolerant) matching scans instead of decoding the whole
// prefix-compressed dictionary. A segment builds it from its dictionary on first use (one pass)
// and keeps it: 16 bytes per term plus the terms' bytes, only in a process that asks for it.
class TermsByLength {
 public:
  static constexpr uint32_t kMaxLength = 63;  // longer terms share the last bucket
  struct Entry {
    uint64_t signature;  // Signature() of the term
    uint32_t offset;     // into the text; the term ends where the next entry of its bucket starts
    uint32_t df;
  };
  // Which letters a word contains, hashed into 64 bits. One edit changes at most two bits (a
  // substitution drops one letter and adds another; a swap changes none), so two words within
  // k edits differ in at most 2k bits.
  static uint64_t Signature(std::u32string_view word);
  // The entries of terms of `length` code points (min(length, kMaxLength)), in term order.
  size_t size(uint32_t length) const;
  const Entry& entry(uint32_t length, size_t i) const;
  std::string_view term(uint32_t length, size_t i) const;

 private:
  friend class SegmentReader;
  std::vector<Entry> entries_;       // bucket by bucket, each followed by a sentinel entry
  std::vector<uint32_t> begin_;      // per length, the first entry; begin_[kMaxLength + 1] = end
  std::string text_;
};

// A text field's most common terms (at most kMax, by document frequency), in term order, each
// with its document frequency: what completing a short prefix reads, since the terms starting
// with one letter run to thousands in dictionary order, most of them rare. A segment builds it
// from its dictionary on first use (one pass) and keeps it: about 12 bytes per term plus the
// terms' bytes, only in a process that asks for it. Ties at the cut keep the smaller terms.
class FrequentTerms {
 public:
  static constexpr size_t kMax = 8192;
  size_t size() const { return dfs_.size(); }
  std::string_view term(size_t i) const {
    return std::string_view(text_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  uint32_t df(size_t i) const { return dfs_[i]; }
  // The entries [first, second) whose term starts with `prefix`.
  std::pair<size_t, size_t> Range(std::string_view prefix) const;

 private:
  friend class SegmentReader;
  std::vector<uint32_t> offsets_;  // into text_; size() + 1 of them
  std::vector<uint32_t> dfs_;
  std::string text_;
};

class SegmentReader {
 public:
  ~SegmentReader();
  const std::string& name() const;
  uint32_t max_doc() const;      // local doc numbers are 0..max_doc()-1
  uint32_t live_docs() const;    // max_doc() minus deleted
  bool IsDeleted(uint32_t doc) const;
  const Schema& schema() const;
  FieldStats field_stats(int field) const;
  // Length in tokens of `field` in `doc` (quantized: exact up to 127, then within ~6%).
  uint32_t FieldLength(int field, uint32_t doc) const;
  // The same length as its one-byte code; FieldLengthOfCode(code) is the length FieldLength
  // returns for it. A scorer can then compute per code (256 values) instead of per document.
  uint8_t FieldLengthCode(int field, uint32_t doc) const;
  static uint32_t FieldLengthOfCode(uint8_t code);
  bool Lookup(int field, std::string_view term, TermInfo* info) const;
  PostingsCursor Postings(const TermInfo& info) const;
  TermIterator Terms(int field) const;  // positioned at the first term
  // The field's terms by length (built on the first call; thread-safe).
  const TermsByLength& TermLengths(int field) const;
  // The field's most common terms (built on the first call; thread-safe).
  const FrequentTerms& Frequent(int field) const;
  // The stored document (all fields, as added). Decompresses two small records (~2-3 us).
  Result<Document> Stored(uint32_t doc) const;
  // What a search hit shows: id, title, url, date, lang, source and category; body, summary
  // and extra fields are left empty. Decompresses one small record (~1 us).
  Result<Document> StoredHead(uint32_t doc) const;
  // The first min(bytes, body length) bytes of the stored body of `doc` into *out, and the
  // body's length in *size. Decompresses the text record only up to there when its frame was
  // written in blocks (docs/format: `.stt`), else whole. Corruption as Stored.
  Status BodyPrefix(uint32_t doc, size_t bytes, std::string* out, size_t* size) const;
  // Local doc number of a live document with this id, or -1.
  int64_t FindId(std::string_view id) const;
  DocValues Values(uint32_t doc) const;
  // Whether Values(...).simhash is kept (a segment written before it was reads 0 for every
  // document; then 0 does not mean a short body).
  bool KeepsSimHashes() const;
  // A hint: starts moving the values of `doc` into the CPU cache (a search scores a document,
  // then reads its values when it enters the top k). No effect on results.
  void PrefetchValues(uint32_t doc) const;
  // The string of an ordinal (ordinal 0 is ""); "" when out of range.
  std::string_view ValueName(DocValueField field, uint32_t ord) const;
  uint32_t ValueCount(DocValueField field) const;
  // The text field whose token offsets the segment stores (the body), or -1 when it has none.
  int OffsetsField() const;
  // Byte spans in the stored text of OffsetsField() of word positions [from, to) of `doc` (fewer
  // when the field has fewer positions), and the field's position count in *npos. NotFound when
  // the segment stores no offsets; Corruption when they are damaged.
  Status TokenSpans(uint32_t doc, uint32_t from, uint32_t to, std::vector<TokenSpan>* out, uint32_t* npos) const;

 private:
  friend class IndexImpl;
  explicit SegmentReader(std::unique_ptr<SegmentData> data);
  Status ReadHead(uint32_t doc, Document* out) const;
  Status ReadText(uint32_t doc, Document* out) const;
  std::unique_ptr<SegmentData> data_;
};

// An immutable view of the index at one commit.
class Snapshot {
 public:
  const std::vector<std::shared_ptr<const SegmentReader>>& segments() const { return segments_; }
  const Schema& schema() const { return schema_; }
  uint64_t generation() const { return generation_; }
  uint64_t live_docs() const;
  // Collection-wide statistics of a field over all segments (deleted docs included, as in Lucene).
  FieldStats field_stats(int field) const;
  // Collection-wide document frequency of a term.
  uint64_t DocFreq(int field, std::string_view term) const;
  // The live document with this id.
  Result<Document> Get(std::string_view id) const;

 private:
  friend class IndexImpl;
  std::vector<std::shared_ptr<const SegmentReader>> segments_;
  Schema schema_;
  uint64_t generation_ = 0;
};

struct IndexStats {
  uint64_t live_docs = 0;
  uint64_t deleted_docs = 0;
  uint64_t segments = 0;
  uint64_t bytes_on_disk = 0;
  uint64_t generation = 0;
  std::vector<std::string> fields;
};

class Index {
 public:
  virtual ~Index() = default;
  // Opens the index in `dir`, creating it when missing (if create is true). Leftovers of an
  // interrupted commit are removed. Fails with Corruption if the manifest or a listed file is
  // damaged.
  static Result<std::unique_ptr<Index>> Open(const std::string& dir, const IndexOptions& options,
                                             bool create = true);
  // Opens an existing index read-only (no writes, no cleanup).
  static Result<std::unique_ptr<Index>> OpenReadOnly(const std::string& dir);

  // Buffers a document. A document with an existing id replaces it (at commit). Fails with
  // InvalidArgument for an empty id. Each text field is stored whole and indexed in its first
  // kIndexedFieldBytes bytes.
  virtual Status Add(const Document& doc) = 0;
  // Buffers the deletion of a document by id (no error if absent).
  virtual Status Delete(std::string_view id) = 0;
  // Makes every buffered change durable (files fsynced, manifest published atomically) and
  // visible to new snapshots. When it returns OK the changes survive a crash or power cut.
  virtual Status Commit() = 0;
  // Merges all segments into one (then commits). Waits for a background merge in progress.
  virtual Status ForceMerge() = 0;
  // Waits until no background merge is running or queued. Returns the error of the last failed
  // background merge, if any (a failed merge loses nothing: its sources stay in the index).
  virtual Status WaitForMerges() = 0;
  // The current committed view. Cheap; call per request.
  virtual std::shared_ptr<const Snapshot> snapshot() const = 0;
  virtual IndexStats stats() const = 0;
  // Verifies every checksum and structure; OK only when sound.
  virtual Status Check() const = 0;
};

}  // namespace rasai
