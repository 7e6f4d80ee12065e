#include "keyward/core/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/verifier_fixture.h"

namespace keyward::core {
namespace {

using testing::kNow;
using testing::VerifierTest;

// A policy whose verdict and observations the test controls.
class FakePolicy final : public PolicyCheck {
 public:
  explicit FakePolicy(Outcome verdict) : verdict_(verdict) {}
  Outcome Check(const VerifyInput& input, const KeyRecord& key, UnixSeconds now,
                Decision&) const override {
    ++calls_;
    last_ip_ = std::string(input.client_ip);
    last_key_id_ = key.id;
    last_now_ = now;
    return verdict_;
  }
  int calls() const { return calls_; }
  const std::string& last_ip() const { return last_ip_; }
  const std::string& last_key_id() const { return last_key_id_; }
  UnixSeconds last_now() const { return last_now_; }

 private:
  Outcome verdict_;
  mutable int calls_ = 0;  // single-threaded tests only
  mutable std::string last_ip_;
  mutable std::string last_key_id_;
  mutable UnixSeconds last_now_ = 0;
};

VerifierPolicies Before(std::vector<const PolicyCheck*> checks) {
  VerifierPolicies policies;
  policies.before_scope = std::move(checks);
  return policies;
}

VerifierPolicies After(std::vector<const PolicyCheck*> checks) {
  VerifierPolicies policies;
  policies.after_scope = std::move(checks);
  return policies;
}

TEST_F(VerifierTest, BeforeScopePolicyRunsBeforeTheScopeCheck) {
  const std::string key = AddKey();
  const FakePolicy deny_ip(Outcome::kForbiddenIp);
  const Decision d = Verify(key, {"billing:write"}, Before({&deny_ip}));
  EXPECT_EQ(d.outcome, Outcome::kForbiddenIp);
  EXPECT_EQ(deny_ip.calls(), 1);
  EXPECT_EQ(deny_ip.last_ip(), "203.0.113.9");
  EXPECT_EQ(deny_ip.last_key_id(), "key_1");
  EXPECT_EQ(deny_ip.last_now(), kNow);
}

TEST_F(VerifierTest, PoliciesAreSkippedOnceAnEarlierCheckFails) {
  const std::string key = AddKey([](KeyRecord& k) { k.enabled = false; });
  const FakePolicy before(Outcome::kForbiddenIp);
  const FakePolicy after(Outcome::kRateLimited);
  EXPECT_EQ(Verify(key, {}, {{&before}, {&after}}).outcome, Outcome::kDisabled);
  EXPECT_EQ(before.calls(), 0);
  EXPECT_EQ(after.calls(), 0);
}

TEST_F(VerifierTest, AfterScopePolicyRunsOnlyWhenScopesSuffice) {
  const std::string key = AddKey();
  const FakePolicy limit(Outcome::kRateLimited);
  EXPECT_EQ(Verify(key, {"billing:write"}, After({&limit})).outcome,
            Outcome::kInsufficientScope);
  EXPECT_EQ(limit.calls(), 0);
  EXPECT_EQ(Verify(key, {"logs:read"}, After({&limit})).outcome, Outcome::kRateLimited);
  EXPECT_EQ(limit.calls(), 1);
}

TEST_F(VerifierTest, PoliciesRunInOrderAndTheFirstFailureWins) {
  const std::string key = AddKey();
  const FakePolicy pass(Outcome::kValid);
  const FakePolicy limit(Outcome::kRateLimited);
  const FakePolicy quota(Outcome::kUsageExceeded);
  EXPECT_EQ(Verify(key, {}, After({&pass, &limit, &quota})).outcome,
            Outcome::kRateLimited);
  EXPECT_EQ(pass.calls(), 1);
  EXPECT_EQ(quota.calls(), 0);
  EXPECT_EQ(Verify(key, {}, After({&pass, &quota})).outcome, Outcome::kUsageExceeded);
}
}  // namespace
}  // namespace keyward::core
