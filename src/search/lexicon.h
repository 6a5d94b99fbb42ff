// Internal: the collection's vocabulary as the planner asks about it: whether a term or a phrase
// occurs, how many documents hold a term or several together, the terms that start with a
// prefix. Answers come from the dictionary (through the search's TermCache) and, for phrases and
// co-occurrence, from bounded walks of postings (IntersectionCursor).
//
// Thread-compatible: one per search (one thread), like the TermCache it reads through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"
#include "rasai/term_lists.h"
#include "search/intersection_cursor.h"
#include "search/term_cache.h"

namespace rasai {

// Terms read in dictionary order per prefix before the common ones (ForTermsWithPrefix): a
// prefix* query ranks 64 expansions, which reach down to rarer terms than 8 suggestions do.
constexpr size_t kPrefixScan = 4096, kSuggestScan = 256;

// Calls fn(term, df) for the terms of `field` in `seg` that start with `prefix`: all of them
// when there are at most `scan`, else the first `scan` in dictionary order and, past those, the
// ones among the field's most common terms (SegmentReader::Frequent). A short prefix has
// thousands of terms, nearly all rare («م» has 7,000 before and after «میں»): reading them all
// costs a millisecond, and stopping after the first ones in dictionary order misses the common.
template <typename Fn>
void ForTermsWithPrefix(const SegmentReader& seg, int field, const std::string& prefix, size_t scan, Fn&& fn) {
  TermIterator ti = seg.Terms(field);
  ti.Seek(prefix);
  for (size_t k = 0; ti.Valid() && ti.term().starts_with(prefix); ti.Next(), ++k) {
    if (k == scan) {
      const std::string rest(ti.term());  // the first term not read
      const FrequentTerms& common = seg.Frequent(field);
      const auto [first, end] = common.Range(prefix);
      for (size_t i = first; i < end; ++i)
        if (common.term(i) >= rest) fn(common.term(i), common.df(i));
      return;
    }
    fn(ti.term(), ti.info().df);
  }
}

class Lexicon {
 public:
  explicit Lexicon(TermCache& terms);
  const Snapshot& snapshot() const { return snap_; }
  // The text fields, in field-id order.
  const std::vector<int>& text_fields() const { return text_fields_; }

  // Whether some field (or `field`) holds the term, stopping at the first that does: the last
  // field first (in the default schema the body, where most words are). Df(...) > 0, cheaper.
  bool Has(std::string_view term, int field = -1);
  // Documents holding the term, summed over the fields (or `field`); deleted ones included.
  uint64_t Df(const std::string& term, int field = -1);
  // Whether some document holds `terms` at consecutive positions in one field (or `field`).
  // Past 4,096 documents of a segment's rarest word it answers yes: a bounded cost, and the
  // answer the planner gave before it asked.
  bool PhraseOccurs(const std::vector<std::string>& terms, int field = -1);
  // Whether `terms` stand at consecutive positions in one of the first `scan` documents, per
  // text field, that hold the collection's rarest of them (in the field; the first of equals),
  // the snapshot's segments in order: the same documents however the collection is split into
  // segments, and a bounded walk however many there are.
  bool PhraseAmongFirst(const std::vector<std::string>& terms, uint32_t scan);
  // Documents holding `term` and every one of `others` in one field (or in `field`), summed over
  // fields and segments; a segment's field stops counting after 4,096 documents of its rarest
  // word. For choosing among corrections of one word the one that goes with the others.
  uint64_t CoDocs(const std::string& term, const std::vector<std::string>& others, int field = -1);
  // The terms starting with `prefix` (in `field`, or any), most documents first (ties: the
  // later term first), with their document counts summed over segments and fields. A prefix
  // asked twice is scanned once.
  const std::vector<std::pair<uint64_t, std::string>>& TermsWithPrefix(const std::string& prefix, int field);

  // Walks, per segment and text field (or `field`), the documents holding every one of `terms`:
  // the rarest word's list, the others advanced to it, deleted documents left out. fn(cursor)
  // sees each, every cursor on it; false from fn ends the walk, and the call returns false. Only
  // the first `scan` documents of each rarest list are walked; *cut is set when one had more.
  template <typename Fn>
  bool ForDocsWithAll(const std::vector<std::string>& terms, int field, uint32_t scan, bool* cut, Fn&& fn) {
    IntersectionCursor docs;
    for (uint32_t s = 0; s < snap_.segments().size(); ++s) {
      const SegmentReader& seg = *snap_.segments()[s];
      for (int f : text_fields_) {
        if (field >= 0 && f != field) continue;
        docs.Clear();
        bool all = true;
        for (size_t i = 0; i < terms.size() && all; ++i) {
          TermInfo ti;
          all = terms_.Lookup(s, f, terms[i], &ti);
          if (all) docs.Add(seg.Postings(ti));
        }
        if (!all) continue;
        uint32_t walked = 0;
        for (uint32_t d = docs.lead().doc(); d != PostingsCursor::kEnd; d = docs.NextLead()) {
          if (++walked > scan) {
            *cut = true;
            break;
          }
          if (docs.OthersOn(d) && !seg.IsDeleted(d) && !fn(docs)) return false;
        }
      }
    }
    return true;
  }

 private:
  const Snapshot& snap_;
  TermCache& terms_;
  std::vector<int> text_fields_;
  std::map<std::pair<int, std::string>, std::vector<std::pair<uint64_t, std::string>>> expansions_;
};

}  // namespace rasai
