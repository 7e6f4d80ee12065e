// Clock: the only way core/ learns the current time, so tests can control it.
//
// SystemClock reads the real-time clock; FakeClock holds a settable time. Both are
// thread-safe: Now() may race with FakeClock::Set()/Advance() (atomic).
#ifndef KEYWARD_CORE_CLOCK_H_
#define KEYWARD_CORE_CLOCK_H_

#include <atomic>

#include "keyward/core/records.h"

namespace keyward::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current time in whole Unix seconds (UTC).
  virtual UnixSeconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds now = 0) : now_(now) {}
  UnixSeconds Now() const override { return now_.load(std::memory_order_relaxed); }
  void Set(UnixSeconds now) { now_.store(now, std::memory_order_relaxed); }
  void Advance(std::int64_t seconds) {
    now_.fetch_add(seconds, std::memory_order_relaxed);
  }

 private:
  std::atomic<UnixSeconds> now_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_CLOCK_H_
