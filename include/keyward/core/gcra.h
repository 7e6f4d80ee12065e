// GcraCell: one key's rate limiter, the Generic Cell Rate Algorithm (GCRA).
//
// A limit of `limit` requests per `window_seconds` gives each request a cost of
// T = window / limit. The cell stores one number, the theoretical arrival time
// (TAT): the moment at which every request admitted so far would have been "paid
// off". A request at `now` is admitted when TAT' = max(TAT, now) + T lies no more
// than one window ahead of `now`; it then becomes the new TAT. So an idle key may
// burst `limit` requests at once, after which it gets one more every T: the same
// long-run rate as a sliding window, with no per-window reset cliff and one word of
// state. See docs/policy.md.
//
// Thread-safe and lock-free: the TAT is one atomic updated with compare-exchange,
// so keys never share a lock and concurrent requests on one key never over-admit.
#ifndef KEYWARD_CORE_GCRA_H_
#define KEYWARD_CORE_GCRA_H_

#include <atomic>
#include <cstdint>
#include <limits>

#include "keyward/core/monotonic_clock.h"
#include "keyward/core/records.h"

namespace keyward::core {

// What a client is told about a key's limit (the IETF RateLimit fields).
struct RateLimitStatus {
  std::int64_t limit = 0;                // q: requests per window
  std::int64_t window_seconds = 0;       // w
  std::int64_t remaining = 0;            // r: requests that would be admitted right now
  std::int64_t reset_seconds = 0;        // t: seconds until the full limit is back
  bool limited = false;                  // this request was refused
  std::int64_t retry_after_seconds = 0;  // when limited: >= 1, else 0
};

class GcraCell {
 public:
  GcraCell() = default;
  GcraCell(const GcraCell&) = delete;
  GcraCell& operator=(const GcraCell&) = delete;

  // Admits one request under `limit` at `now` if the limit allows, and reports the
  // state after the decision. A refused request changes nothing.
  RateLimitStatus Acquire(const RateLimit& limit, MonoNanos now);

  // The state at `now`, consuming nothing.
  RateLimitStatus Peek(const RateLimit& limit, MonoNanos now) const;

  // The key's limit changed from `from` to `to`: re-expresses the requests still
  // "owed" under the old limit as the same number of requests under the new one
  // (capped at one full window), so raising a limit helps at once and lowering it
  // does not lock a key out for longer than one window.
  void Rescale(const RateLimit& from, const RateLimit& to, MonoNanos now);

 private:
  // Far in the past: an unused cell admits a full burst.
  std::atomic<MonoNanos> tat_{std::numeric_limits<MonoNanos>::min() / 2};
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_GCRA_H_
