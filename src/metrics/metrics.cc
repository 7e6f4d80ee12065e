#include "keyward/metrics/metrics.h"

#include <chrono>
#include <cstdio>

namespace keyward::metrics {
namespace {

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

}  // namespace

Metrics::Metrics()
    : start_time_(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()) {}

void Metrics::ObserveRequest(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), status}];
  Histogram& h = durations_[std::string(route)];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::CountVerification(std::string_view outcome) {
  std::lock_guard lock(mu_);
  ++verifications_[std::string(outcome)];
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP keyward_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE keyward_http_requests_total counter\n";
  for (const auto& [k, n] : requests_) {
    out += "keyward_http_requests_total{route=\"" + k.first + "\",status=\"" +
           std::to_string(k.second) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP keyward_http_request_duration_seconds Request handling time by route.\n";
  out += "# TYPE keyward_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string label = "route=\"" + route + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += "keyward_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             Number(kBuckets[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "keyward_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "keyward_http_request_duration_seconds_sum{" + label + "} " + Number(h.sum) +
           "\n";
    out += "keyward_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(h.count) + "\n";
  }
  out += "# HELP keyward_verifications_total Key verifications by outcome code.\n";
  out += "# TYPE keyward_verifications_total counter\n";
  for (const auto& [code, n] : verifications_) {
    out += "keyward_verifications_total{outcome=\"" + code + "\"} " + std::to_string(n) +
           "\n";
  }
  out +=
      "# HELP keyward_audit_events_dropped_total auth.denied audit events dropped "
      "because the audit queue was full.\n";
  out += "# TYPE keyward_audit_events_dropped_total counter\n";
  out += "keyward_audit_events_dropped_total " + std::to_string(audit_dropped_.load()) +
         "\n";
  out += "# HELP keyward_start_time_seconds Unix time the process started.\n";
  out += "# TYPE keyward_start_time_seconds gauge\n";
  out += "keyward_start_time_seconds " + std::to_string(start_time_) + "\n";
  return out;
}

}  // namespace keyward::metrics
