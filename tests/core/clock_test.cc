#include "keyward/core/clock.h"

#include <gtest/gtest.h>

#include <ctime>
#include <thread>
#include <vector>

namespace keyward::core {
namespace {

TEST(SystemClockTest, ReadsUnixTime) {
  const UnixSeconds before = std::time(nullptr);
  const UnixSeconds now = SystemClock().Now();
  const UnixSeconds after = std::time(nullptr);
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

TEST(FakeClockTest, ReturnsWhatWasSetAndAdvances) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.Now(), 1000);
  clock.Advance(5);
  EXPECT_EQ(clock.Now(), 1005);
  clock.Set(42);
  EXPECT_EQ(clock.Now(), 42);
}

TEST(FakeClockTest, AdvancesFromManyThreadsWithoutLosingTicks) {
  FakeClock clock(0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) clock.Advance(1);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(clock.Now(), 40000);
}

}  // namespace
}  // namespace keyward::core
