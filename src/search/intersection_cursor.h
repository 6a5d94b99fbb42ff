// Internal: the documents of one segment that hold every one of a few terms (in one field), and
// how often those terms stand there at consecutive positions: the one intersection of postings
// lists that search walks, to score a term or a phrase (LeafScorer), to check that a phrase
// occurs and count documents holding words together (Lexicon), and to count word pairs
// (completions). A term is an intersection of one list.
//
// Two ways to walk it: Advance (leapfrog: every cursor jumps to the largest doc seen, the
// fastest way to the next common doc), or the lead's list one document at a time (NextLead and
// OthersOn), for scans bounded by how many documents of the rarest list they read.
//
// Thread-compatible; owns its PostingsCursors (single-threaded, like them). Copyable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"

namespace rasai {

class IntersectionCursor {
 public:
  static constexpr uint32_t kEnd = PostingsCursor::kEnd;

  // Adds the next term's cursor (positioned at its first doc); the terms of a phrase in order.
  // The lead is the cursor with the fewest documents (the first of equals).
  void Add(PostingsCursor c) {
    cursors_.push_back(c);
    if (cursors_.back().df() < cursors_[lead_].df()) lead_ = static_cast<uint32_t>(cursors_.size() - 1);
  }
  // Makes cursor i (in the order added) the lead, whatever the lists' lengths.
  void SetLead(size_t i) { lead_ = static_cast<uint32_t>(i); }
  void Reserve(size_t n) { cursors_.reserve(n); }
  void Clear() {
    cursors_.clear();
    lead_ = 0;
    repeated_ = 0;
  }
  // The phrase is one term n times (an acronym of one letter: «پی پی پی»): a document where the
  // term stands fewer than n times holds no occurrence, as PhraseFreq finds without positions.
  void SetRepeatedTerm(uint32_t n) { repeated_ = n; }
  size_t size() const { return cursors_.size(); }
  std::vector<PostingsCursor>& cursors() { return cursors_; }
  const std::vector<PostingsCursor>& cursors() const { return cursors_; }

  // The first doc >= target that every cursor holds (kEnd when none); every cursor is left on it.
  uint32_t Advance(uint32_t target) {
    if (cursors_.size() == 1) return cursors_[0].Advance(target);
    uint32_t d = target;
    for (;;) {
      bool all = true;
      for (auto& c : cursors_) {
        uint32_t x = c.Advance(d);
        if (x == kEnd) return kEnd;
        if (x != d) {
          d = x;
          all = false;
        }
      }
      if (all) return d;
    }
  }

  // The lead's list, one document at a time: its current doc, and the next one.
  PostingsCursor& lead() { return cursors_[lead_]; }
  uint32_t NextLead() { return cursors_[lead_].Next(); }
  // Moves the other cursors to `d`, the lead's doc, stopping at the first that lacks it; true when
  // every one holds it.
  bool OthersOn(uint32_t d) {
    for (size_t i = 0; i < cursors_.size(); ++i)
      if (i != lead_ && cursors_[i].Advance(d) != d) return false;
    return true;
  }
  // Whether a cursor other than the lead is exhausted: no later document holds every term.
  bool OthersExhausted() const {
    for (size_t i = 0; i < cursors_.size(); ++i)
      if (i != lead_ && cursors_[i].doc() == kEnd) return true;
    return false;
  }

  // With every cursor on one doc: how often the terms stand there at consecutive positions, in
  // the order added (for one term, its frequency).
  uint32_t PhraseFreq() {
    if (cursors_.size() == 1) return cursors_[0].freq();
    if (repeated_ != 0 && cursors_[0].freq() < repeated_) return 0;
    cursors_[0].Positions(&starts_);
    for (size_t k = 1; k < cursors_.size() && !starts_.empty(); ++k) {
      cursors_[k].Positions(&next_);
      size_t j = 0, kept = 0;  // the starts followed by word k at +k, kept in place
      for (uint32_t p : starts_) {
        while (j < next_.size() && next_[j] < p + k) ++j;
        if (j < next_.size() && next_[j] == p + k) starts_[kept++] = p;
      }
      starts_.resize(kept);
    }
    return static_cast<uint32_t>(starts_.size());
  }

 private:
  std::vector<PostingsCursor> cursors_;
  uint32_t lead_ = 0;
  uint32_t repeated_ = 0;  // SetRepeatedTerm
  std::vector<uint32_t> starts_, next_;
};

}  // namespace rasai
