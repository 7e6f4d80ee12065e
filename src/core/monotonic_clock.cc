#include "keyward/core/monotonic_clock.h"

#include <chrono>

namespace keyward::core {

MonoNanos SteadyClock::NowNanos() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace keyward::core
