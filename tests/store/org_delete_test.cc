// Store::DeleteOrgWithMembers: the 409 check and the forced cascade, in one
// transaction.
#include <gtest/gtest.h>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::MakeOrg;
using testing::MakeUser;
using testing::StoreTest;

constexpr UnixSeconds kNow = 1'800'000'000;

TEST_P(StoreTest, EmptyOrgIsDeletedWithoutForce) {
  auto d = store_->DeleteOrgWithMembers("org_2", kNow, /*force=*/false);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->revoked_key_ids.empty());
  EXPECT_TRUE(d->deleted_user_ids.empty());
  EXPECT_EQ(store_->GetOrg("org_2").error().kind, ErrorKind::kNotFound);
  // Deleting again: the org no longer exists.
  EXPECT_EQ(store_->DeleteOrgWithMembers("org_2", kNow, true).error().kind,
            ErrorKind::kNotFound);
}

TEST_P(StoreTest, OrgWithMembersOrKeysNeedsForce) {
  struct Case {
    const char* name;
    bool add_user, add_key, revoke_key;
    bool conflict;
  };
  const Case cases[] = {
      {"user only", true, false, false, true},
      {"org key only", false, true, false, true},
      {"revoked org key only", false, true, true, false},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::string org = "org_c" + std::to_string(++n);
    ASSERT_TRUE(store_->InsertOrg(MakeOrg(org, org)).ok());
    if (c.add_user) {
      ASSERT_TRUE(store_->InsertUser(MakeUser("usr_" + org, org, org)).ok());
    }
    if (c.add_key) {
      ASSERT_TRUE(store_->InsertKey(MakeKey("key_" + org, "kw_" + org, org, "")).ok());
    }
    if (c.revoke_key) {
      ASSERT_TRUE(store_->RevokeKey("key_" + org, kNow).ok());
    }
    auto d = store_->DeleteOrgWithMembers(org, kNow, /*force=*/false);
    EXPECT_EQ(!d.ok() && d.error().Is(ErrorCause::kNotEmpty), c.conflict) << c.name;
    // A refused delete changes nothing.
    EXPECT_EQ(store_->GetOrg(org).ok(), c.conflict) << c.name;
  }
}

TEST_P(StoreTest, ForcedDeleteRevokesEveryKeyAndDeletesEveryUserOfTheOrg) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_a", "kw_aaaaaaaaa", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_o", "kw_ooooooooo", "org_1", "")).ok());
  ASSERT_TRUE(store_->InsertUser(MakeUser("usr_c", "carol", "org_2")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_c", "kw_ccccccccc", "org_2", "usr_c")).ok());
  auto before = store_->CurrentChangeSeq();
  ASSERT_TRUE(before.ok());

  auto conflict = store_->DeleteOrgWithMembers("org_1", kNow, /*force=*/false);
  ASSERT_FALSE(conflict.ok());
  EXPECT_NE(conflict.error().message.find("2 user(s) and 2 unrevoked key(s)"),
            std::string::npos)
      << conflict.error().message;

  auto d = store_->DeleteOrgWithMembers("org_1", kNow, /*force=*/true);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->revoked_key_ids, (std::vector<std::string>{"key_a", "key_o"}));
  EXPECT_EQ(d->deleted_user_ids, (std::vector<std::string>{"usr_a", "usr_b"}));
  EXPECT_EQ(store_->GetKey("key_a")->revoked_at, kNow);
  EXPECT_EQ(store_->GetKey("key_o")->revoked_at, kNow);
  EXPECT_EQ(store_->GetUser("usr_a").error().kind, ErrorKind::kNotFound);
  // The other org is untouched.
  EXPECT_FALSE(store_->GetKey("key_c")->revoked_at.has_value());
  EXPECT_TRUE(store_->GetUser("usr_c").ok());
  // Everything that changed is in the change feed, so a server publishes it.
  auto changes = store_->ChangesSince(*before);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->keys.size(), 2u);
  EXPECT_EQ(changes->users.size(), 2u);
  ASSERT_EQ(changes->orgs.size(), 1u);
  EXPECT_TRUE(changes->orgs[0].deleted);
  // The names are free again.
  EXPECT_TRUE(store_->InsertUser(MakeUser("usr_a2", "alice", "org_2")).ok());
  EXPECT_TRUE(store_->InsertOrg(MakeOrg("org_1b", "one")).ok());
}

}  // namespace
}  // namespace keyward::store
