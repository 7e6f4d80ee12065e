// Metrics: the exposition text, and counting from several threads at once. (Here,
// beside the usage writers, so the TSan pass covers it.)
#include "keyward/metrics/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace keyward::metrics {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, CountsRequestsByRouteAndStatusInLabelOrder) {
  Metrics m;
  m.ObserveRequest("/v1/verify", 200, 0.0002);
  m.ObserveRequest("/healthz", 200, 0.00005);
  m.ObserveRequest("/v1/verify", 200, 0.003);
  m.ObserveRequest("/v1/verify", 422, 0.0001);
  const std::string text = m.Render();
  EXPECT_TRUE(
      Has(text, "keyward_http_requests_total{route=\"/v1/verify\",status=\"200\"} 2"));
  EXPECT_TRUE(
      Has(text, "keyward_http_requests_total{route=\"/v1/verify\",status=\"422\"} 1"));
  EXPECT_TRUE(
      Has(text, "keyward_http_requests_total{route=\"/healthz\",status=\"200\"} 1"));
  // Sorted by route, then status, as Prometheus clients conventionally print.
  EXPECT_LT(text.find("route=\"/healthz\",status"),
            text.find("route=\"/v1/verify\",status"));
  EXPECT_LT(text.find("status=\"200\"} 2"), text.find("status=\"422\"} 1"));
  EXPECT_EQ(text.find("route=\"/v1/keys\""), std::string::npos);  // never observed
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithUpperBoundsInclusive) {
  Metrics m;
  m.ObserveRequest("/r", 200, 0.0001);  // exactly on the first bound
  m.ObserveRequest("/r", 200, 0.0003);
  m.ObserveRequest("/r", 500, 2.0);  // above every bound
  const std::string text = m.Render();
  const std::string b = "keyward_http_request_duration_seconds_bucket{route=\"/r\",le=";
  EXPECT_TRUE(Has(text, b + "\"0.0001\"} 1"));
  EXPECT_TRUE(Has(text, b + "\"0.00025\"} 1"));
  EXPECT_TRUE(Has(text, b + "\"0.0005\"} 2"));
  EXPECT_TRUE(Has(text, b + "\"1\"} 2"));
  EXPECT_TRUE(Has(text, b + "\"+Inf\"} 3"));
  EXPECT_TRUE(Has(text, "keyward_http_request_duration_seconds_count{route=\"/r\"} 3"));
  EXPECT_TRUE(
      Has(text, "keyward_http_request_duration_seconds_sum{route=\"/r\"} 2.0004"));
}

TEST(MetricsTest, VerificationsAuditDropsAndStartTime) {
  Metrics m;
  m.CountVerification("VALID");
  m.CountVerification("NOT_FOUND");
  m.CountVerification("VALID");
  m.CountAuditDrop();
  m.CountConnectionRefused();
  m.CountConnectionRefused();
  m.CountConnectionEvicted();
  const std::string text = m.Render();
  EXPECT_TRUE(Has(text, "keyward_verifications_total{outcome=\"VALID\"} 2"));
  EXPECT_TRUE(Has(text, "keyward_verifications_total{outcome=\"NOT_FOUND\"} 1"));
  EXPECT_LT(text.find("outcome=\"NOT_FOUND\""), text.find("outcome=\"VALID\""));
  EXPECT_TRUE(Has(text, "keyward_audit_events_dropped_total 1"));
  EXPECT_TRUE(Has(text, "keyward_connections_refused_total 2"));
  EXPECT_TRUE(Has(text, "keyward_connections_evicted_total 1"));
  EXPECT_NE(
      text.find("# TYPE keyward_start_time_seconds gauge\nkeyward_start_time_seconds "),
      std::string::npos);
}

TEST(MetricsTest, StatusOutsideHttpRangeIsNotCounted) {
  Metrics m;
  m.ObserveRequest("/r", 99, 0.1);
  m.ObserveRequest("/r", 600, 0.1);
  EXPECT_EQ(m.Render().find("route=\"/r\""), std::string::npos);
}

TEST(MetricsTest, ConcurrentCountsAddUpWhileScraped) {
  Metrics m;
  constexpr int kThreads = 4, kEach = 20000;
  const char* routes[] = {"/a", "/b", "/c", "/d", "/e"};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        m.ObserveRequest(routes[(i + t) % 5], 200, 0.001);
        m.CountVerification(i % 2 ? "VALID" : "EXPIRED");
      }
    });
  }
  for (int i = 0; i < 20; ++i) (void)m.Render();  // scrapes racing the counting
  for (auto& t : threads) t.join();
  const std::string text = m.Render();
  for (const char* r : routes) {
    EXPECT_TRUE(Has(text, std::string("keyward_http_requests_total{route=\"") + r +
                              "\",status=\"200\"} " +
                              std::to_string(kThreads * kEach / 5)));
  }
  EXPECT_TRUE(Has(text, "keyward_verifications_total{outcome=\"VALID\"} " +
                            std::to_string(kThreads * kEach / 2)));
}

}  // namespace
}  // namespace keyward::metrics
