#include "keyward/core/gcra.h"

#include <algorithm>

namespace keyward::core {
namespace {

// The API and the config cap both numbers at 10^9; the clamps keep a hand-edited
// database from overflowing the nanosecond arithmetic (10^9 s = 10^18 ns).
constexpr std::int64_t kMaxWindowSeconds = 1'000'000'000;
constexpr std::int64_t kMaxLimit = 1'000'000'000;

struct Params {
  std::int64_t limit;
  std::int64_t window_seconds;
  MonoNanos cost;    // T: the emission interval
  MonoNanos window;  // T * limit (<= the nominal window because of rounding)
};

Params ParamsFor(const RateLimit& rl) {
  Params p;
  p.limit = std::clamp<std::int64_t>(rl.limit, 1, kMaxLimit);
  p.window_seconds = std::clamp<std::int64_t>(rl.window_seconds, 1, kMaxWindowSeconds);
  p.cost = std::max<MonoNanos>(1, p.window_seconds * kNanosPerSecond / p.limit);
  p.window = p.cost * p.limit;
  return p;
}

std::int64_t CeilSeconds(MonoNanos nanos) {
  if (nanos <= 0) return 0;
  return (nanos + kNanosPerSecond - 1) / kNanosPerSecond;
}

RateLimitStatus StatusAt(const Params& p, MonoNanos tat, MonoNanos now) {
  const MonoNanos debt = std::max<MonoNanos>(0, tat - now);
  RateLimitStatus s;
  s.limit = p.limit;
  s.window_seconds = p.window_seconds;
  s.remaining = std::max<std::int64_t>(0, (p.window - debt) / p.cost);
  s.reset_seconds = CeilSeconds(debt);
  return s;
}

}  // namespace

RateLimitStatus GcraCell::Acquire(const RateLimit& limit, MonoNanos now) {
  const Params p = ParamsFor(limit);
  MonoNanos tat = tat_.load(std::memory_order_relaxed);
  for (;;) {
    const MonoNanos next = std::max(tat, now) + p.cost;
    if (next - now > p.window) {
      RateLimitStatus s = StatusAt(p, tat, now);
      s.limited = true;
      s.retry_after_seconds =
          std::max<std::int64_t>(1, CeilSeconds(next - p.window - now));
      return s;
    }
    if (tat_.compare_exchange_weak(tat, next, std::memory_order_relaxed)) {
      return StatusAt(p, next, now);
    }
  }
}

RateLimitStatus GcraCell::Peek(const RateLimit& limit, MonoNanos now) const {
  return StatusAt(ParamsFor(limit), tat_.load(std::memory_order_relaxed), now);
}

void GcraCell::Rescale(const RateLimit& from, const RateLimit& to, MonoNanos now) {
  const Params old_p = ParamsFor(from);
  const Params new_p = ParamsFor(to);
  MonoNanos tat = tat_.load(std::memory_order_relaxed);
  for (;;) {
    const MonoNanos debt = tat - now;
    if (debt <= 0) return;  // nothing owed: nothing to convert
    // Owed requests, a partly paid one counting as whole.
    const std::int64_t owed = (debt + old_p.cost - 1) / old_p.cost;
    const MonoNanos next = now + (owed >= new_p.limit ? new_p.window : owed * new_p.cost);
    if (tat_.compare_exchange_weak(tat, next, std::memory_order_relaxed)) return;
  }
}

}  // namespace keyward::core
