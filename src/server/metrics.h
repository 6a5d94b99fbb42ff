// Request counters and the search latency histogram, rendered in the Prometheus text format.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace rasai::server {

class Metrics {
 public:
  // Upper bounds (seconds) of the search latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};

  // `route` must come from a small fixed set (label cardinality), e.g. "/api/search".
  void CountRequest(const std::string& route, int status);
  void ObserveSearchSeconds(double seconds);
  uint64_t RequestCount(const std::string& route, int status) const;
  uint64_t SearchCount() const;

  // Renders every metric; `docs` and `generation` describe the current index snapshot.
  std::string Render(uint64_t docs, uint64_t generation, uint64_t segments) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kLatencyBuckets.size() + 1> buckets_{};  // non-cumulative; last = +Inf
  uint64_t search_count_ = 0;
  double search_sum_ = 0;
};

}  // namespace rasai::server
