#include "keyward/metrics/metrics.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace keyward::metrics {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

// Published slots in label order, as the old std::map-based exposition had them.
template <typename Slot, typename Table>
std::vector<const Slot*> Sorted(const Table& table) {
  std::vector<const Slot*> out;
  const std::size_t n = table.published.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < n; ++i) out.push_back(table.slots[i].get());
  std::sort(out.begin(), out.end(),
            [](const Slot* a, const Slot* b) { return a->name < b->name; });
  return out;
}

// A counter without labels: its HELP and TYPE lines and its sample.
void AppendCounter(std::string& out, std::string_view name, std::string_view help,
                   std::uint64_t value) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" counter\n");
  out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

}  // namespace

Metrics::Metrics()
    : start_time_(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()) {}

Metrics::~Metrics() = default;

template <typename Slot>
Slot& Metrics::Find(Table<Slot>& table, std::string_view name) {
  std::size_t n = table.published.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < n; ++i) {
    if (table.slots[i]->name == name) return *table.slots[i];
  }
  std::lock_guard lock(add_mu_);
  n = table.published.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < n; ++i) {
    if (table.slots[i]->name == name) return *table.slots[i];
  }
  if (n == kMaxLabels) return *table.slots[n - 1];  // bounded, whatever callers do
  table.slots[n] = std::make_unique<Slot>();
  table.slots[n]->name = std::string(name);
  table.published.store(n + 1, std::memory_order_release);
  return *table.slots[n];
}

void Metrics::ObserveRequest(std::string_view route, int status, double seconds) {
  if (status < kMinStatus || status > kMaxStatus) return;
  RouteSlot& slot = Find(routes_, route);
  slot.by_status[static_cast<std::size_t>(status - kMinStatus)].fetch_add(1, kRelaxed);
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  slot.buckets[bucket].fetch_add(1, kRelaxed);
  slot.sum.fetch_add(seconds, kRelaxed);
  // Last, with release: a scrape that sees the count sees the bucket too.
  slot.count.fetch_add(1, std::memory_order_release);
}

void Metrics::CountVerification(std::string_view outcome) {
  Find(verifications_, outcome).value.fetch_add(1, kRelaxed);
}

std::string Metrics::Render() const {
  const auto routes = Sorted<RouteSlot>(routes_);
  std::string out;
  out += "# HELP keyward_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE keyward_http_requests_total counter\n";
  for (const RouteSlot* r : routes) {
    for (std::size_t i = 0; i < r->by_status.size(); ++i) {
      const std::uint64_t n = r->by_status[i].load(kRelaxed);
      if (n == 0) continue;
      out += "keyward_http_requests_total{route=\"" + r->name + "\",status=\"" +
             std::to_string(kMinStatus + static_cast<int>(i)) + "\"} " +
             std::to_string(n) + "\n";
    }
  }
  out += "# HELP keyward_http_request_duration_seconds Request handling time by route.\n";
  out += "# TYPE keyward_http_request_duration_seconds histogram\n";
  for (const RouteSlot* r : routes) {
    const std::uint64_t count = r->count.load(std::memory_order_acquire);
    if (count == 0) continue;  // published, not yet observed
    const std::string label = "route=\"" + r->name + "\"";
    std::uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += r->buckets[i].load(kRelaxed);
      out += "keyward_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             Number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "keyward_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(count) + "\n";
    out += "keyward_http_request_duration_seconds_sum{" + label + "} " +
           Number(r->sum.load(kRelaxed)) + "\n";
    out += "keyward_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(count) + "\n";
  }
  out += "# HELP keyward_verifications_total Key verifications by outcome code.\n";
  out += "# TYPE keyward_verifications_total counter\n";
  for (const CounterSlot* c : Sorted<CounterSlot>(verifications_)) {
    const std::uint64_t n = c->value.load(kRelaxed);
    if (n == 0) continue;
    out += "keyward_verifications_total{outcome=\"" + c->name + "\"} " +
           std::to_string(n) + "\n";
  }
  AppendCounter(out, "keyward_audit_events_dropped_total",
                "auth.denied audit events dropped because the audit queue was full.",
                audit_dropped_.load(kRelaxed));
  AppendCounter(out, "keyward_connections_refused_total",
                "Connections closed as soon as they were accepted: "
                "limits.max_connections were open and busy, or the client held "
                "limits.max_connections_per_ip.",
                connections_refused_.load(kRelaxed));
  AppendCounter(out, "keyward_connections_evicted_total",
                "Connections waiting for a request closed to make room for a new one "
                "at limits.max_connections.",
                connections_evicted_.load(kRelaxed));
  if (const int state = limits_backend_state_.load(kRelaxed); state != 0) {
    out +=
        "# HELP keyward_limits_backend_up 1 while the Redis of limits.backend "
        "answers.\n";
    out += "# TYPE keyward_limits_backend_up gauge\n";
    out += "keyward_limits_backend_up " + std::to_string(state == 2 ? 1 : 0) + "\n";
    out +=
        "# HELP keyward_limits_backend_errors_total Limits decisions the Redis "
        "backend could not make (decided by limits.on_backend_error).\n";
    out += "# TYPE keyward_limits_backend_errors_total counter\n";
    out += "keyward_limits_backend_errors_total " +
           std::to_string(limits_backend_errors_.load(kRelaxed)) + "\n";
  }
  out += "# HELP keyward_start_time_seconds Unix time the process started.\n";
  out += "# TYPE keyward_start_time_seconds gauge\n";
  out += "keyward_start_time_seconds " + std::to_string(start_time_) + "\n";
  return out;
}

}  // namespace keyward::metrics
