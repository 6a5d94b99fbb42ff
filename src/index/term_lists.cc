// TermsByLength and FrequentTerms, built from a segment's dictionary on first use.
#include "rasai/term_lists.h"

#include <algorithm>

#include "index/segment_core.h"
#include "rasai/postings.h"
#include "util/utf8.h"

namespace rasai {

namespace {

// A structure of one field built on first use: `slots` holds one per text field, and one more
// (built by build(false), empty) for any other field number; build(true) reads the field. `mu`
// guards `slots`, so that concurrent first calls build it once.
template <typename T, typename Build>
const T& BuiltOnce(std::mutex& mu, std::vector<std::unique_ptr<T>>& slots, int ntext, int field, Build&& build) {
  std::lock_guard<std::mutex> lock(mu);
  if (slots.empty()) slots.resize(static_cast<size_t>(ntext) + 1);
  const bool text = field >= 0 && field < ntext;
  const size_t slot = text ? static_cast<size_t>(field) : static_cast<size_t>(ntext);
  if (!slots[slot]) slots[slot] = build(text);
  return *slots[slot];
}

}  // namespace

const TermsByLength& SegmentReader::TermLengths(int field) const {
  const SegmentCore& c = *data_->core;
  return BuiltOnce(c.lengths_mu, c.lengths, c.ntext, field, [&](bool text) {
    auto t = std::make_unique<TermsByLength>();
    std::vector<std::vector<TermsByLength::Entry>> buckets(TermsByLength::kBuckets);
    std::vector<std::string> texts(TermsByLength::kBuckets);
    std::u32string u;
    if (text) {
      for (TermIterator ti = Terms(field); ti.Valid(); ti.Next()) {
        std::string_view term = ti.term();
        DecodeUtf8(term, &u);
        const size_t b = TermsByLength::Bucket(static_cast<uint32_t>(std::min<size_t>(u.size(), TermsByLength::kMaxLength)),
                                               TermsByLength::Wide(u));
        buckets[b].push_back({TermsByLength::Signature(u), static_cast<uint32_t>(texts[b].size()), ti.info().df});
        texts[b].append(term);
      }
    }
    t->begin_.resize(TermsByLength::kBuckets + 1);
    for (size_t b = 0; b < TermsByLength::kBuckets; ++b) {
      t->begin_[b] = static_cast<uint32_t>(t->entries_.size());
      const uint32_t base = static_cast<uint32_t>(t->text_.size());
      for (auto e : buckets[b]) {
        e.offset += base;
        t->entries_.push_back(e);
      }
      t->text_.append(texts[b]);
      t->entries_.push_back({0, static_cast<uint32_t>(t->text_.size()), 0});  // the bucket's end
    }
    t->begin_[TermsByLength::kBuckets] = static_cast<uint32_t>(t->entries_.size());
    return t;
  });
}

const FrequentTerms& SegmentReader::Frequent(int field) const {
  const SegmentCore& c = *data_->core;
  return BuiltOnce(c.frequent_mu, c.frequent, c.ntext, field, [&](bool text) {
    // The kMax terms of largest df, through a heap whose top is the one to drop first (the
    // smallest df, then the largest term); then back in term order.
    using Kept = std::pair<uint32_t, std::string>;
    auto better = [](const Kept& a, const Kept& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
    std::vector<Kept> heap;
    if (text) {
      for (TermIterator ti = Terms(field); ti.Valid(); ti.Next()) {
        const uint32_t df = ti.info().df;
        if (heap.size() == FrequentTerms::kMax && df <= heap.front().first) continue;  // a later term ties at best
        heap.emplace_back(df, std::string(ti.term()));
        std::push_heap(heap.begin(), heap.end(), better);
        if (heap.size() > FrequentTerms::kMax) {
          std::pop_heap(heap.begin(), heap.end(), better);
          heap.pop_back();
        }
      }
    }
    std::sort(heap.begin(), heap.end(), [](const Kept& a, const Kept& b) { return a.second < b.second; });
    auto t = std::make_unique<FrequentTerms>();
    t->offsets_.reserve(heap.size() + 1);
    t->dfs_.reserve(heap.size());
    for (const auto& [df, term] : heap) {
      t->offsets_.push_back(static_cast<uint32_t>(t->text_.size()));
      t->text_.append(term);
      t->dfs_.push_back(df);
    }
    t->offsets_.push_back(static_cast<uint32_t>(t->text_.size()));
    return t;
  });
}

std::pair<size_t, size_t> FrequentTerms::Range(std::string_view prefix) const {
  size_t lo = 0, hi = size();
  while (lo < hi) {  // the first term >= prefix
    const size_t mid = lo + (hi - lo) / 2;
    if (term(mid) < prefix) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < size() && term(end).starts_with(prefix)) ++end;
  return {lo, end};
}

uint64_t TermsByLength::Signature(std::u32string_view word) {
  uint64_t sig = 0;
  for (char32_t ch : word) sig |= 1ull << ((static_cast<uint32_t>(ch) * 0x9E3779B1u) >> 26);
  return sig;
}
uint32_t TermsByLength::Wide(std::u32string_view word) {
  uint32_t n = 0;
  for (char32_t ch : word) n += ch >= 0x80;
  return n;
}
size_t TermsByLength::size(uint32_t length, uint32_t wide) const {
  const size_t b = Bucket(length, wide);
  return begin_.empty() ? 0 : begin_[b + 1] - begin_[b] - 1;
}
const TermsByLength::Entry& TermsByLength::entry(uint32_t length, uint32_t wide, size_t i) const {
  return entries_[begin_[Bucket(length, wide)] + i];
}
std::string_view TermsByLength::term(uint32_t length, uint32_t wide, size_t i) const {
  const size_t at = begin_[Bucket(length, wide)] + i;
  return std::string_view(text_).substr(entries_[at].offset, entries_[at + 1].offset - entries_[at].offset);
}

}  // namespace rasai
