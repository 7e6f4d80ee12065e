#include "keyward/core/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/verifier_fixture.h"

namespace keyward::core {
namespace {

using ::testing::ElementsAre;
using testing::kNow;
using testing::VerifierTest;

TEST_F(VerifierTest, ValidKeyReturnsRecordOwnerAndEffectiveScopes) {
  const std::string key = AddKey();
  const Decision d = Verify(key, {"logs:read"});
  EXPECT_EQ(d.outcome, Outcome::kValid);
  ASSERT_NE(d.key, nullptr);
  EXPECT_EQ(d.key->id, "key_1");
  ASSERT_NE(d.owner, nullptr);
  EXPECT_EQ(d.owner->id, "usr_1");
  EXPECT_THAT(d.effective_scopes, ElementsAre("logs:read"));
  EXPECT_TRUE(d.missing_scope.empty());
}

TEST_F(VerifierTest, NoRequiredScopesIsValidEvenWithNoScopes) {
  const std::string key = AddKey([](KeyRecord& k) { k.scopes.clear(); });
  EXPECT_EQ(Verify(key).outcome, Outcome::kValid);
}

TEST_F(VerifierTest, MalformedKeyHasNoRecord) {
  std::string key = AddKey();
  key.back() = key.back() == 'a' ? 'b' : 'a';  // breaks the checksum
  const Decision d = Verify(key);
  EXPECT_EQ(d.outcome, Outcome::kMalformed);
  EXPECT_EQ(d.key, nullptr);
}

TEST_F(VerifierTest, WellFormedUnknownKeyIsNotFound) {
  AddKey();
  const std::string unknown = format_.Generate(random_).key;
  const Decision d = Verify(unknown);
  EXPECT_EQ(d.outcome, Outcome::kNotFound);
  EXPECT_EQ(d.key, nullptr);
}

TEST_F(VerifierTest, KnownPrefixWithWrongSecretIsNotFoundAndHidesTheRecord) {
  const std::string key = AddKey([](KeyRecord& k) { k.hash[0] ^= 1; });
  const Decision d = Verify(key);
  EXPECT_EQ(d.outcome, Outcome::kNotFound);
  EXPECT_EQ(d.key, nullptr);
}

TEST_F(VerifierTest, KeyFromAnotherPepperIsNotFound) {
  const std::string key = AddKey();
  const Hasher other(Digest{8});
  const Verifier verifier(format_, other, index_, directory_, clock_);
  EXPECT_EQ(verifier.Verify(VerifyInput{key, {}, ""}).outcome, Outcome::kNotFound);
}

// Each row sets up one or more failures; the first in contract order must win.
struct OrderCase {
  std::string name;
  std::function<void(KeyRecord&)> edit_key;
  std::function<void(UserRecord&)> edit_user;
  Outcome expected;
};

class VerifierOrderTest : public VerifierTest,
                          public ::testing::WithParamInterface<OrderCase> {};

TEST_P(VerifierOrderTest, FirstFailingCheckDecides) {
  SetUser(GetParam().edit_user);
  const std::string key = AddKey(GetParam().edit_key);
  const Decision d = Verify(key, {"billing:write"});
  EXPECT_EQ(d.outcome, GetParam().expected) << OutcomeName(d.outcome);
  EXPECT_NE(d.key, nullptr);  // every outcome past NOT_FOUND names the key
}

const auto kNoUserChange = [](UserRecord&) {};
const auto kRevoke = [](KeyRecord& k) { k.revoked_at = kNow - 10; };
const auto kExpire = [](KeyRecord& k) { k.expires_at = kNow - 1; };
const auto kDisable = [](KeyRecord& k) { k.enabled = false; };
const auto kDisableUser = [](UserRecord& u) { u.enabled = false; };

INSTANTIATE_TEST_SUITE_P(
    Table, VerifierOrderTest,
    ::testing::Values(OrderCase{"Revoked", kRevoke, kNoUserChange, Outcome::kRevoked},
                      OrderCase{"RevokedBeatsExpired",
                                [](KeyRecord& k) {
                                  kRevoke(k);
                                  kExpire(k);
                                  kDisable(k);
                                },
                                kDisableUser, Outcome::kRevoked},
                      OrderCase{"ExpiredAtExactlyNow",
                                [](KeyRecord& k) { k.expires_at = kNow; }, kNoUserChange,
                                Outcome::kExpired},
                      OrderCase{"ExpiredBeatsDisabled",
                                [](KeyRecord& k) {
                                  kExpire(k);
                                  kDisable(k);
                                },
                                kDisableUser, Outcome::kExpired},
                      OrderCase{"DisabledBeatsOwnerDisabled", kDisable, kDisableUser,
                                Outcome::kDisabled},
                      OrderCase{"OwnerDisabledBeatsScope", [](KeyRecord&) {},
                                kDisableUser, Outcome::kOwnerDisabled},
                      OrderCase{"NotYetExpiredFallsToScope",
                                [](KeyRecord& k) { k.expires_at = kNow + 1; },
                                kNoUserChange, Outcome::kInsufficientScope}),
    [](const auto& info) { return info.param.name; });

struct OwnerCase {
  std::string name;
  KeyKind kind;
  std::function<void(UserRecord&)> edit_user;
  std::function<void(OrgRecord&)> edit_org;
  Outcome expected;
};

class VerifierOwnerTest : public VerifierTest,
                          public ::testing::WithParamInterface<OwnerCase> {};

TEST_P(VerifierOwnerTest, OwnerMustBeActiveAndAllowKeys) {
  std::string user_id;
  SetUser([&](UserRecord& u) {
    GetParam().edit_user(u);
    user_id = u.id;
  });
  OrgRecord org{.id = "org_1", .name = "default"};
  GetParam().edit_org(org);
  SetOrg(org);
  // A row that renames a record means "the owner is missing": drop the default one.
  if (user_id != "usr_1") directory_.RemoveUser("usr_1");
  if (org.id != "org_1") directory_.RemoveOrg("org_1");
  const std::string key = AddKey([&](KeyRecord& k) {
    k.kind = GetParam().kind;
    if (k.kind == KeyKind::kOrg) k.owner_user_id.reset();
  });
  EXPECT_EQ(Verify(key, {"logs:read"}).outcome, GetParam().expected);
}

const auto kUserOk = [](UserRecord&) {};
const auto kOrgOk = [](OrgRecord&) {};

INSTANTIATE_TEST_SUITE_P(
    Table, VerifierOwnerTest,
    ::testing::Values(
        OwnerCase{"UserKeyActive", KeyKind::kUser, kUserOk, kOrgOk, Outcome::kValid},
        OwnerCase{"UserMissing", KeyKind::kUser,
                  [](UserRecord& u) { u.id = "usr_other"; }, kOrgOk,
                  Outcome::kOwnerDisabled},
        OwnerCase{"UserDeleted", KeyKind::kUser, [](UserRecord& u) { u.deleted = true; },
                  kOrgOk, Outcome::kOwnerDisabled},
        OwnerCase{"UserDisabled", KeyKind::kUser,
                  [](UserRecord& u) { u.enabled = false; }, kOrgOk,
                  Outcome::kOwnerDisabled},
        OwnerCase{"UserKeysOff", KeyKind::kUser,
                  [](UserRecord& u) { u.api_keys_enabled = false; }, kOrgOk,
                  Outcome::kOwnerDisabled},
        OwnerCase{"UsersOrgMissing", KeyKind::kUser,
                  [](UserRecord& u) { u.org_id = "org_x"; }, kOrgOk,
                  Outcome::kOwnerDisabled},
        OwnerCase{"UsersOrgDeleted", KeyKind::kUser, kUserOk,
                  [](OrgRecord& o) { o.deleted = true; }, Outcome::kOwnerDisabled},
        OwnerCase{"UsersOrgDisabled", KeyKind::kUser, kUserOk,
                  [](OrgRecord& o) { o.enabled = false; }, Outcome::kOwnerDisabled},
        OwnerCase{"UsersOrgKeysOff", KeyKind::kUser, kUserOk,
                  [](OrgRecord& o) { o.api_keys_enabled = false; },
                  Outcome::kOwnerDisabled},
        OwnerCase{"OrgKeyActive", KeyKind::kOrg, kUserOk, kOrgOk, Outcome::kValid},
        OwnerCase{"OrgKeyIgnoresCreatorUser", KeyKind::kOrg,
                  [](UserRecord& u) { u.enabled = false; }, kOrgOk, Outcome::kValid},
        OwnerCase{"OrgKeyOrgDisabled", KeyKind::kOrg, kUserOk,
                  [](OrgRecord& o) { o.enabled = false; }, Outcome::kOwnerDisabled},
        OwnerCase{"OrgKeyOrgDeleted", KeyKind::kOrg, kUserOk,
                  [](OrgRecord& o) { o.deleted = true; }, Outcome::kOwnerDisabled},
        OwnerCase{"OrgKeyOrgKeysOff", KeyKind::kOrg, kUserOk,
                  [](OrgRecord& o) { o.api_keys_enabled = false; },
                  Outcome::kOwnerDisabled},
        OwnerCase{"OrgKeyOrgMissing", KeyKind::kOrg, kUserOk,
                  [](OrgRecord& o) { o.id = "org_other"; }, Outcome::kOwnerDisabled}),
    [](const auto& info) { return info.param.name; });

TEST_F(VerifierTest, UserKeyWithoutOwnerIdIsOwnerDisabled) {
  const std::string key = AddKey([](KeyRecord& k) { k.owner_user_id.reset(); });
  EXPECT_EQ(Verify(key).outcome, Outcome::kOwnerDisabled);
}

TEST_F(VerifierTest, UserKeyWhoseRecordedOrgIsDisabledIsOwnerDisabled) {
  SetOrg(OrgRecord{.id = "org_2", .name = "other", .enabled = false});
  const std::string key = AddKey([](KeyRecord& k) { k.org_id = "org_2"; });
  EXPECT_EQ(Verify(key).outcome, Outcome::kOwnerDisabled);
}

TEST_F(VerifierTest, RevocationTakesEffectOnTheNextVerify) {
  const std::string key = AddKey();
  const auto live = index_.Find(*format_.DisplayPrefix(key));
  EXPECT_EQ(Verify(key).outcome, Outcome::kValid);
  auto revoked = std::make_shared<KeyRecord>(*live);
  revoked->revoked_at = kNow;
  index_.Upsert(revoked);
  EXPECT_EQ(Verify(key).outcome, Outcome::kRevoked);
}

TEST_F(VerifierTest, ExpiryFollowsTheClock) {
  const std::string key = AddKey([](KeyRecord& k) { k.expires_at = kNow + 60; });
  EXPECT_EQ(Verify(key).outcome, Outcome::kValid);
  clock_.Advance(59);
  EXPECT_EQ(Verify(key).outcome, Outcome::kValid);
  clock_.Advance(1);
  EXPECT_EQ(Verify(key).outcome, Outcome::kExpired);
}

TEST_F(VerifierTest, VerifiesConcurrentlyWhileKeysChange) {
  const std::string stable = AddKey();
  const Verifier verifier(format_, hasher_, index_, directory_, clock_);
  const std::vector<std::string> required = {"logs:read"};
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      while (!stop) {
        if (verifier.Verify({stable, required, ""}).outcome != Outcome::kValid) ++wrong;
      }
    });
  }
  for (int i = 0; i < 2000; ++i) AddKey();
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}
}  // namespace
}  // namespace keyward::core
