#include "keyward/core/gcra.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "keyward/core/monotonic_clock.h"

namespace keyward::core {
namespace {

// One request after advancing the fake clock, and what it must report.
struct Step {
  double advance_seconds;
  bool admitted;
  std::int64_t remaining;
  std::int64_t reset_seconds;
  std::int64_t retry_after_seconds;
};

struct Scenario {
  std::string name;
  RateLimit limit;
  std::vector<Step> steps;
};

TEST(GcraTest, Scenarios) {
  const Scenario scenarios[] = {
      {"burst of the full limit, then one per interval",
       {3, 60},
       {
           {0, true, 2, 20, 0},
           {0, true, 1, 40, 0},
           {0, true, 0, 60, 0},
           {0, false, 0, 60, 20},    // next slot frees in T = 20 s
           {19.5, false, 0, 41, 1},  // half a second to go: rounds up to 1
           {0.5, true, 0, 60, 0},    // exactly one request's worth came back
           {0, false, 0, 60, 20},
       }},
      {"idle time refills, but never above the limit",
       {3, 60},
       {
           {0, true, 2, 20, 0},
           {600, true, 2, 20, 0},  // ten windows idle still means one burst of 3
           {0, true, 1, 40, 0},
       }},
      {"partial refill",
       {3, 60},
       {
           {0, true, 2, 20, 0},
           {0, true, 1, 40, 0},
           {0, true, 0, 60, 0},
           {40, true, 1, 40, 0},  // two slots back, one used now
           {0, true, 0, 60, 0},
           {0, false, 0, 60, 20},
       }},
      {"limit of one",
       {1, 1},
       {
           {0, true, 0, 1, 0},
           {0, false, 0, 1, 1},
           {0.999, false, 0, 1, 1},  // 1 ms left rounds up
           {0.001, true, 0, 1, 0},
       }},
      {"window not divisible by the limit",
       {7, 1},
       {
           {0, true, 6, 1, 0},
           {0, true, 5, 1, 0},
           {0, true, 4, 1, 0},
           {0, true, 3, 1, 0},
           {0, true, 2, 1, 0},
           {0, true, 1, 1, 0},
           {0, true, 0, 1, 0},
           {0, false, 0, 1, 1},
       }},
  };
  for (const Scenario& s : scenarios) {
    FakeMonotonicClock clock;
    GcraCell cell;
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
      const Step& step = s.steps[i];
      clock.AdvanceSeconds(step.advance_seconds);
      const RateLimitStatus st = cell.Acquire(s.limit, clock.NowNanos());
      const std::string where = s.name + ", step " + std::to_string(i);
      EXPECT_EQ(!st.limited, step.admitted) << where;
      EXPECT_EQ(st.remaining, step.remaining) << where;
      EXPECT_EQ(st.reset_seconds, step.reset_seconds) << where;
      EXPECT_EQ(st.retry_after_seconds, step.retry_after_seconds) << where;
      EXPECT_EQ(st.limit, s.limit.limit) << where;
      EXPECT_EQ(st.window_seconds, s.limit.window_seconds) << where;
    }
  }
}

TEST(GcraTest, PeekConsumesNothing) {
  FakeMonotonicClock clock;
  GcraCell cell;
  const RateLimit limit{2, 10};
  RateLimitStatus st = cell.Peek(limit, clock.NowNanos());
  EXPECT_EQ(st.remaining, 2);
  EXPECT_EQ(st.reset_seconds, 0);
  EXPECT_FALSE(st.limited);
  for (int i = 0; i < 5; ++i) cell.Peek(limit, clock.NowNanos());
  EXPECT_EQ(cell.Acquire(limit, clock.NowNanos()).remaining, 1);
  EXPECT_EQ(cell.Peek(limit, clock.NowNanos()).remaining, 1);
  EXPECT_EQ(cell.Acquire(limit, clock.NowNanos()).remaining, 0);
  st = cell.Peek(limit, clock.NowNanos());
  EXPECT_EQ(st.remaining, 0);
  EXPECT_EQ(st.reset_seconds, 10);
  EXPECT_TRUE(cell.Acquire(limit, clock.NowNanos()).limited);
}

TEST(GcraTest, RaisingTheLimitHelpsAtOnce) {
  FakeMonotonicClock clock;
  GcraCell cell;
  const RateLimit small{3, 60}, big{100, 60};
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(cell.Acquire(small, clock.NowNanos()).limited);
  ASSERT_TRUE(cell.Acquire(small, clock.NowNanos()).limited);
  cell.Rescale(small, big, clock.NowNanos());
  // Three requests owed under the old limit are three under the new one.
  const RateLimitStatus st = cell.Acquire(big, clock.NowNanos());
  EXPECT_FALSE(st.limited);
  EXPECT_EQ(st.remaining, 96);
}

TEST(GcraTest, LoweringTheLimitLocksOutForAtMostOneWindow) {
  FakeMonotonicClock clock;
  GcraCell cell;
  const RateLimit big{100, 60}, small{2, 10};
  for (int i = 0; i < 50; ++i) ASSERT_FALSE(cell.Acquire(big, clock.NowNanos()).limited);
  cell.Rescale(big, small, clock.NowNanos());
  RateLimitStatus st = cell.Acquire(small, clock.NowNanos());
  EXPECT_TRUE(st.limited);
  EXPECT_EQ(st.retry_after_seconds, 5);  // one slot of the new limit
  clock.AdvanceSeconds(10);
  EXPECT_EQ(cell.Acquire(small, clock.NowNanos()).remaining, 1);
}

TEST(GcraTest, RescaleOfAnIdleCellChangesNothing) {
  FakeMonotonicClock clock;
  GcraCell cell;
  cell.Rescale({3, 60}, {5, 60}, clock.NowNanos());
  EXPECT_EQ(cell.Acquire({5, 60}, clock.NowNanos()).remaining, 4);
}

TEST(GcraTest, OutOfRangeLimitsAreClampedNotOverflowed) {
  FakeMonotonicClock clock;
  GcraCell cell;
  // Zero or negative numbers (a hand-edited database) behave as 1.
  EXPECT_FALSE(cell.Acquire({0, 0}, clock.NowNanos()).limited);
  EXPECT_TRUE(cell.Acquire({0, 0}, clock.NowNanos()).limited);
  GcraCell huge;
  const RateLimitStatus st =
      huge.Acquire({1'000'000'000, 1'000'000'000}, clock.NowNanos());
  EXPECT_FALSE(st.limited);
  EXPECT_EQ(st.remaining, 999'999'999);
}

TEST(GcraTest, ConcurrentRequestsNeverOverAdmit) {
  FakeMonotonicClock clock;  // frozen: nothing refills during the race
  GcraCell cell;
  const RateLimit limit{1000, 3600};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (!cell.Acquire(limit, clock.NowNanos()).limited) admitted.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(admitted.load(), 1000);
}

}  // namespace
}  // namespace keyward::core
