// Internal: collectors: what a search keeps of the documents its scorer matches (Lucene's
// Collector). The scorer (maxscore_scorer.h) hands each live matching document with its final
// score to one Collector; collectors wrap one another for what a request asks:
//
//   TopDocsCollector   the k best, by relevance or by date (each level of matched words by date)
//   CountCollector     only how many match (n = 0)
//   FacetCollector     counts by source, category, language and year, then passes each on
//   FilterCollector    drops documents by language, source, category and date, then passes on
//   SkipDocCollector   drops one document (an article's related articles leave it out)
//
// Pruning: a collector that keeps only the best by score (TakesBest) reports the score a document
// must reach (MinCompetitiveScore); the scorer then skips documents that cannot reach it. Any
// other collector gets every match: an exhaustive evaluation (facets, counts, date orders), with
// an exact total.
//
// Thread-compatible: one per search.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "rasai/index.h"

namespace rasai {

// When a document was published, as one number ordered like time: yyyymmdd, then the second of
// the day (a date without a time of day sorts before that day's timed articles).
inline int64_t WhenKey(const DocValues& dv) {
  return static_cast<int64_t>(dv.date) * 100000 + (static_cast<int64_t>(dv.time) + 1);
}

struct Candidate {
  double score;
  int64_t when;  // WhenKey
  uint32_t seg;
  uint32_t doc;
  uint64_t hash;         // DocValues::content_hash
  uint32_t matched = 0;  // query groups matched (kept for a date order only)
};

class Collector {
 public:
  virtual ~Collector() = default;
  // Whether only the best documents by score are kept (see the file comment).
  virtual bool TakesBest() const = 0;
  // The score a document must reach to be kept when TakesBest; -infinity until known.
  virtual double MinCompetitiveScore() const { return -std::numeric_limits<double>::infinity(); }
  // Whether Collect refuses documents by their values (language, source, category, date).
  virtual bool Filters() const { return false; }
  // Begins segment `si` of the snapshot; false when no document of it can be collected (a filter
  // value the segment lacks): the scorer then skips it.
  virtual bool BeginSegment(uint32_t si, const SegmentReader& seg) = 0;
  // A live matching document of the current segment, its score and the number of query groups
  // it matched; `values` are its DocValues when already read, else null. True when it was kept
  // (MinCompetitiveScore may have risen).
  virtual bool Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) = 0;
};

class TopDocsCollector : public Collector {
 public:
  enum class Order { kRelevance, kDateDesc, kDateAsc };
  TopDocsCollector(size_t k, Order order);  // k >= 1
  bool TakesBest() const override { return order_ == Order::kRelevance; }
  double MinCompetitiveScore() const override;
  bool BeginSegment(uint32_t si, const SegmentReader& seg) override;
  bool Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) override;
  // Documents collected (all of them, kept or not).
  uint64_t total() const { return total_; }
  // The kept documents, best first. Leaves the collector empty.
  std::vector<Candidate> Take();

 private:
  bool Better(const Candidate& a, const Candidate& b) const;  // a ranks before b
  void Keep(const Candidate& c, bool* kept);
  const size_t k_;
  const Order order_;
  std::vector<Candidate> heap_;  // the worst kept on top
  uint64_t total_ = 0;
  uint32_t si_ = 0;
  const SegmentReader* seg_ = nullptr;
};

class CountCollector : public Collector {
 public:
  bool TakesBest() const override { return false; }
  bool BeginSegment(uint32_t, const SegmentReader&) override { return true; }
  bool Collect(uint32_t, double, uint32_t, const DocValues*) override {
    ++total_;
    return false;
  }
  uint64_t total() const { return total_; }

 private:
  uint64_t total_ = 0;
};

class FacetCollector : public Collector {
 public:
  explicit FacetCollector(Collector* next) : next_(next) {}
  bool TakesBest() const override { return false; }
  bool Filters() const override { return next_->Filters(); }
  bool BeginSegment(uint32_t si, const SegmentReader& seg) override;
  bool Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) override;
  // facet name ("source", "category", "lang", "year") -> value -> count ("" values left out).
  std::map<std::string, std::map<std::string, uint64_t>> Take();

 private:
  Collector* next_;
  const SegmentReader* seg_ = nullptr;
  std::map<std::string, uint64_t> counts_[4];
};

// Values a document must have; empty strings and 0 dates do not filter.
struct DocFilters {
  std::string lang, source, category;
  int32_t from = 0, to = 0;  // yyyymmdd bounds, inclusive (DateBoundKey); a bound excludes undated documents
  bool empty() const { return lang.empty() && source.empty() && category.empty() && !from && !to; }
};

class FilterCollector : public Collector {
 public:
  FilterCollector(Collector* next, const DocFilters& filters) : next_(next), filters_(filters) {}
  bool TakesBest() const override { return next_->TakesBest(); }
  double MinCompetitiveScore() const override { return next_->MinCompetitiveScore(); }
  bool Filters() const override { return true; }
  bool BeginSegment(uint32_t si, const SegmentReader& seg) override;
  bool Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) override;

 private:
  Collector* next_;
  const DocFilters& filters_;
  const SegmentReader* seg_ = nullptr;
  int64_t lang_ = -1, source_ = -1, category_ = -1;  // the segment's ordinals; -1: no filter
};

class SkipDocCollector : public Collector {
 public:
  SkipDocCollector(Collector* next, uint32_t seg, uint32_t doc) : next_(next), skip_seg_(seg), skip_doc_(doc) {}
  bool TakesBest() const override { return next_->TakesBest(); }
  double MinCompetitiveScore() const override { return next_->MinCompetitiveScore(); }
  bool Filters() const override { return next_->Filters(); }
  bool BeginSegment(uint32_t si, const SegmentReader& seg) override {
    si_ = si;
    return next_->BeginSegment(si, seg);
  }
  bool Collect(uint32_t doc, double score, uint32_t matched, const DocValues* values) override {
    if (si_ == skip_seg_ && doc == skip_doc_) return false;
    return next_->Collect(doc, score, matched, values);
  }

 private:
  Collector* next_;
  const uint32_t skip_seg_, skip_doc_;
  uint32_t si_ = 0;
};

}  // namespace rasai
