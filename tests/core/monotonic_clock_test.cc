#include "keyward/core/monotonic_clock.h"

#include <gtest/gtest.h>

namespace keyward::core {
namespace {

TEST(MonotonicClockTest, SteadyClockNeverGoesBackwards) {
  SteadyClock clock;
  MonoNanos last = clock.NowNanos();
  for (int i = 0; i < 1000; ++i) {
    const MonoNanos now = clock.NowNanos();
    EXPECT_GE(now, last);
    last = now;
  }
}

TEST(MonotonicClockTest, FakeClockMovesOnlyWhenTold) {
  FakeMonotonicClock clock(5);
  EXPECT_EQ(clock.NowNanos(), 5);
  clock.Advance(10);
  EXPECT_EQ(clock.NowNanos(), 15);
  clock.AdvanceSeconds(0.999);
  EXPECT_EQ(clock.NowNanos(), 15 + 999'000'000);
}

}  // namespace
}  // namespace keyward::core
