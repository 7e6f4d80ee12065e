// UsagePolicy with a shared LimitBackend (limits.backend = redis://...): a fake
// backend stands for Redis, so what the policy asks and how it falls back when
// the backend cannot decide are checked without a server.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/verifier_fixture.h"
#include "keyward/core/key_policies.h"

namespace keyward::core {
namespace {

using testing::VerifierTest;

// Counts like Redis would, or answers "cannot decide" while `down`.
class FakeBackend final : public LimitBackend {
 public:
  std::optional<RateLimitStatus> AcquireRate(std::string_view counter,
                                             const RateLimit& limit) override {
    rate_counters.push_back(std::string(counter));
    if (down) return std::nullopt;
    RateLimitStatus s;
    s.limit = limit.limit;
    s.window_seconds = limit.window_seconds;
    const int used = ++rate[std::string(counter)];
    s.limited = used > limit.limit;
    s.remaining = s.limited ? 0 : limit.limit - used;
    if (s.limited) s.retry_after_seconds = 7;
    return s;
  }
  std::optional<QuotaTake> ConsumeQuota(std::string_view counter, std::int64_t epoch,
                                        std::optional<QuotaCell::Value> seed,
                                        const std::optional<QuotaRefill>&,
                                        std::int64_t) override {
    seeds.push_back(seed);
    if (down) return std::nullopt;
    const std::string k = std::string(counter) + ":" + std::to_string(epoch);
    if (!quota.count(k)) {
      if (!seed) return QuotaTake{false, {}};
      quota[k] = seed->remaining;
    }
    QuotaTake t;
    t.taken = quota[k] > 0;
    if (t.taken) --quota[k];
    t.value.remaining = quota[k];
    return t;
  }
  std::optional<std::int64_t> ThrottleWait(std::string_view, int, std::int64_t) override {
    return down ? std::nullopt : std::optional<std::int64_t>(0);
  }
  bool ThrottleRecord(std::string_view, std::int64_t) override { return !down; }

  bool down = false;
  std::map<std::string, int> rate;
  std::map<std::string, std::int64_t> quota;
  std::vector<std::string> rate_counters;
  std::vector<std::optional<QuotaCell::Value>> seeds;
};

class SharedLimitsPolicyTest : public VerifierTest {
 protected:
  SharedLimitsPolicyTest()
      : policies_(index_, Tiers{{{"standard", {3, 60}}}, "standard"}, clock_, mono_) {}

  Decision Check(const std::string& key) {
    const Verifier verifier(format_, hasher_, index_, directory_, clock_,
                            policies_.policies());
    return verifier.Verify(VerifyInput{key, {}, "203.0.113.9"});
  }

  FakeMonotonicClock mono_;
  KeyPolicies policies_;
  FakeBackend backend_;
};

TEST_F(SharedLimitsPolicyTest, TheBackendDecidesRateLimitsUnderTheKeyId) {
  policies_.UseSharedBackend(&backend_, BackendErrorMode::kLocal);
  const std::string key = AddKey();
  // The fake's count, not the local cell's: a local burst of 3 would admit 3.
  backend_.rate[index_.Find(*format_.DisplayPrefix(key))->id] = 2;
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
  const Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kRateLimited);
  EXPECT_EQ(d.ratelimit->retry_after_seconds, 7);
  ASSERT_EQ(backend_.rate_counters.size(), 2u);
  EXPECT_EQ(backend_.rate_counters[0], d.key->id);
}

TEST_F(SharedLimitsPolicyTest, QuotaIsSeededFromTheLocalCopyAndMirroredBack) {
  policies_.UseSharedBackend(&backend_, BackendErrorMode::kLocal);
  const std::string key = AddKey([](KeyRecord& k) { k.remaining_uses = 5; });
  const Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kValid);
  EXPECT_EQ(d.quota->remaining, 4);
  ASSERT_EQ(backend_.seeds.size(), 1u);
  ASSERT_TRUE(backend_.seeds[0]);
  EXPECT_EQ(backend_.seeds[0]->remaining, 5);
  // Another replica takes the rest: this one learns it on its next use.
  backend_.quota[d.key->id + ":0"] = 0;
  EXPECT_EQ(Check(key).outcome, Outcome::kUsageExceeded);
  EXPECT_EQ(policies_.LiveRemaining(*d.key), 0);
}

TEST_F(SharedLimitsPolicyTest, BackendDownWithLocalCountsInThisProcess) {
  policies_.UseSharedBackend(&backend_, BackendErrorMode::kLocal);
  backend_.down = true;
  const std::string key = AddKey();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Check(key).outcome, Outcome::kValid) << i;
  EXPECT_EQ(Check(key).outcome, Outcome::kRateLimited);  // the local burst of 3
  const std::string quota_key = AddKey([](KeyRecord& k) { k.remaining_uses = 1; });
  EXPECT_EQ(Check(quota_key).outcome, Outcome::kValid);
  EXPECT_EQ(Check(quota_key).outcome, Outcome::kUsageExceeded);
}

TEST_F(SharedLimitsPolicyTest, BackendDownWithDenyRefusesEveryVerification) {
  policies_.UseSharedBackend(&backend_, BackendErrorMode::kDeny);
  backend_.down = true;
  const std::string key = AddKey();
  const Decision d = Check(key);
  EXPECT_EQ(d.outcome, Outcome::kRateLimited);
  EXPECT_TRUE(d.ratelimit->limited);
  EXPECT_EQ(d.ratelimit->retry_after_seconds, 1);
  backend_.down = false;
  EXPECT_EQ(Check(key).outcome, Outcome::kValid);
}

TEST_F(SharedLimitsPolicyTest, ARotatedKeyDrawsOnItsSuccessorsCounter) {
  policies_.UseSharedBackend(&backend_, BackendErrorMode::kLocal);
  // A predecessor whose runtime is compiled afresh (no shared local cell): it must
  // not seed its successor's count with the 0 it holds.
  const std::string old_key = AddKey([](KeyRecord& k) {
    k.remaining_uses = 5;
    k.rotated_to = "key_successor";
  });
  const Decision d = Check(old_key);
  ASSERT_EQ(backend_.rate_counters.size(), 1u);
  EXPECT_EQ(backend_.rate_counters[0], "key_successor");
  ASSERT_EQ(backend_.seeds.size(), 1u);
  EXPECT_FALSE(backend_.seeds[0]);
  EXPECT_EQ(d.outcome, Outcome::kUsageExceeded);  // nothing shared to draw on yet
  backend_.quota["key_successor:0"] = 2;
  EXPECT_EQ(Check(old_key).outcome, Outcome::kValid);
  EXPECT_EQ(backend_.quota["key_successor:0"], 1);
}

}  // namespace
}  // namespace keyward::core
