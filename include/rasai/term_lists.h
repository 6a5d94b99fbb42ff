// Views of a field's term dictionary that search builds on first use and keeps: the terms by
// length (typo-tolerant matching) and the most frequent terms (completion). SegmentReader::
// TermLengths and SegmentReader::Frequent (rasai/index.h) build them.
//
// Thread-safety: immutable once built; shared by any number of threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rasai {

// The terms of one text field grouped by length in code points and by how many of those lie
// outside ASCII, each with a 64-bit letter signature: what approximate (typo-tolerant) matching
// scans instead of decoding the whole prefix-compressed dictionary. A segment builds it from its
// dictionary on first use (one pass) and keeps it: 16 bytes per term plus the terms' bytes, only
// in a process that asks for it.
class TermsByLength {
 public:
  static constexpr uint32_t kMaxLength = 63;  // longer terms share the last bucket
  static constexpr uint32_t kMaxWide = 4;     // terms with more wide letters share the last one
  struct Entry {
    uint64_t signature;  // Signature() of the term
    uint32_t offset;     // into the text; the term ends where the next entry of its bucket starts
    uint32_t df;
  };
  // Which letters a word contains, hashed into 64 bits. One edit changes at most two bits (a
  // substitution drops one letter and adds another; a swap changes none), so two words within
  // k edits differ in at most 2k bits.
  static uint64_t Signature(std::u32string_view word);
  // How many code points of the word lie outside ASCII. One edit changes it by at most one, so
  // two words within k edits have counts within k of each other: a Latin word is never scanned
  // against the Urdu terms, nor an Urdu word against the Latin ones.
  static uint32_t Wide(std::u32string_view word);
  // The entries of terms of `length` code points (min(length, kMaxLength)) of which `wide` lie
  // outside ASCII (min(Wide(), kMaxWide)), in term order; one array (&entry(length, wide, i) ==
  // &entry(length, wide, 0) + i).
  size_t size(uint32_t length, uint32_t wide) const;
  const Entry& entry(uint32_t length, uint32_t wide, size_t i) const;
  std::string_view term(uint32_t length, uint32_t wide, size_t i) const;

 private:
  friend class SegmentReader;
  static size_t Bucket(uint32_t length, uint32_t wide) {
    return static_cast<size_t>(std::min(length, kMaxLength)) * (kMaxWide + 1) + std::min(wide, kMaxWide);
  }
  static constexpr size_t kBuckets = (kMaxLength + 1) * (kMaxWide + 1);
  std::vector<Entry> entries_;   // bucket by bucket, each followed by a sentinel entry
  std::vector<uint32_t> begin_;  // per bucket, its first entry; begin_[kBuckets] = end
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

}  // namespace rasai
