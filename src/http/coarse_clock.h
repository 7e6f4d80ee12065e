// Private: the steady clock as of the last timer tick, for connection bookkeeping.
//
// Every request moves its connection's deadline and idle mark several times, each a
// clock read. CLOCK_MONOTONIC costs ~40 ns here (the vDSO reads and scales the TSC;
// more under a hypervisor), CLOCK_MONOTONIC_COARSE ~9 ns (the time of the last tick,
// 1-4 ms old). Deadlines of seconds and the eviction's one-second stall test do not
// notice a few milliseconds; both clocks count from the same origin, so a coarse
// reading compares with steady_clock's (it is never ahead of it).
#ifndef KEYWARD_SRC_HTTP_COARSE_CLOCK_H_
#define KEYWARD_SRC_HTTP_COARSE_CLOCK_H_

#include <time.h>

#include <chrono>

namespace keyward::http::internal {

inline std::chrono::steady_clock::time_point CoarseSteadyNow() {
#if defined(CLOCK_MONOTONIC_COARSE)
  timespec ts{};
  if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) == 0) {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
  }
#endif
  return std::chrono::steady_clock::now();
}

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_COARSE_CLOCK_H_
