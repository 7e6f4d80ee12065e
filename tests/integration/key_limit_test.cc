// limits.max_keys_per_owner over real HTTPS against the real binary: a keys:write key
// cannot mint (or rotate-with-grace) without bound.
#include <chrono>
#include <thread>

#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class KeyLimitTest : public ServerTest {
 protected:
  KeywardProcess::Options ServerOptions() override {
    KeywardProcess::Options o = ServerTest::ServerOptions();
    o.env.push_back("KEYWARD_MAX_KEYS_PER_OWNER=3");  // the bootstrap key is one
    return o;
  }
  ClientResponse Create(json body) { return Do("POST", "/v1/keys", admin_key_, body); }
  ClientResponse Rotate(const json& key, int grace) {
    return Do("POST", "/v1/keys/" + key["id"].get<std::string>() + "/rotate", admin_key_,
              {{"grace_seconds", grace}});
  }
};

TEST_F(KeyLimitTest, AnOwnerAtTheLimitMayCreateAgainOnlyAfterARevocation) {
  json a = CreateKey({{"name", "a"}, {"scopes", {"logs:read"}}});
  CreateKey({{"name", "b"}, {"scopes", {"logs:read"}}});
  auto refused = Create({{"name", "c"}, {"scopes", {"logs:read"}}});
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Json(refused)["code"], "conflict");
  EXPECT_NE(refused.body.find("max_keys_per_owner"), std::string::npos) << refused.body;
  // Nothing was minted by the refusal.
  auto listed = Do("GET", "/v1/keys?status=active", admin_key_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(Json(listed)["items"].size(), 3u) << listed.body;

  ASSERT_EQ(Do("DELETE", "/v1/keys/" + a["id"].get<std::string>(), admin_key_).status,
            204);
  EXPECT_EQ(Create({{"name", "c"}, {"scopes", {"logs:read"}}}).status, 201);
}

// With a grace period the outgoing key stays live beside its successor, so chained
// rotations would add keys: at the limit that is refused; without a grace period the
// old key ends at once and the count does not grow.
TEST_F(KeyLimitTest, RotationWithAGracePeriodCountsTheOutgoingKey) {
  json a = CreateKey({{"name", "a"}, {"scopes", {"logs:read"}}});
  CreateKey({{"name", "b"}, {"scopes", {"logs:read"}}});
  auto refused = Rotate(a, 60);
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(
      Json(Do("GET", "/v1/keys/" + a["id"].get<std::string>(), admin_key_))["rotated_to"],
      nullptr);
  auto rotated = Rotate(a, 0);
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  EXPECT_EQ(VerifyKey(Json(rotated)["key"], {"logs:read"})["code"], "VALID");
}

// Organization keys are counted per organization, apart from any user's keys.
TEST_F(KeyLimitTest, OrganizationKeysHaveTheirOwnCount) {
  CreateKey({{"name", "a"}, {"scopes", {"logs:read"}}});
  CreateKey({{"name", "b"}, {"scopes", {"logs:read"}}});
  ASSERT_EQ(Create({{"name", "c"}, {"scopes", {"logs:read"}}}).status, 409);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        Create({{"name", "org"}, {"kind", "org"}, {"scopes", {"logs:read"}}}).status,
        201);
  }
  EXPECT_EQ(Create({{"name", "org"}, {"kind", "org"}, {"scopes", {"logs:read"}}}).status,
            409);
}

// An expired key does not count, and giving it a later expiry counts it again:
// else short-lived keys, revived by a PATCH, would pass the limit.
TEST_F(KeyLimitTest, RevivingAnExpiredKeyCountsItAgain) {
  json brief =
      CreateKey({{"name", "brief"}, {"scopes", {"logs:read"}}, {"expires_in", "1s"}});
  CreateKey({{"name", "b"}, {"scopes", {"logs:read"}}});
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  json c =
      CreateKey({{"name", "c"}, {"scopes", {"logs:read"}}});  // brief no longer counts
  const std::string path = "/v1/keys/" + brief["id"].get<std::string>();
  auto refused = Do("PATCH", path, admin_key_, {{"expires_in", "1d"}});
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Do("PATCH", path, admin_key_, {{"expires_at", nullptr}}).status, 409);
  EXPECT_EQ(Json(Do("GET", path, admin_key_))["status"], "expired");
  // Other changes to the expired key are not about the count.
  EXPECT_EQ(Do("PATCH", path, admin_key_, {{"name", "renamed"}}).status, 200);

  ASSERT_EQ(Do("DELETE", "/v1/keys/" + c["id"].get<std::string>(), admin_key_).status,
            204);
  auto revived = Do("PATCH", path, admin_key_, {{"expires_in", "1d"}});
  ASSERT_EQ(revived.status, 200) << revived.body;
  EXPECT_EQ(Json(revived)["status"], "active");
}

}  // namespace
}  // namespace keyward::testing
