#include "server/metrics.h"

#include <cstdio>

namespace rasai::server {
namespace {

std::string FormatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::CountRequest(const std::string& route, int status) {
  std::lock_guard<std::mutex> l(mu_);
  ++requests_[{route, status}];
}

void Metrics::ObserveSearchSeconds(double seconds) {
  size_t i = 0;
  while (i < kLatencyBuckets.size() && seconds > kLatencyBuckets[i]) ++i;
  std::lock_guard<std::mutex> l(mu_);
  ++buckets_[i];
  ++search_count_;
  search_sum_ += seconds;
}

uint64_t Metrics::RequestCount(const std::string& route, int status) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = requests_.find({route, status});
  return it == requests_.end() ? 0 : it->second;
}

uint64_t Metrics::SearchCount() const {
  std::lock_guard<std::mutex> l(mu_);
  return search_count_;
}

std::string Metrics::Render(uint64_t docs, uint64_t generation, uint64_t segments) const {
  std::lock_guard<std::mutex> l(mu_);
  std::string out;
  out += "# HELP rasai_http_requests_total HTTP requests handled, by route and status code.\n";
  out += "# TYPE rasai_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "rasai_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP rasai_search_duration_seconds Time to answer /api/search requests.\n";
  out += "# TYPE rasai_search_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out += "rasai_search_duration_seconds_bucket{le=\"" + FormatDouble(kLatencyBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_.back();
  out += "rasai_search_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "rasai_search_duration_seconds_sum " + FormatDouble(search_sum_) + "\n";
  out += "rasai_search_duration_seconds_count " + std::to_string(search_count_) + "\n";
  out += "# HELP rasai_index_documents Live documents in the served index snapshot.\n";
  out += "# TYPE rasai_index_documents gauge\n";
  out += "rasai_index_documents " + std::to_string(docs) + "\n";
  out += "# HELP rasai_index_generation Commit generation of the served index snapshot.\n";
  out += "# TYPE rasai_index_generation gauge\n";
  out += "rasai_index_generation " + std::to_string(generation) + "\n";
  out += "# HELP rasai_index_segments Segments in the served index snapshot.\n";
  out += "# TYPE rasai_index_segments gauge\n";
  out += "rasai_index_segments " + std::to_string(segments) + "\n";
  return out;
}

}  // namespace rasai::server
