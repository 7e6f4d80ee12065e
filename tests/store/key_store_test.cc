// Keys: round-trips, uniqueness, update rules, revocation, rotation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::StoreTest;

void ExpectSameKey(const KeyRecord& a, const KeyRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.display_prefix, b.display_prefix);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.owner_user_id, b.owner_user_id);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.scopes, b.scopes);
  EXPECT_EQ(a.read_only, b.read_only);
  EXPECT_EQ(a.enabled, b.enabled);
  EXPECT_EQ(a.expires_at, b.expires_at);
  EXPECT_EQ(a.ip_allow, b.ip_allow);
  EXPECT_EQ(a.ip_deny, b.ip_deny);
  EXPECT_EQ(a.rate_limit, b.rate_limit);
  EXPECT_EQ(a.tier, b.tier);
  EXPECT_EQ(a.remaining_uses, b.remaining_uses);
  EXPECT_EQ(a.refill, b.refill);
  EXPECT_EQ(a.quota_epoch, b.quota_epoch);
  EXPECT_EQ(a.quota_refilled_at, b.quota_refilled_at);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.metadata_json, b.metadata_json);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.last_used_at, b.last_used_at);
  EXPECT_EQ(a.last_used_ip, b.last_used_ip);
  EXPECT_EQ(a.revoked_at, b.revoked_at);
  EXPECT_EQ(a.rotated_to, b.rotated_to);
}

KeyRecord FullKey() {
  KeyRecord key = MakeKey("key_full", "kw_FuLLkey01", "org_1", "usr_a");
  key.description = "line1\nline2 \"q\" ✓";
  key.scopes = {"logs:read", "*:write"};
  key.read_only = true;
  key.enabled = false;
  key.expires_at = 1'900'000'000;
  key.ip_allow = {"10.0.0.0/8", "2001:db8::/32"};
  key.ip_deny = {"10.1.2.3"};
  key.rate_limit = RateLimit{120, 60};
  key.tier = "premium";
  key.remaining_uses = 0;  // zero, not null
  key.refill = QuotaRefill{25, RefillInterval::kMonthly};
  key.quota_epoch = 3;
  key.quota_refilled_at = 1'700'000'250;
  key.tags = {"ci", "prod"};
  key.metadata_json = R"({"team":"infra","n":[1,2,{"deep":null}]})";
  key.last_used_at = 1'700'000'300;
  key.last_used_ip = "192.0.2.1";
  key.revoked_at = 1'700'000'400;
  key.rotated_to = "key_next";
  return key;
}

TEST_P(StoreTest, KeyRoundTripsEveryField) {
  KeyRecord key = FullKey();
  ASSERT_TRUE(store_->InsertKey(key).ok());
  Result<KeyRecord> got = store_->GetKey("key_full");
  ASSERT_TRUE(got.ok()) << got.error().message;
  ExpectSameKey(*got, key);
}

TEST_P(StoreTest, KeyRoundTripsNullsAndEmptyLists) {
  KeyRecord key = MakeKey("key_org", "kw_OrgKey001", "org_2", "");
  ASSERT_TRUE(store_->InsertKey(key).ok());
  Result<KeyRecord> got = store_->GetKey("key_org");
  ASSERT_TRUE(got.ok());
  ExpectSameKey(*got, key);
  EXPECT_EQ(got->owner_user_id, std::nullopt);
  EXPECT_EQ(got->rate_limit, std::nullopt);
  EXPECT_TRUE(got->scopes.empty());
  EXPECT_EQ(got->metadata_json, "{}");
}

TEST_P(StoreTest, DuplicateDisplayPrefixIsConflictNamingDisplayPrefix) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_SamePrefx", "org_1", "usr_a")).ok());
  Status status = store_->InsertKey(MakeKey("key_2", "kw_SamePrefx", "org_1", "usr_b"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kConflict);
  EXPECT_TRUE(status.error().Is(ErrorCause::kDuplicateDisplayPrefix));
  EXPECT_EQ(store_->GetKey("key_2").error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, DuplicateKeyIdIsConflict) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_prefix001", "org_1", "usr_a")).ok());
  Status status = store_->InsertKey(MakeKey("key_1", "kw_prefix002", "org_1", "usr_a"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kConflict);
  // Not a prefix collision: the minting loop must not draw again for it.
  EXPECT_TRUE(status.error().Is(ErrorCause::kDuplicateId));
}

TEST_P(StoreTest, KeyWithInvalidMetadataOrUnknownOwnerIsInvalidArgument) {
  KeyRecord bad_json = MakeKey("key_1", "kw_prefix001", "org_1", "usr_a");
  bad_json.metadata_json = "{not json";
  EXPECT_EQ(store_->InsertKey(bad_json).error().kind, ErrorKind::kInvalidArgument);
  KeyRecord bad_owner = MakeKey("key_2", "kw_prefix002", "org_1", "usr_nope");
  EXPECT_EQ(store_->InsertKey(bad_owner).error().kind, ErrorKind::kInvalidArgument);
}

TEST_P(StoreTest, MissingKeyIsNotFound) {
  EXPECT_EQ(store_->GetKey("key_nope").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store_->RevokeKey("key_nope", 1).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store_->UpdateKey(MakeKey("key_nope", "kw_x", "org_1", "usr_a")).error().kind,
            ErrorKind::kNotFound);
}

TEST_P(StoreTest, UpdateKeyWritesMutableFieldsButKeepsIdentityAndUsage) {
  KeyRecord original = MakeKey("key_1", "kw_prefix001", "org_1", "usr_a");
  original.last_used_at = 1'700'000'500;
  original.last_used_ip = "192.0.2.9";
  ASSERT_TRUE(store_->InsertKey(original).ok());

  KeyRecord changed = FullKey();
  changed.id = "key_1";
  changed.owner_user_id = "usr_b";
  changed.org_id = "org_2";
  changed.revoked_at = std::nullopt;
  changed.updated_at = 1'800'000'000;
  ASSERT_TRUE(store_->UpdateKey(changed).ok());

  KeyRecord expected = changed;
  expected.display_prefix = original.display_prefix;
  expected.hash = original.hash;
  expected.created_at = original.created_at;
  expected.created_by = original.created_by;
  expected.last_used_at = original.last_used_at;
  expected.last_used_ip = original.last_used_ip;
  ExpectSameKey(*store_->GetKey("key_1"), expected);  // a new quota_epoch: count written
}

TEST_P(StoreTest, UpdateKeyOnRevokedKeyIsConflictAndChangesNothing) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_prefix001", "org_1", "usr_a")).ok());
  KeyRecord revoked = *store_->RevokeKey("key_1", 1'750'000'000);
  KeyRecord unrevoke = revoked;
  unrevoke.revoked_at = std::nullopt;
  unrevoke.name = "changed";
  Status status = store_->UpdateKey(unrevoke);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kConflict);
  EXPECT_TRUE(status.error().Is(ErrorCause::kRevoked));
  ExpectSameKey(*store_->GetKey("key_1"), revoked);
}

TEST_P(StoreTest, RevokeKeyIsIdempotentAndKeepsFirstRevocationTime) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_prefix001", "org_1", "usr_a")).ok());
  Result<KeyRecord> first = store_->RevokeKey("key_1", 1'750'000'000);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->revoked_at, 1'750'000'000);
  EXPECT_EQ(first->updated_at, 1'750'000'000);
  Result<KeyRecord> second = store_->RevokeKey("key_1", 1'760'000'000);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->revoked_at, 1'750'000'000);
  ExpectSameKey(*store_->GetKey("key_1"), *first);
}

TEST_P(StoreTest, LoadAllKeysReturnsEveryKeyInInsertionOrderIncludingRevoked) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_z", "kw_prefix001", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_a", "kw_prefix002", "org_1", "")).ok());
  ASSERT_TRUE(store_->RevokeKey("key_z", 1'750'000'000).ok());
  Result<std::vector<KeyRecord>> all = store_->LoadAllKeys();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "key_z");
  EXPECT_TRUE((*all)[0].revoked_at.has_value());
  EXPECT_EQ((*all)[1].id, "key_a");
}

TEST_P(StoreTest, RotateKeyInsertsNewKeyAndUpdatesOldTogether) {
  KeyRecord old_key = MakeKey("key_old", "kw_prefix001", "org_1", "usr_a");
  ASSERT_TRUE(store_->InsertKey(old_key).ok());
  KeyRecord new_key = MakeKey("key_new", "kw_prefix002", "org_1", "usr_a");
  old_key.rotated_to = "key_new";
  old_key.expires_at = 1'800'000'060;
  ASSERT_TRUE(store_->RotateKey(old_key, new_key).ok());
  ExpectSameKey(*store_->GetKey("key_old"), old_key);
  ExpectSameKey(*store_->GetKey("key_new"), new_key);
}

TEST_P(StoreTest, FailedRotationChangesNothing) {
  KeyRecord old_key = MakeKey("key_old", "kw_prefix001", "org_1", "usr_a");
  ASSERT_TRUE(store_->InsertKey(old_key).ok());
  KeyRecord updated = old_key;
  updated.rotated_to = "key_new";
  KeyRecord clash = MakeKey("key_new", "kw_prefix001", "org_1", "usr_a");  // same prefix
  Status status = store_->RotateKey(updated, clash);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(store_->GetKey("key_old")->rotated_to, std::nullopt);

  ASSERT_TRUE(store_->RevokeKey("key_old", 1'750'000'000).ok());
  Status revoked =
      store_->RotateKey(updated, MakeKey("key_new", "kw_prefix002", "org_1", "usr_a"));
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(store_->GetKey("key_new").error().kind, ErrorKind::kNotFound);
}

// Live: neither revoked nor expired at `now`; disabled keys still count. User keys
// by owner, organization keys by organization, never mixed.
TEST_P(StoreTest, CountLiveKeysCountsAnOwnersOrAnOrganizationsLiveKeys) {
  const UnixSeconds now = 1'750'000'000;
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_prefix001", "org_1", "usr_a")).ok());
  KeyRecord disabled = MakeKey("key_2", "kw_prefix002", "org_1", "usr_a");
  disabled.enabled = false;
  ASSERT_TRUE(store_->InsertKey(disabled).ok());
  KeyRecord expired = MakeKey("key_3", "kw_prefix003", "org_1", "usr_a");
  expired.expires_at = now;  // expires_at <= now: expired
  ASSERT_TRUE(store_->InsertKey(expired).ok());
  KeyRecord later = MakeKey("key_4", "kw_prefix004", "org_1", "usr_a");
  later.expires_at = now + 1;
  ASSERT_TRUE(store_->InsertKey(later).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_5", "kw_prefix005", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->RevokeKey("key_5", now - 10).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_6", "kw_prefix006", "org_1", "usr_b")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_7", "kw_prefix007", "org_1", "")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_8", "kw_prefix008", "org_2", "")).ok());

  EXPECT_EQ(*store_->CountLiveKeys(std::string("usr_a"), "org_1", now), 3);  // 1, 2, 4
  EXPECT_EQ(*store_->CountLiveKeys(std::string("usr_b"), "org_1", now), 1);
  EXPECT_EQ(*store_->CountLiveKeys(std::string("usr_none"), "org_1", now), 0);
  EXPECT_EQ(*store_->CountLiveKeys(std::nullopt, "org_1", now), 1);  // key_7 only
  EXPECT_EQ(*store_->CountLiveKeys(std::nullopt, "org_2", now), 1);
  EXPECT_EQ(*store_->CountLiveKeys(std::string("usr_a"), "org_1", now + 1), 2);
}

}  // namespace
}  // namespace keyward::store
