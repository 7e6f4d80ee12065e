// MonotonicClock: nanosecond time that never goes backwards, for rate limits and
// throttling windows, where sub-second resolution matters and a wall-clock step
// (NTP, an admin changing the date) must neither free nor block anybody.
//
// SteadyClock reads std::chrono::steady_clock; FakeMonotonicClock holds a settable
// value for tests. Both are thread-safe (the fake uses an atomic).
#ifndef KEYWARD_CORE_MONOTONIC_CLOCK_H_
#define KEYWARD_CORE_MONOTONIC_CLOCK_H_

#include <atomic>
#include <cmath>
#include <cstdint>

namespace keyward::core {

using MonoNanos = std::int64_t;

inline constexpr MonoNanos kNanosPerSecond = 1'000'000'000;

class MonotonicClock {
 public:
  virtual ~MonotonicClock() = default;
  // Nanoseconds since an arbitrary, fixed origin (boot, for SteadyClock).
  virtual MonoNanos NowNanos() const = 0;
};

class SteadyClock final : public MonotonicClock {
 public:
  MonoNanos NowNanos() const override;
};

class FakeMonotonicClock final : public MonotonicClock {
 public:
  // Starts away from zero so arithmetic bugs around the origin show up in tests.
  explicit FakeMonotonicClock(MonoNanos now = 1'000 * kNanosPerSecond) : now_(now) {}
  MonoNanos NowNanos() const override { return now_.load(std::memory_order_relaxed); }
  void Advance(MonoNanos nanos) { now_.fetch_add(nanos, std::memory_order_relaxed); }
  void AdvanceSeconds(double seconds) {
    Advance(std::llround(seconds * static_cast<double>(kNanosPerSecond)));
  }

 private:
  std::atomic<MonoNanos> now_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_MONOTONIC_CLOCK_H_
