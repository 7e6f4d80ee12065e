// LimitBackend: where the counters that must agree across replicas live — the rate
// limiter, remaining_uses and the failed-authentication throttle — when they are
// not this process's own (contract section 7, limits.backend).
//
// core/ only names the interface; limits/ implements it on Redis. Without a backend
// (limits.backend = local) the policies use their lock-free in-process cells and
// never reach this code. Every call answers std::nullopt when the backend could not
// decide (unreachable, timed out, or its circuit is open): the caller then applies
// limits.on_backend_error. An error never becomes an admission by itself.
//
// `counter` names a shared cell: a key id (never the key), so no secret reaches the
// backend. Thread-safe: implementations are called from every I/O thread at once.
#ifndef KEYWARD_CORE_LIMIT_BACKEND_H_
#define KEYWARD_CORE_LIMIT_BACKEND_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "keyward/core/gcra.h"
#include "keyward/core/quota.h"
#include "keyward/core/records.h"

namespace keyward::core {

// limits.on_backend_error: what a request gets while the backend cannot decide.
enum class BackendErrorMode {
  kLocal,  // count in this process alone, as limits.backend = local does
  kDeny,   // refuse with 429 (RATE_LIMITED, Retry-After: 1)
};

class LimitBackend {
 public:
  virtual ~LimitBackend() = default;

  // Admits one request of `counter` under `limit` (GCRA, the same algorithm and
  // numbers as GcraCell, on the backend's clock), or refuses it; reports the state.
  virtual std::optional<RateLimitStatus> AcquireRate(std::string_view counter,
                                                     const RateLimit& limit) = 0;

  struct QuotaTake {
    bool taken = false;      // false: no use was left (USAGE_EXCEEDED)
    QuotaCell::Value value;  // the shared count and its refill period after the call
  };
  // Takes one use of `counter`'s quota for `epoch`. The shared count is created
  // from `seed` (this process's copy, itself loaded from the store) when the backend
  // has none for that epoch yet (SET-if-absent: the first replica's copy wins); with
  // no seed and no shared count, nothing is taken. With `refill`, a count from a
  // period before `period` first becomes refill->amount. Never goes below zero.
  virtual std::optional<QuotaTake> ConsumeQuota(std::string_view counter,
                                                std::int64_t epoch,
                                                std::optional<QuotaCell::Value> seed,
                                                const std::optional<QuotaRefill>& refill,
                                                std::int64_t period) = 0;

  // Failed-authentication throttle of one client block (`who`: AuthThrottle's key,
  // hex). Seconds (>= 1) the block must wait, or 0 when it may present credentials.
  virtual std::optional<std::int64_t> ThrottleWait(std::string_view who, int max_failures,
                                                   std::int64_t window_seconds) = 0;
  // Counts one failure of `who`; its window opens at its first failure.
  virtual bool ThrottleRecord(std::string_view who, std::int64_t window_seconds) = 0;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_LIMIT_BACKEND_H_
