#include "keyward/core/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/verifier_fixture.h"

namespace keyward::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kNow;
using testing::VerifierTest;

TEST_F(VerifierTest, InsufficientScopeNamesTheFirstMissingScope) {
  const std::string key = AddKey([](KeyRecord& k) { k.scopes = {"logs:*"}; });
  const Decision d = Verify(key, {"logs:read", "billing:read", "users:write"});
  EXPECT_EQ(d.outcome, Outcome::kInsufficientScope);
  EXPECT_EQ(d.missing_scope, "billing:read");
  EXPECT_THAT(d.effective_scopes, ElementsAre("logs:*"));
}

TEST_F(VerifierTest, LoweringOwnerPermissionsNarrowsKeysAtOnce) {
  const std::string key = AddKey([](KeyRecord& k) {
    k.scopes = {"logs:*", "billing:read"};
  });
  EXPECT_EQ(Verify(key, {"billing:read"}).outcome, Outcome::kValid);

  SetUser([](UserRecord& u) { u.permissions = {"logs:read"}; });
  Decision d = Verify(key, {"billing:read"});
  EXPECT_EQ(d.outcome, Outcome::kInsufficientScope);
  EXPECT_THAT(d.effective_scopes, ElementsAre("logs:read"));
  EXPECT_EQ(Verify(key, {"logs:read"}).outcome, Outcome::kValid);
  EXPECT_EQ(Verify(key, {"logs:write"}).outcome, Outcome::kInsufficientScope);

  SetUser([](UserRecord& u) { u.permissions.clear(); });
  d = Verify(key, {"logs:read"});
  EXPECT_EQ(d.outcome, Outcome::kInsufficientScope);
  EXPECT_THAT(d.effective_scopes, IsEmpty());
}

TEST_F(VerifierTest, OrgKeyScopesAreNotNarrowedByAnyUser) {
  SetUser([](UserRecord& u) { u.permissions.clear(); });
  const std::string key = AddKey([](KeyRecord& k) {
    k.kind = KeyKind::kOrg;
    k.owner_user_id.reset();
    k.scopes = {"logs:*", "billing:read"};
  });
  const Decision d = Verify(key, {"logs:write"});
  EXPECT_EQ(d.outcome, Outcome::kValid);
  EXPECT_EQ(d.owner, nullptr);
  EXPECT_THAT(d.effective_scopes, ElementsAre("logs:*", "billing:read"));
}

TEST_F(VerifierTest, ReadOnlyKeyHoldsOnlyReadGrants) {
  const std::string key = AddKey([](KeyRecord& k) {
    k.scopes = {"*"};
    k.read_only = true;
  });
  Decision d = Verify(key, {"logs:read"});
  EXPECT_EQ(d.outcome, Outcome::kValid);
  EXPECT_THAT(d.effective_scopes, ElementsAre("*:read"));
  d = Verify(key, {"logs:write"});
  EXPECT_EQ(d.outcome, Outcome::kInsufficientScope);
  EXPECT_EQ(d.missing_scope, "logs:write");
}

TEST_F(VerifierTest, ReadOnlyAppliesAfterOwnerNarrowing) {
  SetUser([](UserRecord& u) { u.permissions = {"logs:*"}; });
  const std::string key = AddKey([](KeyRecord& k) {
    k.scopes = {"logs:write", "logs:read", "billing:*"};
    k.read_only = true;
  });
  EXPECT_THAT(Verify(key).effective_scopes, ElementsAre("logs:read"));
}
}  // namespace
}  // namespace keyward::core
