#include "keyward/core/periodic_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace keyward::core {
namespace {

using std::chrono::milliseconds;

// Waits (generously: this is about "happens", not about speed) for `pred`.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 1000 && !pred(); ++i) std::this_thread::sleep_for(milliseconds(5));
  return pred();
}

TEST(PeriodicWorkerTest, TicksEveryInterval) {
  std::atomic<int> ticks{0};
  PeriodicWorker w(milliseconds(1), [&] { ++ticks; });
  w.Start();
  EXPECT_TRUE(Eventually([&] { return ticks >= 3; }));
}

TEST(PeriodicWorkerTest, WakeRunsTheNextTickNow) {
  std::atomic<int> ticks{0};
  PeriodicWorker w(std::chrono::hours(1), [&] { ++ticks; });
  w.Start();
  EXPECT_EQ(ticks, 0);
  w.Wake();
  EXPECT_TRUE(Eventually([&] { return ticks == 1; }));
}

TEST(PeriodicWorkerTest, NoTickAfterStopAndNoRestart) {
  std::atomic<int> ticks{0};
  PeriodicWorker w(milliseconds(1), [&] { ++ticks; });
  w.Start();
  ASSERT_TRUE(Eventually([&] { return ticks >= 1; }));
  w.Stop();
  const int at_stop = ticks;
  w.Start();  // a stopped worker stays stopped
  w.Wake();
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(ticks, at_stop);
  w.Stop();  // idempotent
}

TEST(PeriodicWorkerTest, StopBeforeStartIsHarmless) {
  PeriodicWorker w(milliseconds(1), [] {});
  w.Stop();
}

}  // namespace
}  // namespace keyward::core
