// UsagePolicy: the after-scope checks that count requests — the key's rate limit
// (RATE_LIMITED) and then its remaining uses (USAGE_EXCEEDED).
//
// Runs last, so a use is taken only when every other check passed; a request refused
// by the rate limit takes no use. Both counters live in the key's KeyRuntime and are
// updated lock-free. Report() fills the same state for a key that was found but
// refused earlier (REVOKED, FORBIDDEN_IP, ...), consuming nothing, so every response
// about a known key can carry its RateLimit fields.
//
// With a shared LimitBackend (limits.backend = redis://...) both counters are
// decided by the backend instead, under the key's counter id (the successor's id
// for a rotated key, so the pair shares one budget as it does locally); the
// backend's remaining uses are mirrored into the local cell (QuotaCell::Observe)
// so the quota flusher persists them and a fallback starts from them. When the
// backend cannot decide, on_backend_error picks the local cells or a refusal.
// Report() stays local: headers on a refused request are this replica's view.
// Thread-safe; UseSharedBackend must be called before any verification runs.
#ifndef KEYWARD_CORE_USAGE_POLICY_H_
#define KEYWARD_CORE_USAGE_POLICY_H_

#include <cstdint>
#include <optional>

#include "keyward/core/clock.h"
#include "keyward/core/key_runtime_table.h"
#include "keyward/core/limit_backend.h"
#include "keyward/core/monotonic_clock.h"
#include "keyward/core/verifier.h"

namespace keyward::core {

class UsagePolicy final : public PolicyCheck {
 public:
  // References must outlive the policy. `clock` is the wall clock (refill periods),
  // `mono` the limiter's clock.
  UsagePolicy(KeyRuntimeTable& table, const Clock& clock, const MonotonicClock& mono)
      : table_(table), clock_(clock), mono_(mono) {}

  Outcome Check(const VerifyInput& input, const KeyRecord& key, UnixSeconds now,
                Decision& decision) const override;

  // For a decision with a key but no rate-limit state yet: fills ratelimit (and
  // quota, for keys with one) as of now without consuming anything.
  void Report(Decision& decision) const;

  // The live remaining uses of `key` when this process holds a count for the same
  // quota epoch; otherwise the record's own value.
  std::optional<std::int64_t> LiveRemaining(const KeyRecord& key) const;

  // Decides rate limits and quotas on `backend` (not owned; must outlive the
  // policy), with `mode` when it cannot. Before serving only.
  void UseSharedBackend(LimitBackend* backend, BackendErrorMode mode) {
    shared_ = backend;
    mode_ = mode;
  }

 private:
  Outcome CheckLocal(const KeyRuntime& runtime, UnixSeconds now,
                     Decision& decision) const;
  Outcome CheckShared(const KeyRuntime& runtime, UnixSeconds now,
                      Decision& decision) const;
  // The 429 of on_backend_error = deny.
  Outcome Deny(const KeyRuntime& runtime, Decision& decision) const;

  KeyRuntimeTable& table_;
  const Clock& clock_;
  const MonotonicClock& mono_;
  LimitBackend* shared_ = nullptr;
  BackendErrorMode mode_ = BackendErrorMode::kLocal;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_USAGE_POLICY_H_
