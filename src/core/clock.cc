#include "keyward/core/clock.h"

#include <chrono>

namespace keyward::core {

UnixSeconds SystemClock::Now() const {
  // system_clock is Unix time since C++20.
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace keyward::core
