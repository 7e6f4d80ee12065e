#include "keyward/service/authz.h"

#include <gtest/gtest.h>

#include <memory>

namespace keyward::service {
namespace {

Actor ActorWith(Role role, std::vector<std::string> permissions,
                std::optional<std::vector<std::string>> key_scopes) {
  auto user = std::make_shared<UserRecord>();
  user->id = "usr_1";
  user->username = "u";
  user->role = role;
  user->permissions = std::move(permissions);
  Actor a;
  a.user = user;
  a.key_scopes = std::move(key_scopes);
  return a;
}

TEST(AuthzTest, GrantsAreBoundedByThePermissionsAndByTheCallingKey) {
  const Actor admin =
      ActorWith(Role::kPlatformAdmin, {"*"}, std::vector<std::string>{"keys:write"});
  EXPECT_TRUE(CheckGrantable(admin, {"keys:write"}, "scopes").ok());
  EXPECT_TRUE(CheckGrantable(admin, {}, "scopes").ok());
  for (const std::vector<std::string>& wider :
       {std::vector<std::string>{"*"}, {"keys:*"}, {"keys:write", "logs:read"}}) {
    Status s = CheckGrantable(admin, wider, "scopes");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind, ErrorKind::kValidation);
    EXPECT_TRUE(s.error().fields[0].field.starts_with("scopes["));
  }
  const Actor narrow_user =
      ActorWith(Role::kOrgAdmin, {"logs:read"}, std::vector<std::string>{"*"});
  EXPECT_FALSE(CheckGrantable(narrow_user, {"logs:write"}, "permissions").ok());
  EXPECT_EQ(
      CheckGrantable(narrow_user, {"logs:write"}, "permissions").error().fields[0].field,
      "permissions[0]");
  Actor cli;
  cli.local_cli = true;
  EXPECT_TRUE(CheckGrantable(cli, {"*"}, "scopes").ok());
}

TEST(AuthzTest, KeyGrantsAreAlsoBoundedByTheOwner) {
  const Actor admin =
      ActorWith(Role::kPlatformAdmin, {"*"}, std::vector<std::string>{"*"});
  UserRecord owner;
  owner.username = "m";
  owner.permissions = {"logs:read"};
  KeyRecord key;
  key.scopes = {"logs:write"};
  EXPECT_FALSE(CheckKeyGrant(admin, key, &owner).ok());
  key.scopes = {"logs:read"};
  EXPECT_TRUE(CheckKeyGrant(admin, key, &owner).ok());
}

TEST(AuthzTest, OnlyAdminsLoosenQuotaControls) {
  core::Tiers tiers;
  tiers.by_name = {{"standard", {60, 60}}, {"admin", {6000, 60}}};
  KeyRecord before;
  before.remaining_uses = 10;
  before.rate_limit = RateLimit{10, 60};
  auto after = [&](auto change) {
    KeyRecord k = before;
    change(k);
    return QuotaNotLoosened(&before, std::nullopt, k, tiers);
  };
  EXPECT_TRUE(after([](KeyRecord&) {}));
  EXPECT_TRUE(after([](KeyRecord& k) { k.remaining_uses = 5; }));
  EXPECT_TRUE(after([](KeyRecord& k) { k.rate_limit = RateLimit{5, 60}; }));
  EXPECT_FALSE(after([](KeyRecord& k) { k.remaining_uses = 11; }));
  EXPECT_FALSE(after([](KeyRecord& k) { k.remaining_uses.reset(); }));
  EXPECT_FALSE(after([](KeyRecord& k) { k.rate_limit = RateLimit{10, 1}; }));
  EXPECT_FALSE(after([](KeyRecord& k) { k.rate_limit = RateLimit{20, 120}; }));
  EXPECT_FALSE(after([](KeyRecord& k) { k.rate_limit.reset(); }));  // tier: 60/60
  EXPECT_FALSE(after([](KeyRecord& k) {
    k.refill = QuotaRefill{10, RefillInterval::kDaily};
  }));
  // The live count, not the stored one, is what a patch is compared with.
  KeyRecord same = before;
  same.remaining_uses = 8;
  EXPECT_FALSE(QuotaNotLoosened(&before, 7, same, tiers));
  // New keys: the default tier and no use limit are the baseline.
  KeyRecord fresh;
  fresh.tier = "admin";
  EXPECT_FALSE(QuotaNotLoosened(nullptr, std::nullopt, fresh, tiers));
  const Actor member = ActorWith(Role::kMember, {"*"}, std::vector<std::string>{"*"});
  const Actor org_admin =
      ActorWith(Role::kOrgAdmin, {"*"}, std::vector<std::string>{"*"});
  EXPECT_EQ(CheckQuotaChange(member, nullptr, std::nullopt, fresh, tiers).error().kind,
            ErrorKind::kPermissionDenied);
  EXPECT_TRUE(CheckQuotaChange(org_admin, nullptr, std::nullopt, fresh, tiers).ok());
}

}  // namespace
}  // namespace keyward::service
