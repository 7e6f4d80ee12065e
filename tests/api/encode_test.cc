#include "keyward/api/encode.h"

#include <gtest/gtest.h>

namespace keyward::api {
namespace {

TEST(EncodeTest, KeyStatusFollowsVerificationOrder) {
  KeyRecord k;
  EXPECT_EQ(KeyStatus(k, 100), "active");
  k.enabled = false;
  EXPECT_EQ(KeyStatus(k, 100), "disabled");
  k.expires_at = 100;
  EXPECT_EQ(KeyStatus(k, 100), "expired");
  EXPECT_EQ(KeyStatus(k, 99), "disabled");
  k.revoked_at = 50;
  EXPECT_EQ(KeyStatus(k, 100), "revoked");
}

TEST(EncodeTest, KeyJsonHasNoSecretMaterial) {
  KeyRecord k;
  k.id = "key_1";
  k.display_prefix = "kw_abcdefghi";
  k.hash.fill(0xAB);
  k.owner_user_id = "usr_1";
  k.metadata_json = R"({"a":[1,2]})";
  core::Tiers tiers;
  tiers.by_name = {{"standard", {60, 60}}, {"high", {300, 60}}};
  auto j = KeyJson(k, 0, tiers);
  EXPECT_FALSE(j.contains("hash"));
  EXPECT_FALSE(j.contains("key"));
  EXPECT_EQ(j["prefix"], "kw_abcdefghi");
  EXPECT_EQ(j["metadata"]["a"][1], 2);
  EXPECT_TRUE(j["expires_at"].is_null());
  // The limit in force: the tier's, as the key sets none itself.
  EXPECT_EQ(j["rate_limit"], (nlohmann::json{{"limit", 60}, {"window_seconds", 60}}));
  k.tier = "high";
  EXPECT_EQ(KeyJson(k, 0, tiers)["rate_limit"]["limit"], 300);
  k.rate_limit = RateLimit{5, 1};
  EXPECT_EQ(KeyJson(k, 0, tiers)["rate_limit"]["limit"], 5);
  EXPECT_EQ(j["created_at"], "1970-01-01T00:00:00Z");
  EXPECT_EQ(j.dump().find("abababab"), std::string::npos);
}

TEST(EncodeTest, Roles) {
  for (Role r : {Role::kPlatformAdmin, Role::kOrgAdmin, Role::kMember}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace keyward::api
