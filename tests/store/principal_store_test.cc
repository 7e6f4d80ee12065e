// Orgs and users: round-trips, uniqueness, soft deletion.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::MakeOrg;
using testing::MakeUser;
using testing::StoreTest;

void ExpectSameOrg(const OrgRecord& a, const OrgRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.enabled, b.enabled);
  EXPECT_EQ(a.api_keys_enabled, b.api_keys_enabled);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.deleted, b.deleted);
}

void ExpectSameUser(const UserRecord& a, const UserRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.permissions, b.permissions);
  EXPECT_EQ(a.enabled, b.enabled);
  EXPECT_EQ(a.api_keys_enabled, b.api_keys_enabled);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.deleted, b.deleted);
}

TEST_P(StoreTest, OrgRoundTripsEveryField) {
  OrgRecord org = MakeOrg("org_x", "Acme \"quoted\" ü");
  org.enabled = false;
  org.api_keys_enabled = false;
  ASSERT_TRUE(store_->InsertOrg(org).ok());
  Result<OrgRecord> got = store_->GetOrg("org_x");
  ASSERT_TRUE(got.ok());
  ExpectSameOrg(*got, org);
  Result<std::optional<OrgRecord>> by_name = store_->FindOrgByName("Acme \"quoted\" ü");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  ExpectSameOrg(**by_name, org);
}

TEST_P(StoreTest, MissingOrgIsNotFoundAndUnknownNameIsEmpty) {
  Result<OrgRecord> got = store_->GetOrg("org_nope");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, ErrorKind::kNotFound);
  Result<std::optional<OrgRecord>> by_name = store_->FindOrgByName("nope");
  ASSERT_TRUE(by_name.ok());
  EXPECT_FALSE(by_name->has_value());
}

TEST_P(StoreTest, UpdateOrgWritesMutableFields) {
  OrgRecord org = *store_->GetOrg("org_1");
  org.name = "renamed";
  org.enabled = false;
  org.api_keys_enabled = false;
  org.updated_at = 1'800'000'000;
  ASSERT_TRUE(store_->UpdateOrg(org).ok());
  ExpectSameOrg(*store_->GetOrg("org_1"), org);
  Status missing = store_->UpdateOrg(MakeOrg("org_nope", "x"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, DuplicateLiveOrgNameIsConflictButDeletedNameIsReusable) {
  Status duplicate = store_->InsertOrg(MakeOrg("org_x", "one"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().kind, ErrorKind::kConflict);
  EXPECT_TRUE(duplicate.error().Is(ErrorCause::kDuplicateOrgName));
  ASSERT_TRUE(store_->DeleteOrg("org_2", 1'800'000'000).ok());
  EXPECT_TRUE(store_->InsertOrg(MakeOrg("org_y", "two")).ok());
  EXPECT_EQ((*store_->FindOrgByName("two"))->id, "org_y");
}

TEST_P(StoreTest, DeleteOrgHidesItAndSecondDeleteIsNotFound) {
  ASSERT_TRUE(store_->DeleteOrg("org_2", 1'800'000'000).ok());
  EXPECT_EQ(store_->GetOrg("org_2").error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(store_->FindOrgByName("two")->has_value());
  Status again = store_->DeleteOrg("org_2", 1'800'000'001);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store_->UpdateOrg(MakeOrg("org_2", "two")).error().kind,
            ErrorKind::kNotFound);
}

TEST_P(StoreTest, UserRoundTripsEveryField) {
  UserRecord user = MakeUser("usr_x", "Carol", "org_2", Role::kOrgAdmin);
  user.permissions = {"keys:*", "logs:read", "*"};
  user.enabled = false;
  user.api_keys_enabled = false;
  ASSERT_TRUE(store_->InsertUser(user).ok());
  Result<UserRecord> got = store_->GetUser("usr_x");
  ASSERT_TRUE(got.ok());
  ExpectSameUser(*got, user);
  Result<std::optional<UserRecord>> by_name = store_->FindUserByUsername("Carol");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  ExpectSameUser(**by_name, user);

  UserRecord admin = MakeUser("usr_y", "root", "org_1", Role::kPlatformAdmin);
  ASSERT_TRUE(store_->InsertUser(admin).ok());
  ExpectSameUser(*store_->GetUser("usr_y"), admin);  // empty permissions, other role
}

TEST_P(StoreTest, UsernamesAreUniqueCaseInsensitiveAndReusableAfterDelete) {
  Status duplicate = store_->InsertUser(MakeUser("usr_x", "alice", "org_2"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().kind, ErrorKind::kConflict);
  EXPECT_TRUE(duplicate.error().Is(ErrorCause::kDuplicateUsername));
  // "Alice" and "alice" are one name (issue 7, finding 12).
  Status folded = store_->InsertUser(MakeUser("usr_y", "Alice", "org_1"));
  ASSERT_FALSE(folded.ok());
  EXPECT_EQ(folded.error().kind, ErrorKind::kConflict);
  EXPECT_EQ((*store_->FindUserByUsername("ALICE"))->id, "usr_a");
  ASSERT_TRUE(store_->DeleteUser("usr_a", 1'800'000'000).ok());
  EXPECT_TRUE(store_->InsertUser(MakeUser("usr_z", "alice", "org_1")).ok());
  EXPECT_EQ((*store_->FindUserByUsername("alice"))->id, "usr_z");
}

TEST_P(StoreTest, RenamingUserOntoTakenUsernameIsConflict) {
  UserRecord bob = *store_->GetUser("usr_b");
  bob.username = "alice";
  Status status = store_->UpdateUser(bob);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kConflict);
}

TEST_P(StoreTest, UserInUnknownOrgIsInvalidArgument) {
  Status status = store_->InsertUser(MakeUser("usr_x", "x", "org_nope"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kInvalidArgument);
}

TEST_P(StoreTest, UpdateUserWritesMutableFields) {
  UserRecord user = *store_->GetUser("usr_a");
  user.username = "alice2";
  user.org_id = "org_2";
  user.role = Role::kOrgAdmin;
  user.permissions = {"keys:read"};
  user.enabled = false;
  user.api_keys_enabled = false;
  user.updated_at = 1'800'000'000;
  ASSERT_TRUE(store_->UpdateUser(user).ok());
  ExpectSameUser(*store_->GetUser("usr_a"), user);
  EXPECT_EQ(store_->UpdateUser(MakeUser("usr_nope", "n", "org_1")).error().kind,
            ErrorKind::kNotFound);
}

TEST_P(StoreTest, DeleteUserRevokesOnlyThatUsersUnrevokedUserKeys) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_a1", "kw_a1", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_a2", "kw_a2", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->RevokeKey("key_a2", 1'750'000'000).ok());
  KeyRecord org_key = MakeKey("key_org", "kw_org", "org_1", "");
  org_key.created_by = "usr_a";  // created by alice, but the org's key
  ASSERT_TRUE(store_->InsertKey(org_key).ok());
  KeyRecord owned_org_key = MakeKey("key_org2", "kw_org2", "org_1", "usr_a");
  owned_org_key.kind = KeyKind::kOrg;  // names alice, but kind org: stays valid
  ASSERT_TRUE(store_->InsertKey(owned_org_key).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_b1", "kw_b1", "org_1", "usr_b")).ok());

  Result<std::vector<std::string>> revoked = store_->DeleteUser("usr_a", 1'800'000'000);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(*revoked, std::vector<std::string>{"key_a1"});

  EXPECT_EQ(store_->GetKey("key_a1")->revoked_at, 1'800'000'000);
  EXPECT_EQ(store_->GetKey("key_a2")->revoked_at, 1'750'000'000);  // first one kept
  EXPECT_EQ(store_->GetKey("key_org")->revoked_at, std::nullopt);
  EXPECT_EQ(store_->GetKey("key_org2")->revoked_at, std::nullopt);
  EXPECT_EQ(store_->GetKey("key_b1")->revoked_at, std::nullopt);
  EXPECT_EQ(store_->GetUser("usr_a").error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(store_->FindUserByUsername("alice")->has_value());

  Result<std::vector<std::string>> again = store_->DeleteUser("usr_a", 1'800'000'001);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace keyward::store
