// Reading a term's postings and a field's terms: the cursors search drives over a segment
// (SegmentReader::Lookup, Postings and Terms in rasai/index.h give them out).
//
// Thread-safety: a PostingsCursor or TermIterator is used by one thread at a time; it reads the
// segment's immutable mapped files and stays valid while its SegmentReader lives.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rasai {

class SegmentData;  // private: the mmapped files of one segment

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
  uint32_t freq() const {
    if (!freqs_ready_) DecodeFreqs();
    return freqs_[idx_];
  }
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
  // Unpacks the block's freqs: a block is often passed over by its docs alone (a cursor moved
  // to a candidate that is not on it), so they are read on first use.
  void DecodeFreqs() const;
  const SegmentData* seg_ = nullptr;
  const uint8_t* skip_ = nullptr;   // block table
  const uint8_t* data_ = nullptr;   // block bodies
  const uint8_t* data_end_ = nullptr;  // end of the postings file's body
  const uint8_t* pos_base_ = nullptr;
  uint32_t df_ = 0, nblocks_ = 0, block_ = 0xffffffffu, shallow_ = 0, idx_ = 0, n_in_block_ = 0;
  uint32_t doc_ = kEnd, max_freq_ = 0, min_len_ = 0, last_doc_ = 0;
  uint64_t block_pos_offset_ = 0;
  uint32_t docs_[128];
  mutable uint32_t freqs_[128];
  const uint8_t* freq_data_ = nullptr;  // the block's packed freqs (checked to lie in the file)
  uint32_t freq_width_ = 0;
  mutable bool freqs_ready_ = true;     // freqs_ holds the block's freqs
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

}  // namespace rasai
