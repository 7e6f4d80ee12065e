// Metrics: the process's Prometheus counters and histograms.
//
// Labels are closed sets chosen by the code (route patterns like "/v1/keys/{id}",
// status codes, outcome codes), never request data, so no key material can reach a
// label and cardinality stays bounded. Thread-safe.
#ifndef KEYWARD_METRICS_METRICS_H_
#define KEYWARD_METRICS_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace keyward::metrics {

class Metrics {
 public:
  Metrics();

  // `route` is the matched route pattern ("unmatched" when none matched).
  void ObserveRequest(std::string_view route, int status, double seconds);
  // `outcome` is a verification code such as "VALID".
  void CountVerification(std::string_view outcome);
  // An auth.denied audit event dropped because the audit queue was full.
  void CountAuditDrop() { ++audit_dropped_; }

  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

  static constexpr std::array<double, 12> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  std::map<std::string, std::uint64_t> verifications_;
  std::atomic<std::uint64_t> audit_dropped_{0};
  const std::int64_t start_time_;
};

}  // namespace keyward::metrics

#endif  // KEYWARD_METRICS_METRICS_H_
