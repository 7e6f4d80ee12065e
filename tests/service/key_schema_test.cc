// The key field table (service/key_schema.h) against the store's column table and
// the JSON codec: a member added to the table but not stored, not encoded or not
// read back fails here.
#include "keyward/service/key_schema.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "keyward/api/encode.h"
#include "keyward/api/key_fields.h"
#include "store/store_test_util.h"

namespace keyward::service {
namespace {

constexpr UnixSeconds kNow = 1'800'000'000;

// Every member set to something other than a default-constructed KeyRecord's.
KeyRecord FullKey() {
  KeyRecord k;
  k.id = "key_full";
  k.display_prefix = "kw_FuLLkEy01";
  for (std::size_t i = 0; i < k.hash.size(); ++i) k.hash[i] = static_cast<uint8_t>(i + 1);
  k.name = "every field";
  k.description = "set to something";
  k.kind = KeyKind::kOrg;
  k.owner_user_id = "usr_full";
  k.org_id = "org_full";
  k.scopes = {"logs:read", "metrics:*"};
  k.read_only = true;
  k.enabled = false;
  k.expires_at = kNow + 3600;
  k.ip_allow = {"10.0.0.0/8", "192.168.0.1/32"};
  k.ip_deny = {"10.1.0.0/16"};
  k.rate_limit = RateLimit{5, 10};
  k.tier = "high";
  k.remaining_uses = 7;
  k.refill = QuotaRefill{9, RefillInterval::kMonthly};
  k.quota_epoch = 3;
  k.quota_refilled_at = kNow - 60;
  k.tags = {"ci", "prod"};
  k.metadata_json = R"({"team":"x"})";
  k.created_at = kNow - 100;
  k.created_by = "usr_full";
  k.updated_at = kNow - 50;
  k.last_used_at = kNow - 10;
  k.last_used_ip = "10.0.0.7";
  k.revoked_at = kNow - 5;
  k.rotated_to = "key_next";
  return k;
}

core::Tiers Tiers() {
  core::Tiers t;
  t.by_name = {{"standard", {60, 60}}, {"high", {300, 60}}};
  return t;
}

TEST(KeySchemaTest, TheFixtureSetsEveryMember) {
  const KeyRecord full = FullKey(), blank;
  for (const KeyFieldSpec& spec : KeyFieldSpecs()) {
    if (!spec.same) continue;  // computed (status)
    EXPECT_FALSE(spec.same(full, blank))
        << spec.name << ": set it in FullKey() to a non-default value";
  }
}

TEST(KeySchemaTest, NamesAreUniqueAndWritableMembersAreComplete) {
  std::set<std::string_view> names;
  for (const KeyFieldSpec& spec : KeyFieldSpecs()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    ASSERT_NE(spec.encode, nullptr) << spec.name;
    if (spec.access == Access::kReadOnly) continue;
    EXPECT_NE(spec.read, nullptr) << spec.name;
    EXPECT_NE(spec.present, nullptr) << spec.name;
    EXPECT_NE(spec.apply, nullptr) << spec.name;
    EXPECT_NE(spec.same, nullptr) << spec.name;
    EXPECT_FALSE(spec.store_column.empty()) << spec.name << " is writable: store it";
  }
}

// Store: every member the table stores comes back from SQLite as it went in.
TEST(KeySchemaTest, EveryStoredMemberRoundTripsThroughTheStore) {
  store::testing::TempDir dir;
  auto st = store::Store::Open(dir.File("keys.db"));
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_TRUE((*st)->InsertOrg(store::testing::MakeOrg("org_full", "o")).ok());
  ASSERT_TRUE(
      (*st)->InsertUser(store::testing::MakeUser("usr_full", "full", "org_full")).ok());
  const KeyRecord full = FullKey();
  ASSERT_TRUE((*st)->InsertKey(full).ok());
  auto got = (*st)->GetKey(full.id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  for (const KeyFieldSpec& spec : KeyFieldSpecs()) {
    if (spec.store_column.empty()) continue;
    EXPECT_TRUE(spec.same(*got, full))
        << spec.name << " (column " << spec.store_column << ") does not round-trip";
  }
  EXPECT_EQ(*got, full);  // the bookkeeping outside the table too (hash, epoch)
}

// JSON: every member is encoded (differs from a blank key's encoding, or is
// computed), and every writable member read back from its own encoding is the same.
TEST(KeySchemaTest, EveryMemberRoundTripsThroughTheJsonCodec) {
  const KeyRecord full = FullKey();
  const core::Tiers tiers = Tiers();
  const nlohmann::json encoded = api::KeyJson(full, kNow, tiers);
  const nlohmann::json blank = api::KeyJson(KeyRecord{}, kNow, tiers);
  nlohmann::json body = nlohmann::json::object();
  for (const KeyFieldSpec& spec : KeyFieldSpecs()) {
    const std::string name(spec.name);
    ASSERT_TRUE(encoded.contains(name)) << name;
    if (spec.same) {
      EXPECT_NE(encoded[name], blank[name]) << name << " is not encoded";
    }
    if (spec.access != Access::kReadOnly) body[name] = encoded[name];
  }
  EXPECT_EQ(encoded.size(), KeyFieldSpecs().size());
  auto fields = api::ParseKeyFields(body, KeyFieldsMode::kCreate, kNow, tiers.by_name);
  ASSERT_TRUE(fields.ok()) << fields.error().fields[0].field << ": "
                           << fields.error().fields[0].message;
  KeyRecord back;
  for (const KeyFieldSpec& spec : KeyFieldSpecs()) {
    if (spec.access == Access::kReadOnly) continue;
    EXPECT_TRUE(spec.present(*fields)) << spec.name << " is not read";
    spec.apply(*fields, back);
    EXPECT_TRUE(spec.same(back, full)) << spec.name << " does not round-trip";
  }
  // The audit event names every member a PATCH may set, in the table's order.
  std::string patchable;
  for (const KeyFieldSpec& spec : KeyFieldSpecs()) {
    if (spec.access != Access::kReadWrite) continue;
    patchable += (patchable.empty() ? "" : ",") + std::string(spec.name);
  }
  EXPECT_EQ(ChangedFields(*fields), patchable);
  EXPECT_EQ(patchable.rfind("name,description,scopes,read_only,enabled,expires_at,", 0),
            0u);
}

TEST(KeySchemaTest, FlagsTellTheServiceWhatAChangeMeans) {
  KeyFields f;
  f.name = "n";
  EXPECT_FALSE(SetsAny(f, Changeable::kQuota));
  EXPECT_FALSE(SetsQuota(f));
  f.tier = "high";
  EXPECT_TRUE(SetsAny(f, Changeable::kQuota));
  EXPECT_FALSE(SetsQuota(f));  // a tier is a quota control, not a new count
  f.refill = std::optional<QuotaRefill>();
  EXPECT_TRUE(SetsQuota(f));
  f = KeyFields{};
  f.scopes = std::vector<std::string>{"a:b"};
  EXPECT_TRUE(SetsAny(f, Changeable::kWithinGrant));
}

// The CLI fills KeyFields without JSON; it meets the same rules.
TEST(KeySchemaTest, ValidateKeyFieldsAppliesTheDomainRules) {
  const std::map<std::string, RateLimit> tiers = {{"standard", {60, 60}}};
  KeyFields f;
  f.scopes = std::vector<std::string>{"a:b", "not a scope", "a:b"};
  f.ip_allow = std::vector<std::string>{"10.1.2.3"};
  f.expires_at = std::optional<UnixSeconds>(kNow - 1);
  Status s = ValidateKeyFields(f, {KeyFieldsMode::kCreate, kNow, &tiers});
  ASSERT_FALSE(s.ok());
  std::vector<std::string> bad;
  for (const FieldError& e : s.error().fields) bad.push_back(e.field);
  EXPECT_EQ(bad, (std::vector<std::string>{"name", "scopes[1]", "expires_at"}));
  EXPECT_EQ(*f.scopes, (std::vector<std::string>{"a:b", "not a scope"}));  // a set
  EXPECT_EQ(*f.ip_allow, (std::vector<std::string>{"10.1.2.3/32"}));       // canonical
  EXPECT_FALSE(ExpiryIn("soon", kNow).ok());
  EXPECT_EQ(*ExpiryIn("1h", kNow), kNow + 3600);
}

}  // namespace
}  // namespace keyward::service
