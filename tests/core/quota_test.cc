#include "keyward/core/quota.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "keyward/core/time_util.h"

namespace keyward::core {
namespace {

UnixSeconds At(std::int64_t y, unsigned m, unsigned d, int hh = 0, int mm = 0,
               int ss = 0) {
  return DaysFromCivil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

TEST(RefillPeriodTest, BoundariesAreUtcDaysAndMonths) {
  struct Case {
    RefillInterval interval;
    UnixSeconds a, b;
    bool same_period;
  };
  const Case cases[] = {
      {RefillInterval::kDaily, At(2030, 1, 31, 0, 0, 0), At(2030, 1, 31, 23, 59, 59),
       true},
      {RefillInterval::kDaily, At(2030, 1, 31, 23, 59, 59), At(2030, 2, 1), false},
      {RefillInterval::kMonthly, At(2030, 1, 1), At(2030, 1, 31, 23, 59, 59), true},
      {RefillInterval::kMonthly, At(2030, 1, 31, 23, 59, 59), At(2030, 2, 1), false},
      {RefillInterval::kMonthly, At(2028, 2, 29, 12), At(2028, 2, 1), true},  // leap day
      {RefillInterval::kMonthly, At(2029, 12, 31, 23, 59, 59), At(2030, 1, 1), false},
      {RefillInterval::kMonthly, At(2030, 3, 15), At(2031, 3, 15),
       false},  // a year apart
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RefillPeriod(c.interval, c.a) == RefillPeriod(c.interval, c.b),
              c.same_period)
        << FormatRfc3339(c.a) << " vs " << FormatRfc3339(c.b);
  }
}

TEST(RefillPeriodTest, PeriodStartIsTheFirstSecond) {
  struct Case {
    RefillInterval interval;
    UnixSeconds t;
    UnixSeconds start;
  };
  const Case cases[] = {
      {RefillInterval::kDaily, At(2030, 1, 31, 13, 14, 15), At(2030, 1, 31)},
      {RefillInterval::kDaily, 0, 0},
      {RefillInterval::kMonthly, At(2030, 1, 31, 13), At(2030, 1, 1)},
      {RefillInterval::kMonthly, At(2028, 2, 29, 23, 59, 59), At(2028, 2, 1)},
      {RefillInterval::kMonthly, At(1970, 1, 5), 0},
      {RefillInterval::kMonthly, -5, 0},  // before 1970 clamps to the first period
  };
  for (const auto& c : cases) {
    const std::int64_t period = RefillPeriod(c.interval, c.t);
    EXPECT_EQ(RefillPeriodStart(c.interval, period), c.start) << FormatRfc3339(c.t);
    EXPECT_EQ(RefillPeriod(c.interval, RefillPeriodStart(c.interval, period + 1)),
              period + 1);
  }
}

TEST(QuotaCellTest, ConsumesDownToZeroThenRefuses) {
  QuotaCell cell;
  cell.Reset({3, 0});
  EXPECT_EQ(cell.Peek(std::nullopt, 0), 3);
  EXPECT_EQ(cell.Consume(std::nullopt, 0), 2);
  EXPECT_EQ(cell.Consume(std::nullopt, 0), 1);
  EXPECT_EQ(cell.Consume(std::nullopt, 0), 0);
  EXPECT_EQ(cell.Consume(std::nullopt, 0), std::nullopt);
  EXPECT_EQ(cell.Consume(std::nullopt, 99), std::nullopt);  // no refill: periods ignored
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{0, 0}));
}

TEST(QuotaCellTest, RefillScenarios) {
  const QuotaRefill daily{5, RefillInterval::kDaily};
  struct Step {
    std::int64_t period;
    std::optional<std::int64_t> result;  // of Consume
  };
  struct Scenario {
    std::string name;
    QuotaCell::Value start;
    std::optional<QuotaRefill> refill;
    std::vector<Step> steps;
  };
  const Scenario scenarios[] = {
      {"refill sets (not adds) the amount in a new period",
       {2, 10},
       daily,
       {{10, 1}, {11, 4}, {11, 3}}},
      {"spent quota comes back at the next boundary only",
       {0, 10},
       daily,
       {{10, std::nullopt}, {10, std::nullopt}, {11, 4}}},
      {"several skipped periods refill once", {1, 10}, daily, {{20, 4}, {20, 3}}},
      {"refill to zero refuses and is not redone",
       {3, 10},
       QuotaRefill{0, RefillInterval::kDaily},
       {{11, std::nullopt}, {11, std::nullopt}}},
      {"an older period never refills", {1, 10}, daily, {{9, 0}, {9, std::nullopt}}},
  };
  for (const auto& s : scenarios) {
    QuotaCell cell;
    cell.Reset(s.start);
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
      EXPECT_EQ(cell.Consume(s.refill, s.steps[i].period), s.steps[i].result)
          << s.name << ", step " << i;
    }
  }
}

TEST(QuotaCellTest, PeekAppliesADueRefillWithoutStoringIt) {
  QuotaCell cell;
  cell.Reset({0, 10});
  const QuotaRefill refill{7, RefillInterval::kMonthly};
  EXPECT_EQ(cell.Peek(refill, 10), 0);
  EXPECT_EQ(cell.Peek(refill, 11), 7);
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{0, 10}));
}

TEST(QuotaCellTest, ResetClampsToTheRepresentableRange) {
  QuotaCell cell;
  cell.Reset({-4, 3});
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{0, 3}));
  cell.Reset({kMaxQuota + 10, 3});
  EXPECT_EQ(cell.Load().remaining, kMaxQuota);
  EXPECT_EQ(cell.Consume(std::nullopt, 3), kMaxQuota - 1);
}

TEST(QuotaCellTest, ConcurrentConsumersTakeExactlyTheQuota) {
  QuotaCell cell;
  cell.Reset({1000, 0});
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (cell.Consume(std::nullopt, 0)) granted.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(granted.load(), 1000);
  EXPECT_EQ(cell.Load().remaining, 0);
}

TEST(QuotaCellTest, ConcurrentRefillHappensOnce) {
  QuotaCell cell;
  cell.Reset({0, 1});
  const QuotaRefill refill{100, RefillInterval::kDaily};
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (cell.Consume(refill, 2)) granted.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(granted.load(), 100);
}

}  // namespace
}  // namespace keyward::core

namespace keyward::core {
namespace {

TEST(QuotaCellObserveTest, KeepsTheLowerCountOfAPeriodOrTheNewerPeriod) {
  QuotaCell cell;
  cell.Reset({10, 5});
  cell.Observe({7, 5});
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{7, 5}));
  cell.Observe({8, 5});  // an older answer arriving late
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{7, 5}));
  cell.Observe({20, 6});  // refilled in a later period
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{20, 6}));
  cell.Observe({0, 5});  // from an earlier period: ignored
  EXPECT_EQ(cell.Load(), (QuotaCell::Value{20, 6}));
}

}  // namespace
}  // namespace keyward::core
