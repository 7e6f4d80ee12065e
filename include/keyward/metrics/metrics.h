// Metrics: the process's Prometheus counters and histograms.
//
// Labels are closed sets chosen by the code (route patterns like "/v1/keys/{id}",
// status codes, outcome codes), never request data, so no key material can reach a
// label and cardinality stays bounded. Thread-safe.
//
// Every request counts here, so the counting path takes no lock and allocates
// nothing: each label value gets a slot of relaxed atomics the first time it is
// seen (that first time takes a mutex); later calls find the slot by a scan of the
// published names. Render() reads the atomics; a scrape racing with requests may
// see a histogram whose count is one ahead of its buckets, as any lock-free
// Prometheus client allows.
#ifndef KEYWARD_METRICS_METRICS_H_
#define KEYWARD_METRICS_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace keyward::metrics {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `route` is the matched route pattern ("unmatched" when none matched). A status
  // outside 100..599 (no response has one) is not counted.
  void ObserveRequest(std::string_view route, int status, double seconds);
  // `outcome` is a verification code such as "VALID".
  void CountVerification(std::string_view outcome);
  // limits.backend = redis://...: whether Redis answers, and every limits decision
  // it could not make (decided by limits.on_backend_error instead). Rendered only
  // once SetLimitsBackendUp was called, so a local-only process shows neither.
  void SetLimitsBackendUp(bool up) {
    limits_backend_state_.store(up ? 2 : 1, std::memory_order_relaxed);
  }
  void CountLimitsBackendError() {
    limits_backend_errors_.fetch_add(1, std::memory_order_relaxed);
  }
  // An auth.denied audit event dropped because the audit queue was full.
  void CountAuditDrop() { audit_dropped_.fetch_add(1, std::memory_order_relaxed); }
  // A connection closed at accept (limits.max_connections, max_connections_per_ip).
  void CountConnectionRefused() {
    connections_refused_.fetch_add(1, std::memory_order_relaxed);
  }
  // A waiting connection closed to make room for a new one.
  void CountConnectionEvicted() {
    connections_evicted_.fetch_add(1, std::memory_order_relaxed);
  }

  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

  static constexpr std::array<double, 12> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};
  // More distinct routes or outcomes than this are folded into the last slot's
  // name; the code has about 30 routes and 11 outcomes.
  static constexpr std::size_t kMaxLabels = 64;
  static constexpr int kMinStatus = 100, kMaxStatus = 599;

 private:
  struct RouteSlot {
    std::string name;  // immutable once published
    std::array<std::atomic<std::uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
    // Non-cumulative: bucket i counts observations in (kBuckets[i-1], kBuckets[i]];
    // the last one those above every bound. Render() accumulates.
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<double> sum{0};
  };
  struct CounterSlot {
    std::string name;
    std::atomic<std::uint64_t> value{0};
  };
  // Append-only name table: slots [0, published) are complete and never move.
  template <typename Slot>
  struct Table {
    std::array<std::unique_ptr<Slot>, kMaxLabels> slots;
    std::atomic<std::size_t> published{0};
  };
  template <typename Slot>
  Slot& Find(Table<Slot>& table, std::string_view name);

  std::mutex add_mu_;  // serializes only the publication of a new name
  Table<RouteSlot> routes_;
  Table<CounterSlot> verifications_;
  std::atomic<std::uint64_t> audit_dropped_{0};
  std::atomic<std::uint64_t> connections_refused_{0};
  std::atomic<std::uint64_t> connections_evicted_{0};
  std::atomic<int> limits_backend_state_{0};  // 0: none, 1: down, 2: up
  std::atomic<std::uint64_t> limits_backend_errors_{0};
  const std::int64_t start_time_;
};

}  // namespace keyward::metrics

#endif  // KEYWARD_METRICS_METRICS_H_
