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
// The cursors over a segment's postings and terms are in rasai/postings.h, the term lists that
// typo-tolerant matching and completion read in rasai/term_lists.h.
//
// Thread-safety: Index methods are thread-safe. Snapshot and SegmentReader are immutable and
// may be shared by any number of threads.
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

// What of a field's text is analyzed and indexed: its first kIndexedFieldBytes bytes, cut after
// the last whitespace there (or, with none in its last KiB, before a character). The whole text
// is stored.
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

class Directory;    // util/file.h
class SegmentData;  // private: the mmapped files of one segment
struct TermInfo;
class PostingsCursor;   // rasai/postings.h
class TermIterator;     // rasai/postings.h
class TermsByLength;    // rasai/term_lists.h
class FrequentTerms;    // rasai/term_lists.h

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
  size_t ram_buffer_bytes = 128u << 20;  // flush a segment when the buffer holds this much
  bool merge_on_commit = true;     // run the merge policy after each commit
  // Run those merges on a background thread, so that Commit returns as soon as the change is
  // durable (a server taking new articles while it serves). Off: Commit merges before returning.
  bool background_merge = false;
  // Threads a writer uses to build a segment: with 2, documents are analyzed on a second thread
  // while the caller's thread inverts them, and stored documents are compressed while the
  // postings are written. 0 = 2 when the machine has 2 or more cores, else 1. The files written
  // are the same whatever the count.
  int index_threads = 0;
  // Bytes (on disk) that one automatic merge reads at most; ForceMerge has no bound. Automatic
  // merges take the smallest segments first, so that a merge cut short by a crash or a kill (it
  // starts again from nothing) costs little, and the segment count comes down in steps that
  // finish. A segment over half of it stays as it is.
  uint64_t max_merge_bytes = 256ull << 20;
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

class SegmentReader {
 public:
  // Built by the index over a segment's opened files (SegmentData is private to the index).
  explicit SegmentReader(std::unique_ptr<SegmentData> data);
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
  // Where the postings of `term` are (rasai/postings.h); false when the field lacks it.
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

  // The segment's private data (for the index's own code).
  const SegmentData& data() const { return *data_; }

 private:
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
  // Whether a live document has this id (Get without reading the document).
  bool Contains(std::string_view id) const;

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
  // The same over any Directory (util/file.h: the seam through which the index does all its
  // file operations; tests pass one in memory, or one that injects faults).
  static Result<std::unique_ptr<Index>> Open(std::unique_ptr<Directory> dir, const IndexOptions& options,
                                             bool create = true);
  // Opens an existing index read-only (no writes, no cleanup).
  static Result<std::unique_ptr<Index>> OpenReadOnly(const std::string& dir);

  // Buffers a document. A document with an existing id replaces it (at commit). Fails with
  // InvalidArgument for an empty id. Each text field is stored whole and indexed in its first
  // kIndexedFieldBytes bytes.
  virtual Status Add(const Document& doc) = 0;
  // The same, taking the document's storage instead of copying it.
  virtual Status Add(Document&& doc) = 0;
  // The same; *replaced_uncommitted (when not null) tells whether a document with this id had
  // been added since the last commit (and is replaced now). Whether it replaces a committed one
  // is known at the commit.
  virtual Status Add(Document&& doc, bool* replaced_uncommitted) = 0;
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
