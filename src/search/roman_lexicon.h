// Internal: the Urdu vocabulary of an index read as Roman Urdu. A RomanLexicon holds the Urdu
// terms of a segment, or of a whole snapshot, by key (roman_urdu.h); RomanCandidates ranks the
// terms that a Roman word may stand for («hukumat» → حکومت, «taxi» → ٹیکسی) by how well the word
// spells them (Aligner::Cost) and how common they are in the collection. Nothing comes from
// outside the index: a collection's own words are the candidates, its own frequencies (summed
// over the segments) the ranking, so that the answers do not depend on how the collection is
// split into segments.
//
// Thread-safety: a RomanLexicon is immutable; RomanLexicon::Of, RomanCandidates and
// RomanCompletions may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"

namespace rasai {

class RomanLexicon {
 public:
  // The lexicon of the Urdu terms (every text field, document frequencies summed over fields).
  static std::shared_ptr<const RomanLexicon> Build(const SegmentReader& seg);
  // The segment's lexicon, built on the first call for it (one pass over its term dictionaries,
  // about 24 bytes a term plus its bytes, and up to 128 KB of key buckets) and kept while the
  // segment lives: the cache holds it by the segment's identity, and drops it on a later call
  // once the segment is gone.
  static std::shared_ptr<const RomanLexicon> Of(const std::shared_ptr<const SegmentReader>& seg);
  // The lexicon of several: each term once, its document frequencies summed.
  static std::shared_ptr<const RomanLexicon> Merge(const std::vector<const RomanLexicon*>& parts);
  // The snapshot's lexicon: its segment's when it has one; else the merge of its segments'
  // (Of(segment) each), built on the first call for that set of segments and kept while they
  // live, for the kSnapshotLexicons sets used last (a snapshot that replaced another may still be
  // searched for a while). Planning then reads one lexicon however many segments there are.
  static constexpr size_t kSnapshotLexicons = 2;
  static std::shared_ptr<const RomanLexicon> Of(const Snapshot& snap);

  // Calls fn(term, df) for the terms whose key is `key`, most common first, at most `scan`,
  // until fn returns false. The term's bytes live as long as the lexicon.
  template <typename Fn>
  void ForKey(std::string_view key, size_t scan, Fn&& fn) const {
    bool whole = false;
    const uint64_t packed = Pack(key, &whole);
    for (size_t i = LowerBound(packed); i < entries_.size() && scan > 0 && entries_[i].packed == packed; ++i)
      if (whole || KeyOf(i) == key) {
        if (!fn(TermOf(i), entries_[i].df)) return;
        --scan;
      }
  }
  // Calls fn(term, df) for the terms whose key starts with `prefix` (in key order), unless they
  // are more than `max`: then returns false without calling fn.
  template <typename Fn>
  bool ForKeyPrefix(std::string_view prefix, size_t max, Fn&& fn) const {
    const auto [first, end] = PrefixRange(prefix);
    if (end - first > max) return false;
    for (size_t i = first; i < end; ++i)
      if (KeyOf(i).starts_with(prefix)) fn(TermOf(i), entries_[i].df);
    return true;
  }
  size_t size() const { return entries_.size(); }
  // Bytes held (entries, text and the bucket table).
  size_t MemoryBytes() const {
    return entries_.capacity() * sizeof(Entry) + text_.capacity() + first_.capacity() * sizeof(uint32_t);
  }

 private:
  struct Entry {
    uint64_t packed;  // Pack(key)
    uint32_t key_off, term_off, df;
    uint8_t key_len, term_len;
  };
  // *whole (when given): the key is told apart from every other by its packed value alone.
  static uint64_t Pack(std::string_view key, bool* whole = nullptr);
  std::string_view KeyOf(const Entry& e) const { return std::string_view(text_).substr(e.key_off, e.key_len); }
  std::string_view TermOf(const Entry& e) const { return std::string_view(text_).substr(e.term_off, e.term_len); }
  std::string_view KeyOf(size_t i) const { return KeyOf(entries_[i]); }
  std::string_view TermOf(size_t i) const { return TermOf(entries_[i]); }
  // Adds an entry with its key and term (df saturating at 2^32 - 1); order is the caller's.
  void Append(uint64_t packed, std::string_view key, std::string_view term, uint64_t df);
  // Within one key: most common first, then by term (the order of entries_).
  bool CommonerFirst(const Entry& x, const Entry& y) const;
  // The first entry whose packed key is not less than `packed`: a binary search within its
  // bucket (first_), a few cache lines, not the whole array.
  size_t LowerBound(uint64_t packed) const;
  std::pair<size_t, size_t> PrefixRange(std::string_view prefix) const;
  // Once the entries are in order: lays the text out in their order and fills first_.
  void Finish();
  std::string text_;             // each entry's key then its term, in entry order
  std::vector<Entry> entries_;   // by packed key, then df (largest first), then term
  // Buckets by the top bits of the packed key: per bucket b, the first entry of packed key >= b
  // << bucket_shift_, then size().
  std::vector<uint32_t> first_;
  int bucket_shift_ = 56;
};

struct RomanCandidate {
  std::string term;   // an Urdu term of the index
  float cost = 0;     // Aligner::Cost of the Roman word against it
  uint64_t df = 0;    // documents holding it, over the snapshot's segments and fields
  double score = 0;   // cost - kCommonness * ln(1 + df): lower is better
  double weight = 1;  // relative to the best candidate (1): exp(-steepness * (score - best score))
};

struct RomanOptions {
  size_t scan = 32;         // terms read per key, most common first
  size_t max = 3;           // candidates kept
  double min_weight = 0.5;  // a candidate weighing less than this is dropped
  double commonness = 0.35; // how much a term's frequency counts against its spelling cost
  double steepness = 0.5;   // how fast weights fall with the score (RomanCandidate::weight)
};

// The Urdu terms of `lex` that the Roman word `word` (any case; see roman::IsRomanWord) may stand
// for, best first, at most options.max; empty when the word is not a Roman word or nothing fits.
// Bounded: at most 16 keys, options.scan terms per key.
std::vector<RomanCandidate> RomanCandidates(const RomanLexicon& lex, std::string_view word,
                                            const RomanOptions& options = RomanOptions());
// The same over RomanLexicon::Of(snap).
std::vector<RomanCandidate> RomanCandidates(const Snapshot& snap, std::string_view word,
                                            const RomanOptions& options = RomanOptions());

// The Urdu terms of `snap` that a typed Roman prefix («imr», «kh») may be the start of, best
// first, at most n: the terms whose key starts with one of the prefix's keys, ranked as
// RomanCandidates ranks (Aligner::PrefixCost for the cost). Empty for a prefix whose keys start
// too many terms (more than 4,096: one consonant), so that the cost stays bounded.
std::vector<RomanCandidate> RomanCompletions(const RomanLexicon& lex, std::string_view prefix, size_t n);
// The same over RomanLexicon::Of(snap).
std::vector<RomanCandidate> RomanCompletions(const Snapshot& snap, std::string_view prefix, size_t n);

}  // namespace rasai
