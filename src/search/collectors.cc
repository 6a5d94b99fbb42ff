#include <algorithm>

#include "search/collector.h"

namespace rasai {

// --- TopDocsCollector -------------------------------------------------------------------------

TopDocsCollector::TopDocsCollector(size_t k, Order order) : k_(std::max<size_t>(k, 1)), order_(order) {
  heap_.reserve(k_ + 1);
}

// A date order lists the documents that match more of the query's words first, each level
// by date: «عمران خان», newest first, is the newest articles naming Imran Khan, then those
// with only «خان» (which alone would fill the first pages with every other Khan).
bool TopDocsCollector::Better(const Candidate& a, const Candidate& b) const {
  if (order_ != Order::kRelevance && a.matched != b.matched) return a.matched > b.matched;
  if (order_ == Order::kDateDesc && a.when != b.when) return a.when > b.when;
  if (order_ == Order::kDateAsc && a.when != b.when) return a.when < b.when;
  if (a.score != b.score) return a.score > b.score;
  // Ties: the newer article (to the second, when the dates say), then by content hash, so that
  // the order (and which of several tied documents makes a cut) does not depend on the order
  // documents were added in. Copies of one text (same hash): the one added first, in segment
  // order then document order, so that the copy shown does not depend on how the collection is
  // cut into segments.
  if (a.when != b.when) return a.when > b.when;
  if (a.hash != b.hash) return a.hash < b.hash;
  if (a.seg != b.seg) return a.seg < b.seg;
  return a.doc < b.doc;
}

double TopDocsCollector::MinCompetitiveScore() const {
  return heap_.size() >= k_ ? heap_.front().score : -std::numeric_limits<double>::infinity();
}

bool TopDocsCollector::BeginSegment(uint32_t si, const SegmentReader& seg) {
  si_ = si;
  seg_ = &seg;
  return true;
}

void TopDocsCollector::Keep(const Candidate& c, bool* kept) {
  auto better = [this](const Candidate& a, const Candidate& b) { return Better(a, b); };
  *kept = false;
  if (heap_.size() >= k_) {
    if (!Better(c, heap_.front())) return;
    std::pop_heap(heap_.begin(), heap_.end(), better);
    heap_.pop_back();
  }
  heap_.push_back(c);
  std::push_heap(heap_.begin(), heap_.end(), better);
  *kept = true;
}

bool TopDocsCollector::Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) {
  ++total_;
  // In relevance order a document that scores below the k-th is out before its values are read.
  if (order_ == Order::kRelevance && heap_.size() >= k_ && score < heap_.front().score) return false;
  const DocValues dv = values ? *values : seg_->Values(doc);
  bool kept;
  Keep(Candidate{score, WhenKey(dv), si_, doc, dv.content_hash, matched}, &kept);
  return kept;
}

std::vector<Candidate> TopDocsCollector::Take() {
  std::vector<Candidate> out = std::move(heap_);
  heap_.clear();
  std::sort(out.begin(), out.end(), [this](const Candidate& a, const Candidate& b) { return Better(a, b); });
  return out;
}

// --- FacetCollector ---------------------------------------------------------------------------

bool FacetCollector::BeginSegment(uint32_t si, const SegmentReader& seg) {
  seg_ = &seg;
  return next_->BeginSegment(si, seg);
}

bool FacetCollector::Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) {
  const DocValues dv = values ? *values : seg_->Values(doc);
  counts_[0][std::string(seg_->ValueName(DocValueField::kSource, dv.source))]++;
  counts_[1][std::string(seg_->ValueName(DocValueField::kCategory, dv.category))]++;
  counts_[2][std::string(seg_->ValueName(DocValueField::kLang, dv.lang))]++;
  counts_[3][dv.date ? std::to_string(dv.date / 10000) : std::string()]++;
  return next_->Collect(doc, score, matched, &dv);
}

std::map<std::string, std::map<std::string, uint64_t>> FacetCollector::Take() {
  std::map<std::string, std::map<std::string, uint64_t>> out;
  const char* names[4] = {"source", "category", "lang", "year"};
  for (int i = 0; i < 4; ++i) {
    counts_[i].erase("");
    out[names[i]] = std::move(counts_[i]);
    counts_[i].clear();
  }
  return out;
}

// --- FilterCollector --------------------------------------------------------------------------

bool FilterCollector::BeginSegment(uint32_t si, const SegmentReader& seg) {
  seg_ = &seg;
  // Filter ordinals for this segment (a filter value absent from the segment matches nothing).
  auto ord_of = [&](DocValueField f, const std::string& v) -> int64_t {
    if (v.empty()) return -1;
    for (uint32_t o = 0; o < seg.ValueCount(f); ++o)
      if (seg.ValueName(f, o) == v) return o;
    return -2;
  };
  lang_ = ord_of(DocValueField::kLang, filters_.lang);
  source_ = ord_of(DocValueField::kSource, filters_.source);
  category_ = ord_of(DocValueField::kCategory, filters_.category);
  if (lang_ == -2 || source_ == -2 || category_ == -2) return false;
  return next_->BeginSegment(si, seg);
}

bool FilterCollector::Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) {
  const DocValues dv = values ? *values : seg_->Values(doc);
  if ((lang_ >= 0 && dv.lang != lang_) || (source_ >= 0 && dv.source != source_) ||
      (category_ >= 0 && dv.category != category_))
    return false;
  if ((filters_.from && dv.date < filters_.from) || (filters_.to && (dv.date == 0 || dv.date > filters_.to)))
    return false;
  return next_->Collect(doc, score, matched, &dv);
}

}  // namespace rasai
