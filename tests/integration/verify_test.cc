// POST /v1/verify: every outcome code issue 2 covers, and scope wildcards.
#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class VerifyTest : public ServerTest {};

TEST_F(VerifyTest, OutcomeCodes) {
  json valid = CreateKey({{"name", "v"}, {"scopes", {"logs:read"}}});
  json revoked = CreateKey({{"name", "r"}});
  ASSERT_EQ(
      Do("DELETE", "/v1/keys/" + revoked["id"].get<std::string>(), admin_key_).status,
      204);
  json disabled = CreateKey({{"name", "d"}, {"enabled", false}});
  json expired = CreateKey({{"name", "e"}});
  ASSERT_EQ(Do("POST", "/v1/keys/" + expired["id"].get<std::string>() + "/rotate",
               admin_key_, {{"grace_seconds", 0}})
                .status,
            201);
  std::string bad_checksum = valid["key"];
  bad_checksum.back() = bad_checksum.back() == 'a' ? 'b' : 'a';

  EXPECT_EQ(VerifyKey(valid["key"], {"logs:read"})["code"], "VALID");
  EXPECT_EQ(VerifyKey("kw_short")["code"], "MALFORMED");
  EXPECT_EQ(VerifyKey(bad_checksum)["code"], "MALFORMED");
  EXPECT_EQ(VerifyKey("xx" + valid["key"].get<std::string>().substr(2))["code"],
            "MALFORMED");
  EXPECT_EQ(VerifyKey(revoked["key"])["code"], "REVOKED");
  EXPECT_EQ(VerifyKey(disabled["key"])["code"], "DISABLED");
  EXPECT_EQ(VerifyKey(expired["key"])["code"], "EXPIRED");
  EXPECT_EQ(VerifyKey(valid["key"], {"logs:write"})["code"], "INSUFFICIENT_SCOPE");
}

TEST_F(VerifyTest, NotFoundForWellFormedUnknownKey) {
  // Mint a key on a throwaway server: well-formed, right prefix, valid checksum,
  // unknown here.
  TempDir other_dir;
  KeywardProcess other({other_dir.File("data"), {}, {}, true});
  ASSERT_TRUE(other.Start());
  json r = VerifyKey(other.BootstrapKey());
  EXPECT_EQ(r["code"], "NOT_FOUND");
  EXPECT_EQ(r["valid"], false);
  EXPECT_FALSE(r.contains("key"));
}

TEST_F(VerifyTest, ValidResponseCarriesKeyAndEffectiveScopes) {
  json k = CreateKey({{"name", "w"}, {"scopes", {"logs:*", "*:read"}}});
  json r = VerifyKey(k["key"], {"logs:write", "metrics:read"});
  EXPECT_EQ(r["valid"], true);
  EXPECT_EQ(r["code"], "VALID");
  EXPECT_EQ(r["key"]["id"], k["id"]);
  EXPECT_FALSE(r["key"].contains("key"));
  EXPECT_EQ(r["effective_scopes"].size(), 2u);
  EXPECT_EQ(VerifyKey(k["key"], {"metrics:write"})["code"], "INSUFFICIENT_SCOPE");
}

TEST_F(VerifyTest, BadBodiesAre422) {
  EXPECT_EQ(Do("POST", "/v1/verify", "", {{"scopes", {"a:b"}}}).status, 422);
  EXPECT_EQ(Do("POST", "/v1/verify", "", {{"key", 5}}).status, 422);
  EXPECT_EQ(Do("POST", "/v1/verify", "", {{"key", "kw_x"}, {"scope", "a:b"}}).status,
            422);
  EXPECT_EQ(Do("POST", "/v1/verify", "", {{"key", "kw_x"}, {"ip", "999.1.1.1"}}).status,
            422);
}

TEST_F(VerifyTest, MetricsCountOutcomesWithoutKeyMaterial) {
  json k = CreateKey({{"name", "m"}});
  VerifyKey(k["key"]);
  VerifyKey("kw_nope");
  auto r = Do("GET", "/metrics", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("keyward_verifications_total{outcome=\"VALID\"}"),
            std::string::npos);
  EXPECT_NE(r.body.find("keyward_verifications_total{outcome=\"MALFORMED\"}"),
            std::string::npos);
  EXPECT_NE(
      r.body.find("keyward_http_requests_total{route=\"/v1/verify\",status=\"200\"}"),
      std::string::npos);
  EXPECT_NE(r.body.find("keyward_http_request_duration_seconds_bucket"),
            std::string::npos);
  EXPECT_EQ(r.body.find(k["key"].get<std::string>().substr(3, 9)), std::string::npos);
  EXPECT_EQ(r.body.find("kw_"), std::string::npos);
}

TEST_F(VerifyTest, HealthAndReadiness) {
  auto h = Do("GET", "/healthz", "");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(Json(h)["status"], "ok");
  EXPECT_EQ(Do("GET", "/readyz", "").status, 200);
}

}  // namespace
}  // namespace keyward::testing
