#include "keyward/core/auth_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace keyward::core {
namespace {

IpAddress Ip(const std::string& text) { return *IpAddress::Parse(text); }

constexpr MonoNanos kMinute = 60 * kNanosPerSecond;

TEST(AuthThrottleTest, BlocksPastTheLimitUntilTheWindowEnds) {
  FakeMonotonicClock clock;
  AuthThrottle throttle(3, kMinute, clock, 64, /*hash_seed=*/1);
  const IpAddress ip = Ip("203.0.113.9");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(throttle.Blocked(ip), 0) << i;
    throttle.RecordFailure(ip);
  }
  EXPECT_EQ(throttle.Blocked(ip), 60);
  clock.AdvanceSeconds(59.5);
  EXPECT_EQ(throttle.Blocked(ip), 1);  // rounds up, never 0 while blocked
  clock.AdvanceSeconds(0.5);
  EXPECT_EQ(throttle.Blocked(ip), 0);
  // A new window starts with the next failure.
  throttle.RecordFailure(ip);
  EXPECT_EQ(throttle.Blocked(ip), 0);
  // Blocked() skips the set's lock while nothing in it blocks: a block that ran out
  // (and turned the skip back on) is followed by a new one, which must be seen.
  throttle.RecordFailure(ip);
  throttle.RecordFailure(ip);
  EXPECT_EQ(throttle.Blocked(ip), 60);
}

// Addresses sharing a set: one's block that ran out leaves another's standing.
TEST(AuthThrottleTest, ABlockInTheSameSetOutlivesAnotherThatRanOut) {
  FakeMonotonicClock clock;
  AuthThrottle throttle(1, kMinute, clock, /*capacity=*/8, 1);  // one set of 8
  ASSERT_EQ(throttle.capacity(), 8u);
  const IpAddress a = Ip("203.0.113.1"), b = Ip("203.0.113.2");
  EXPECT_EQ(throttle.Blocked(a), 0);
  throttle.RecordFailure(a);
  clock.AdvanceSeconds(30);
  throttle.RecordFailure(b);
  EXPECT_EQ(throttle.Blocked(a), 30);
  clock.AdvanceSeconds(30);
  EXPECT_EQ(throttle.Blocked(a), 0);  // a's window is over
  EXPECT_EQ(throttle.Blocked(b), 30);
  clock.AdvanceSeconds(30);
  EXPECT_EQ(throttle.Blocked(b), 0);
  EXPECT_EQ(throttle.Blocked(a), 0);
  throttle.RecordFailure(a);
  EXPECT_EQ(throttle.Blocked(a), 60);
}

TEST(AuthThrottleTest, TheWindowOpensAtTheFirstFailure) {
  FakeMonotonicClock clock;
  AuthThrottle throttle(2, kMinute, clock, 64, 1);
  const IpAddress ip = Ip("203.0.113.9");
  throttle.RecordFailure(ip);
  clock.AdvanceSeconds(50);
  throttle.RecordFailure(ip);
  EXPECT_EQ(throttle.Blocked(ip), 10);
  clock.AdvanceSeconds(10);
  throttle.RecordFailure(ip);  // the old window is over: this one counts alone
  EXPECT_EQ(throttle.Blocked(ip), 0);
}

TEST(AuthThrottleTest, AddressesAreCountedApartButIpv6PerSlash64) {
  struct Case {
    std::string failing, other;
    bool shared;
  };
  const Case cases[] = {
      {"203.0.113.9", "203.0.113.10", false},
      {"203.0.113.9", "::ffff:203.0.113.9", true},  // the same client, mapped
      {"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true},
      {"2001:db8:1:2::1", "2001:db8:1:3::1", false},
      {"1.2.3.4", "102:304::", false},  // same leading bytes, different family
  };
  for (const auto& c : cases) {
    FakeMonotonicClock clock;
    AuthThrottle throttle(1, kMinute, clock, 64, 1);
    throttle.RecordFailure(Ip(c.failing));
    EXPECT_GT(throttle.Blocked(Ip(c.failing)), 0) << c.failing;
    EXPECT_EQ(throttle.Blocked(Ip(c.other)) > 0, c.shared)
        << c.failing << " / " << c.other;
  }
}

TEST(AuthThrottleTest, MemoryStaysBoundedUnderAddressRotation) {
  FakeMonotonicClock clock;
  AuthThrottle throttle(30, kMinute, clock, 256, 1);
  EXPECT_EQ(throttle.capacity(), 256u);
  for (int i = 0; i < 100'000; ++i) {
    IpAddress ip;
    ip.v4 = true;
    ip.bytes[0] = 10;
    ip.bytes[1] = static_cast<std::uint8_t>(i >> 16);
    ip.bytes[2] = static_cast<std::uint8_t>(i >> 8);
    ip.bytes[3] = static_cast<std::uint8_t>(i);
    throttle.RecordFailure(ip);
  }
  EXPECT_LE(throttle.TrackedForTest(), throttle.capacity());
}

TEST(AuthThrottleTest, AnAddressAtTheLimitIsNotDisplacedByRotation) {
  FakeMonotonicClock clock;
  AuthThrottle throttle(5, kMinute, clock, 8 * 4, 1);  // 4 sets of 8
  const IpAddress attacker = Ip("198.51.100.7");
  for (int i = 0; i < 5; ++i) throttle.RecordFailure(attacker);
  ASSERT_GT(throttle.Blocked(attacker), 0);
  // Thousands of one-off failures from other addresses compete for every set.
  for (int i = 0; i < 5000; ++i) {
    throttle.RecordFailure(
        Ip("10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250)));
  }
  EXPECT_GT(throttle.Blocked(attacker), 0);
}

TEST(AuthThrottleTest, CapacityRoundsUpToWholeSets) {
  FakeMonotonicClock clock;
  EXPECT_EQ(AuthThrottle(1, kMinute, clock, 1, 1).capacity(), AuthThrottle::kWays);
  EXPECT_EQ(AuthThrottle(1, kMinute, clock, 9, 1).capacity(), 2 * AuthThrottle::kWays);
}

}  // namespace
}  // namespace keyward::core
