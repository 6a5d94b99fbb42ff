#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace rasai::server {
namespace {

TEST(Metrics, CountsRequestsByRouteAndStatus) {
  Metrics m;
  m.CountRequest("/api/search", 200);
  m.CountRequest("/api/search", 200);
  m.CountRequest("/api/search", 400);
  m.CountRequest("/healthz", 200);
  EXPECT_EQ(m.RequestCount("/api/search", 200), 2u);
  EXPECT_EQ(m.RequestCount("/api/search", 400), 1u);
  EXPECT_EQ(m.RequestCount("/api/doc", 200), 0u);
  std::string text = m.Render(7, 3, 2);
  EXPECT_NE(text.find("rasai_http_requests_total{route=\"/api/search\",status=\"200\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_http_requests_total{route=\"/api/search\",status=\"400\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_index_documents 7\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_index_generation 3\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_index_segments 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE rasai_http_requests_total counter\n"), std::string::npos);
}

TEST(Metrics, HistogramIsCumulative) {
  Metrics m;
  m.ObserveSearchSeconds(0.0005);  // le 0.001
  m.ObserveSearchSeconds(0.003);   // le 0.005
  m.ObserveSearchSeconds(0.2);     // le 0.25
  m.ObserveSearchSeconds(100);     // +Inf only
  std::string text = m.Render(0, 0, 0);
  EXPECT_NE(text.find("rasai_search_duration_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_bucket{le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_bucket{le=\"0.25\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_bucket{le=\"5\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_bucket{le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_count 4\n"), std::string::npos);
  EXPECT_NE(text.find("rasai_search_duration_seconds_sum 100.204"), std::string::npos);
  EXPECT_EQ(m.SearchCount(), 4u);
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) {
        m.CountRequest("/api/search", 200);
        m.ObserveSearchSeconds(0.01);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.RequestCount("/api/search", 200), 4000u);
  EXPECT_EQ(m.SearchCount(), 4000u);
}

}  // namespace
}  // namespace rasai::server
