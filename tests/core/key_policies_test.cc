// KeyPolicies through the Verifier: IP lists, rate limits and quotas, with a fake
// wall clock and a fake monotonic clock.
#include "keyward/core/key_policies.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/verifier_fixture.h"

namespace keyward::core {
namespace {

using testing::VerifierTest;

class KeyPoliciesTest : public VerifierTest {
 protected:
  KeyPoliciesTest()
      : policies_(index_,
                  Tiers{{{"standard", {60, 60}}, {"high", {300, 60}}}, "standard"},
                  clock_, mono_) {}

  Decision Check(const std::string& key, const std::string& ip = "203.0.113.9",
                 std::vector<std::string> required = {}) {
    required_ = std::move(required);
    const Verifier verifier(format_, hasher_, index_, directory_, clock_,
                            policies_.policies());
    return verifier.Verify(VerifyInput{key, required_, ip});
  }

  // Re-publishes the record of `secret`'s key with `edit` applied, the way
  // service::App does after an admin write.
  void Republish(const std::string& secret, const std::function<void(KeyRecord&)>& edit) {
    auto current = index_.Find(*format_.DisplayPrefix(secret));
    auto next = std::make_shared<KeyRecord>(*current);
    edit(*next);
    std::shared_ptr<const KeyRecord> published = next;
    index_.Upsert(published);
    policies_.Publish(published);
  }

  FakeMonotonicClock mono_;
  KeyPolicies policies_;
};

TEST(IpAdmittedTest, AllowWinsAndANonEmptyAllowListAdmitsNothingElse) {
  struct Case {
    std::vector<std::string> allow, deny;
    std::string ip;
    bool admitted;
  };
  const Case cases[] = {
      {{}, {}, "203.0.113.9", true},
      {{"203.0.113.0/24"}, {}, "203.0.113.9", true},
      {{"203.0.113.0/24"}, {}, "198.51.100.1", false},
      {{}, {"203.0.113.0/24"}, "203.0.113.9", false},
      {{}, {"203.0.113.0/24"}, "198.51.100.1", true},
      {{"203.0.113.9/32"}, {"203.0.113.0/24"}, "203.0.113.9", true},  // allow wins
      {{"203.0.113.9/32"}, {"203.0.113.0/24"}, "203.0.113.10", false},
      {{"2001:db8::/32"}, {}, "2001:db8::1", true},
      {{"2001:db8::/32"}, {}, "203.0.113.9", false},
      {{}, {"0.0.0.0/0"}, "2001:db8::1", true},  // an IPv4 deny-all leaves IPv6 alone
      {{}, {"0.0.0.0/0", "::/0"}, "2001:db8::1", false},
      {{"10.0.0.0/8"}, {}, "::ffff:10.1.2.3", true},  // mapped clients match IPv4
  };
  for (const auto& c : cases) {
    auto record = std::make_shared<KeyRecord>();
    record->ip_allow = c.allow;
    record->ip_deny = c.deny;
    const KeyRules rules = CompileRules(record, Tiers{});
    EXPECT_EQ(IpAdmitted(rules, *IpAddress::Parse(c.ip)), c.admitted)
        << c.ip << " allow " << ::testing::PrintToString(c.allow) << " deny "
        << ::testing::PrintToString(c.deny);
  }
}

TEST(TiersTest, ResolveOrder) {
  const Tiers tiers{{{"standard", {60, 60}}, {"high", {300, 60}}}, "standard"};
  KeyRecord key;
  key.tier = "high";
  EXPECT_EQ(tiers.Resolve(key), (RateLimit{300, 60}));
  key.rate_limit = RateLimit{5, 10};
  EXPECT_EQ(tiers.Resolve(key), (RateLimit{5, 10}));  // per-key wins over the tier
  key.rate_limit.reset();
  key.tier = "retired";
  EXPECT_EQ(tiers.Resolve(key), (RateLimit{60, 60}));  // unknown tier: default tier
  EXPECT_EQ(Tiers{}.Resolve(key), (RateLimit{60, 60}));
}

TEST_F(KeyPoliciesTest, ForbiddenIpComesBeforeTheScopeCheck) {
  const std::string key = AddKey([](KeyRecord& k) { k.ip_allow = {"10.0.0.0/8"}; });
  EXPECT_EQ(Check(key, "10.1.2.3").outcome, Outcome::kValid);
  EXPECT_EQ(Check(key, "203.0.113.9", {"billing:write"}).outcome, Outcome::kForbiddenIp);
  EXPECT_EQ(Check(key, "10.1.2.3", {"billing:write"}).outcome,
            Outcome::kInsufficientScope);
}

TEST_F(KeyPoliciesTest, UnparseableClientIpFailsClosedOnlyForKeysWithLists) {
  const std::string listed = AddKey([](KeyRecord& k) { k.ip_deny = {"192.0.2.0/24"}; });
  const std::string plain = AddKey();
  EXPECT_EQ(Check(listed, "").outcome, Outcome::kForbiddenIp);
  EXPECT_EQ(Check(listed, "not-an-ip").outcome, Outcome::kForbiddenIp);
  EXPECT_EQ(Check(plain, "").outcome, Outcome::kValid);
}

TEST_F(KeyPoliciesTest, CorruptStoredListRefusesEveryone) {
  const std::string key = AddKey([](KeyRecord& k) { k.ip_deny = {"10.0.0.1/8"}; });
  EXPECT_EQ(Check(key, "203.0.113.9").outcome, Outcome::kForbiddenIp);
}

TEST_F(KeyPoliciesTest, IpListChangesApplyToTheNextRequest) {
  const std::string key = AddKey();
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
  Republish(key, [](KeyRecord& k) { k.ip_deny = {"203.0.113.9"}; });
  EXPECT_EQ(Check(key).outcome, Outcome::kForbiddenIp);
  Republish(key, [](KeyRecord& k) { k.ip_deny.clear(); });
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
}

TEST_F(KeyPoliciesTest, AnIndexUpdateWithoutPublishIsPickedUpToo) {
  const std::string key = AddKey();
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
  auto next = std::make_shared<KeyRecord>(*index_.Find(*format_.DisplayPrefix(key)));
  next->ip_allow = {"10.0.0.0/8"};
  index_.Upsert(next);  // e.g. a path that forgot policies_.Publish
  EXPECT_EQ(Check(key).outcome, Outcome::kForbiddenIp);
}

TEST_F(KeyPoliciesTest, AStaleRecordNeverDowngradesTheRuntime) {
  const std::string key = AddKey();
  auto old_record = index_.Find(*format_.DisplayPrefix(key));
  Republish(key, [](KeyRecord& k) { k.ip_deny = {"203.0.113.9"}; });
  // A verification that found the old record just before the publish...
  auto runtime = policies_.table().Acquire(old_record);
  EXPECT_FALSE(runtime->rules.ip_deny.empty());  // ...still gets the current rules
  EXPECT_EQ(Check(key).outcome, Outcome::kForbiddenIp);
}

TEST_F(KeyPoliciesTest, RateLimitedAfterTheBurstWithStatus) {
  const std::string key = AddKey([](KeyRecord& k) { k.rate_limit = RateLimit{2, 60}; });
  Decision d = Check(key);
  ASSERT_EQ(d.outcome, Outcome::kValid);
  ASSERT_TRUE(d.ratelimit);
  EXPECT_EQ(d.ratelimit->limit, 2);
  EXPECT_EQ(d.ratelimit->window_seconds, 60);
  EXPECT_EQ(d.ratelimit->remaining, 1);
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
  d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kRateLimited);
  EXPECT_TRUE(d.ratelimit->limited);
  EXPECT_EQ(d.ratelimit->retry_after_seconds, 30);
  mono_.AdvanceSeconds(30);
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
}

TEST_F(KeyPoliciesTest, TierLimitAppliesWithoutAPerKeyLimit) {
  const std::string key = AddKey([](KeyRecord& k) { k.tier = "high"; });
  const Decision d = Check(key);
  ASSERT_TRUE(d.ratelimit);
  EXPECT_EQ(d.ratelimit->limit, 300);
}

TEST_F(KeyPoliciesTest, RaisedLimitAppliesToTheNextRequest) {
  const std::string key = AddKey([](KeyRecord& k) { k.rate_limit = RateLimit{1, 60}; });
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
  EXPECT_EQ(Check(key).outcome, Outcome::kRateLimited);
  Republish(key, [](KeyRecord& k) { k.rate_limit = RateLimit{10, 60}; });
  const Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kValid);
  EXPECT_EQ(d.ratelimit->remaining, 8);
}

TEST_F(KeyPoliciesTest, RefusedEarlierMeansNothingConsumed) {
  const std::string key = AddKey([](KeyRecord& k) {
    k.rate_limit = RateLimit{1, 60};
    k.remaining_uses = 1;
    k.ip_deny = {"192.0.2.1"};
  });
  EXPECT_EQ(Check(key, "192.0.2.1").outcome, Outcome::kForbiddenIp);
  EXPECT_EQ(Check(key, "203.0.113.9", {"billing:write"}).outcome,
            Outcome::kInsufficientScope);
  const Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kValid);
  ASSERT_TRUE(d.quota);
  EXPECT_EQ(d.quota->remaining, 0);
}

TEST_F(KeyPoliciesTest, UsageExceededWhenSpentAndRateLimitedTakesNoUse) {
  const std::string key = AddKey([](KeyRecord& k) {
    k.rate_limit = RateLimit{2, 60};
    k.remaining_uses = 2;
  });
  EXPECT_EQ(Check(key).quota->remaining, 1);
  EXPECT_EQ(Check(key).quota->remaining, 0);
  Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kRateLimited);
  mono_.AdvanceSeconds(60);
  d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kUsageExceeded);
  EXPECT_EQ(d.quota->remaining, 0);
  EXPECT_FALSE(d.quota->refill_in_seconds);
}

TEST_F(KeyPoliciesTest, QuotaRefillsAtTheUtcDayBoundary) {
  clock_.Set(testing::kNow - testing::kNow % 86400 + 86400 - 10);  // 10 s before midnight
  const std::string key = AddKey([](KeyRecord& k) {
    k.remaining_uses = 1;
    k.refill = QuotaRefill{3, RefillInterval::kDaily};
    k.quota_refilled_at = testing::kNow;
  });
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
  const Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kUsageExceeded);
  EXPECT_EQ(d.quota->refill_in_seconds, 10);
  clock_.Advance(10);
  EXPECT_EQ(Check(key).quota->remaining, 2);
}

TEST_F(KeyPoliciesTest, RepublishKeepsTheLiveCountUnlessTheEpochChanges) {
  const std::string key = AddKey([](KeyRecord& k) { k.remaining_uses = 10; });
  EXPECT_EQ(Check(key).quota->remaining, 9);
  // A rename republishes the record with the (stale) stored count: live count stays.
  Republish(key, [](KeyRecord& k) { k.name = "renamed"; });
  EXPECT_EQ(Check(key).quota->remaining, 8);
  // An admin setting the quota, even to the same number, starts a new epoch.
  Republish(key, [](KeyRecord& k) {
    k.remaining_uses = 10;
    ++k.quota_epoch;
  });
  EXPECT_EQ(Check(key).quota->remaining, 9);
}

TEST_F(KeyPoliciesTest, ReportFillsStateForARefusedKeyWithoutConsuming) {
  const std::string key = AddKey([](KeyRecord& k) {
    k.rate_limit = RateLimit{5, 60};
    k.remaining_uses = 4;
    k.enabled = false;
  });
  Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kDisabled);
  EXPECT_FALSE(d.ratelimit);
  policies_.Report(d);
  ASSERT_TRUE(d.ratelimit);
  EXPECT_EQ(d.ratelimit->remaining, 5);
  ASSERT_TRUE(d.quota);
  EXPECT_EQ(d.quota->remaining, 4);
  policies_.Report(d);
  EXPECT_EQ(d.ratelimit->remaining, 5);
}

TEST_F(KeyPoliciesTest, LiveRemainingFollowsTheEpoch) {
  const std::string key = AddKey([](KeyRecord& k) { k.remaining_uses = 5; });
  const KeyRecord stored = *index_.Find(*format_.DisplayPrefix(key));
  EXPECT_EQ(policies_.LiveRemaining(stored), 5);  // nothing verified yet
  Check(key);
  Check(key);
  EXPECT_EQ(policies_.LiveRemaining(stored), 3);
  KeyRecord newer = stored;
  newer.quota_epoch = 1;
  newer.remaining_uses = 50;
  EXPECT_EQ(policies_.LiveRemaining(newer), 50);  // the runtime has not seen it yet
  KeyRecord unlimited = stored;
  unlimited.remaining_uses.reset();
  EXPECT_EQ(policies_.LiveRemaining(unlimited), std::nullopt);
}

TEST_F(KeyPoliciesTest, RuntimesAreCreatedLazilyAndChangedQuotasCollected) {
  const std::string a = AddKey([](KeyRecord& k) { k.remaining_uses = 5; });
  const std::string b = AddKey();
  EXPECT_EQ(policies_.table().Size(), 0u);
  Check(b);
  EXPECT_EQ(policies_.table().Size(), 1u);
  EXPECT_TRUE(policies_.table().CollectQuotaChanges().empty());  // b has no quota
  Check(a);
  Check(a);
  auto changes = policies_.table().CollectQuotaChanges();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].key_id, "key_1");
  EXPECT_EQ(changes[0].remaining, 3);
  EXPECT_EQ(changes[0].quota_epoch, 0);
  EXPECT_FALSE(changes[0].refilled_at);
  KeyRuntimeTable::MarkFlushed(changes);
  EXPECT_TRUE(policies_.table().CollectQuotaChanges().empty());
  Check(a);
  EXPECT_EQ(policies_.table().CollectQuotaChanges().size(), 1u);
}

TEST_F(KeyPoliciesTest, RepublishingWhileVerifyingKeepsTheCountExact) {
  const std::string key = AddKey([](KeyRecord& k) {
    k.remaining_uses = 1000;
    k.rate_limit = RateLimit{1'000'000, 1};
  });
  const Verifier verifier(format_, hasher_, index_, directory_, clock_,
                          policies_.policies());
  std::atomic<int> valid{0};
  std::atomic<bool> done{false};
  std::thread admin([&] {
    // Renames and limit changes (same quota epoch) race with the verifications.
    for (int i = 0; !done.load(); ++i) {
      Republish(key, [i](KeyRecord& k) {
        k.name = "n" + std::to_string(i);
        k.rate_limit = RateLimit{1'000'000 + i % 2, 1};
      });
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      const std::vector<std::string> none;
      for (int i = 0; i < 400; ++i) {
        if (verifier.Verify(VerifyInput{key, none, "203.0.113.9"}).outcome ==
            Outcome::kValid) {
          valid.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  done.store(true);
  admin.join();
  EXPECT_EQ(valid.load(), 1000);
}

}  // namespace
}  // namespace keyward::core
