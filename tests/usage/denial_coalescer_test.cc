#include "keyward/usage/denial_coalescer.h"

#include <gtest/gtest.h>

namespace keyward::usage {
namespace {

service::AuditEvent Denial(UnixSeconds at, const std::string& ip, const std::string& id) {
  service::AuditEvent e;
  e.at = at;
  e.action = service::kAuthDenied;
  e.ip = ip;
  e.target_type = "key";
  e.target_id = id;
  e.details["reason"] = "unauthenticated";
  return e;
}

TEST(DenialCoalescerTest, IdenticalDenialsInAMinuteAreOneEventWithACount) {
  DenialCoalescer c(100, 10);
  std::string token, ignored;
  ASSERT_EQ(c.Add(Denial(1000, "1.2.3.4", "k"), &token), DenialCoalescer::Verdict::kNew);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(c.Add(Denial(1000 + i, "1.2.3.4", "k"), &ignored),
              DenialCoalescer::Verdict::kMerged);
  }
  service::AuditEvent stored = c.TakeForInsert(token);
  EXPECT_EQ(stored.details["count"], "5");
  c.Stored(token, 42);
  EXPECT_TRUE(c.TakeCountUpdates().empty());
  c.Add(Denial(1030, "1.2.3.4", "k"), &ignored);
  auto updates = c.TakeCountUpdates();
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].first, 42);
  EXPECT_EQ(updates[0].second.details["count"], "6");
  // Another IP, or the next minute, is a new event.
  EXPECT_EQ(c.Add(Denial(1030, "5.6.7.8", "k"), &ignored),
            DenialCoalescer::Verdict::kNew);
  EXPECT_EQ(c.Add(Denial(1060, "1.2.3.4", "k"), &ignored),
            DenialCoalescer::Verdict::kNew);
}

TEST(DenialCoalescerTest, ManyDistinctDenialsFromOneIpFoldIntoAFloodEvent) {
  DenialCoalescer c(1000, 3);
  std::string token;
  int fresh = 0;
  for (int i = 0; i < 50; ++i) {
    fresh += c.Add(Denial(1000, "1.2.3.4", "k" + std::to_string(i)), &token) ==
             DenialCoalescer::Verdict::kNew;
  }
  EXPECT_EQ(fresh, 4);  // three distinct ones, then one flood event
  service::AuditEvent flood = c.TakeForInsert(token);
  EXPECT_EQ(flood.details["reason"], "flood");
  EXPECT_EQ(flood.details["count"], "47");
}

TEST(DenialCoalescerTest, BoundedAndExpires) {
  DenialCoalescer c(2, 100);
  std::string a, b, d;
  ASSERT_EQ(c.Add(Denial(1000, "ip", "a"), &a), DenialCoalescer::Verdict::kNew);
  ASSERT_EQ(c.Add(Denial(1000, "ip", "b"), &b), DenialCoalescer::Verdict::kNew);
  EXPECT_EQ(c.Add(Denial(1000, "ip", "c"), &d), DenialCoalescer::Verdict::kDropped);
  c.TakeForInsert(a);
  c.Stored(a, 1);
  c.TakeForInsert(b);
  c.Stored(b, 2);
  c.Expire(1061);
  EXPECT_EQ(c.size(), 0u);
}

}  // namespace
}  // namespace keyward::usage
