// Internal: the write buffer — the indexing pipeline from Index::Add to a new segment. Added
// documents are gathered into batches, analyzed (AnalysisWorker) and inverted into one in-memory
// term table per field; Flush writes them as one segment (postings, stored documents, token
// offsets), the work spread over the writer's threads.
//
// Thread-safety: single-threaded (called under the writer's lock); it runs threads of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "index/analysis_worker.h"
#include "index/format.h"
#include "index/term_table.h"
#include "rasai/document.h"
#include "rasai/index.h"
#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

class SegmentBuilder;

class WriteBuffer {
 public:
  // `schema` outlives the buffer; `off_field`: the text field whose token offsets segments store
  // (-1: none); `threads`: 1, or 2 to analyze and compress on a second thread.
  WriteBuffer(const Schema* schema, int off_field, int threads);
  ~WriteBuffer();

  // Buffers a copy of `doc` as document *number (0, 1, ... since the last flush). A batch that
  // fills up is handed to analysis, and the one analyzed before is inverted. An analysis failure
  // leaves the buffer unusable (documents acknowledged by Add would be missing): error() keeps it.
  Status Add(const Document& doc, uint32_t* number);
  Status Add(Document&& doc, uint32_t* number);
  // The number of the last buffered document with this id, or -1.
  int64_t Find(std::string_view id) const;
  // The ids of the buffered documents, by number.
  const std::vector<std::string>& ids() const { return ids_; }
  // Marks buffered document `number` deleted (a later Add replaced it, or Delete).
  void MarkDeleted(uint32_t number) { deleted_.insert(number); }
  uint32_t ndocs() const { return ndocs_; }
  // The memory the buffer holds: its documents (from Add on, the batches in analysis included),
  // term tables, postings and token offsets, counted as allocated.
  size_t bytes() const;
  // True when the postings' address space is nearly used up (the buffer must be flushed).
  bool full() const { return pool_.near_full(); }
  const Status& error() const { return error_; }

  // Inverts every document added so far: the batch in analysis, then the one being filled.
  Status Drain();
  // Writes the buffered documents (REQUIRES: Drain() returned OK and ndocs() > 0) as segment
  // `name`: its metadata into *meta and its deletion bits (documents marked deleted) into
  // *deleted. Empties the buffer.
  Status Flush(Directory* dir, const std::string& name, SegmentMeta* meta, std::vector<uint64_t>* deleted);

 private:
  static constexpr uint32_t kNoDoc = 0xffffffffu;
  // Adds an analyzed batch to the buffer's postings.
  Status Invert(AddBatch* b);
  // Writes the entry of pb->last_doc to its docs stream.
  void WriteLastDoc(PostingBuf* pb);
  // The postings of the buffer, field by field in term order, then the _id field.
  Status WritePostings(SegmentBuilder* sb);
  void Reset();
  // Makes `number` the document Find(ids_[number]) gives.
  void IndexId(uint32_t number);

  const Schema* schema_;
  const int ntext_;
  const int off_field_;
  const int threads_;
  std::vector<TermTable> terms_;
  SlicePool pool_;  // the postings of terms_
  std::vector<std::vector<uint8_t>> norms_;
  std::deque<Document> docs_;
  std::vector<std::string> ids_, langs_;
  // Find's table: open addressing over HashBytes(id), slots holding a number + 1 (0: empty).
  std::vector<uint32_t> id_slots_;
  size_t id_count_ = 0;
  // Token-offset records of the buffered docs, back to back, and where each ends (off_field_ >= 0).
  std::string off_data_;
  std::vector<uint64_t> off_ends_;
  std::unordered_set<uint32_t> deleted_;
  uint32_t ndocs_ = 0;
  size_t bytes_ = 0;  // documents, ids and languages
  Status error_;
  // Documents added but not yet in the buffer's postings: the batch being filled, and the one
  // the analysis thread holds (analysis_ stays last among the members the thread reads).
  std::unique_ptr<AddBatch> adding_;
  std::unique_ptr<AnalysisWorker> analysis_;
};

}  // namespace rasai
