// The see/manage rules of visibility.h, one table row per (actor, resource).
#include "keyward/service/visibility.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace keyward::service {
namespace {

std::shared_ptr<const UserRecord> MakeUser(std::string id, std::string org, Role role,
                                           std::vector<std::string> perms) {
  auto u = std::make_shared<UserRecord>();
  u->id = std::move(id);
  u->username = u->id;
  u->org_id = std::move(org);
  u->role = role;
  u->permissions = std::move(perms);
  return u;
}

KeyRecord UserKey(const UserRecord& owner) {
  KeyRecord k;
  k.id = "key_of_" + owner.id;
  k.kind = KeyKind::kUser;
  k.owner_user_id = owner.id;
  k.org_id = owner.org_id;
  return k;
}

KeyRecord OrgKey(std::string org) {
  KeyRecord k;
  k.id = "key_org_" + org;
  k.kind = KeyKind::kOrg;
  k.org_id = std::move(org);
  return k;
}

Actor ActAs(std::shared_ptr<const UserRecord> user) {
  Actor a;
  a.user = std::move(user);
  auto key = std::make_shared<KeyRecord>(UserKey(*a.user));
  a.key = std::move(key);
  return a;
}

// What Authenticate builds for an organization key created by `creator`.
Actor ActAsOrgKey(const UserRecord& creator, std::vector<std::string> scopes) {
  Actor a;
  auto synthetic = std::make_shared<UserRecord>();
  synthetic->id = creator.id;
  synthetic->org_id = creator.org_id;
  synthetic->role = Role::kOrgAdmin;
  synthetic->permissions = scopes;
  a.user = std::move(synthetic);
  auto key = std::make_shared<KeyRecord>(OrgKey(creator.org_id));
  key->scopes = std::move(scopes);
  a.key = std::move(key);
  return a;
}

const auto kPa = MakeUser("usr_pa", "org_a", Role::kPlatformAdmin, {"*"});
const auto kOa = MakeUser("usr_oa", "org_a", Role::kOrgAdmin, {"*"});
const auto kNarrowOa = MakeUser("usr_noa", "org_a", Role::kOrgAdmin, {"logs:*"});
const auto kM = MakeUser("usr_m", "org_a", Role::kMember, {});
const auto kM2 = MakeUser("usr_m2", "org_a", Role::kMember, {"logs:read"});
const auto kWideM = MakeUser("usr_wm", "org_a", Role::kMember, {"*"});
const auto kB = MakeUser("usr_b", "org_b", Role::kMember, {});

struct UserCase {
  const char* name;
  Actor actor;
  std::shared_ptr<const UserRecord> target;
  bool see, manage;
};

TEST(VisibilityTest, Users) {
  const std::vector<UserCase> cases = {
      {"pa sees other org", ActAs(kPa), kB, true, true},
      {"pa manages itself", ActAs(kPa), kPa, true, true},
      {"oa sees member of org", ActAs(kOa), kM, true, true},
      {"oa sees but cannot manage pa", ActAs(kOa), kPa, true, false},
      {"oa manages peer org admin", ActAs(kOa), kNarrowOa, true, true},
      {"narrow oa cannot manage wider member", ActAs(kNarrowOa), kWideM, true, false},
      {"narrow oa manages narrower member", ActAs(kNarrowOa), kM2, true, true},
      {"narrow oa cannot manage wider admin", ActAs(kNarrowOa), kOa, true, false},
      {"oa cannot see other org", ActAs(kOa), kB, false, false},
      {"member sees itself only", ActAs(kM), kM, true, false},
      {"member cannot see peer", ActAs(kM), kM2, false, false},
      {"member cannot see admin", ActAs(kM), kOa, false, false},
      {"org key sees its org", ActAsOrgKey(*kOa, {"*"}), kM, true, true},
      {"org key never manages pa", ActAsOrgKey(*kOa, {"*"}), kPa, true, false},
      {"narrow org key cannot manage wider", ActAsOrgKey(*kOa, {"keys:*"}), kWideM, true,
       false},
      {"org key cannot see other org", ActAsOrgKey(*kOa, {"*"}), kB, false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanSeeUser(c.actor, *c.target), c.see) << c.name;
    EXPECT_EQ(CanManageUser(c.actor, *c.target), c.manage) << c.name;
  }
}

struct KeyCase {
  const char* name;
  Actor actor;
  KeyRecord key;
  std::shared_ptr<const UserRecord> owner;
  bool see, manage;
};

TEST(VisibilityTest, Keys) {
  const std::vector<KeyCase> cases = {
      {"pa any key", ActAs(kPa), UserKey(*kB), kB, true, true},
      {"pa other org key", ActAs(kPa), OrgKey("org_b"), nullptr, true, true},
      {"oa member key", ActAs(kOa), UserKey(*kM), kM, true, true},
      {"oa sees pa key, cannot manage", ActAs(kOa), UserKey(*kPa), kPa, true, false},
      {"oa own key", ActAs(kOa), UserKey(*kOa), kOa, true, true},
      {"oa org key", ActAs(kOa), OrgKey("org_a"), nullptr, true, true},
      {"oa other org key", ActAs(kOa), OrgKey("org_b"), nullptr, false, false},
      {"oa other org user key", ActAs(kOa), UserKey(*kB), kB, false, false},
      {"oa key of deleted owner", ActAs(kOa), UserKey(*kM2), nullptr, true, true},
      {"narrow oa own key", ActAs(kNarrowOa), UserKey(*kNarrowOa), kNarrowOa, true, true},
      {"narrow oa wider owner", ActAs(kNarrowOa), UserKey(*kWideM), kWideM, true, false},
      {"member own key", ActAs(kM), UserKey(*kM), kM, true, true},
      {"member peer key", ActAs(kM), UserKey(*kM2), kM2, false, false},
      {"member org key", ActAs(kM), OrgKey("org_a"), nullptr, false, false},
      {"org key: creator's user key is not its own", ActAsOrgKey(*kM2, {"*"}),
       UserKey(*kPa), kPa, true, false},
      {"org key: org key", ActAsOrgKey(*kOa, {"*"}), OrgKey("org_a"), nullptr, true,
       true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanSeeKey(c.actor, c.key), c.see) << c.name;
    EXPECT_EQ(CanManageKey(c.actor, c.key, c.owner.get()), c.manage) << c.name;
  }
}

TEST(VisibilityTest, Orgs) {
  OrgRecord a, b;
  a.id = "org_a";
  b.id = "org_b";
  EXPECT_TRUE(CanSeeOrg(ActAs(kPa), b));
  EXPECT_TRUE(CanSeeOrg(ActAs(kOa), a));
  EXPECT_FALSE(CanSeeOrg(ActAs(kOa), b));
  EXPECT_TRUE(CanSeeOrg(ActAs(kM), a));
  EXPECT_FALSE(CanSeeOrg(ActAs(kM), b));
  Actor cli;
  cli.local_cli = true;
  EXPECT_TRUE(CanSeeOrg(cli, b));
}

TEST(VisibilityTest, SelfIsNeverTheCreatorOfAnOrgKey) {
  EXPECT_EQ(ActAs(kOa).Self(), kOa.get());
  EXPECT_EQ(ActAsOrgKey(*kOa, {"*"}).Self(), nullptr);
  Actor cli;
  cli.local_cli = true;
  EXPECT_EQ(cli.Self(), nullptr);
  EXPECT_TRUE(cli.IsPlatformAdmin());
}

TEST(VisibilityTest, RoleRankOrdersAuthority) {
  EXPECT_LT(RoleRank(Role::kMember), RoleRank(Role::kOrgAdmin));
  EXPECT_LT(RoleRank(Role::kOrgAdmin), RoleRank(Role::kPlatformAdmin));
}

}  // namespace
}  // namespace keyward::service
