// The /v1/keys endpoints over real HTTPS against the real binary.
#include <regex>

#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class KeysApiTest : public ServerTest {};

TEST_F(KeysApiTest, CreateReturnsEveryFieldAndTheKeyOnce) {
  auto r = Do("POST", "/v1/keys", admin_key_,
              {{"name", "ci deploy"},
               {"description", "deploys from CI"},
               {"scopes", {"logs:read", "deploy:*"}},
               {"expires_in", "90d"},
               {"tags", {"ci", "prod"}},
               {"metadata", {{"team", "infra"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  json k = Json(r);
  EXPECT_TRUE(
      std::regex_match(k["key"].get<std::string>(), std::regex("kw_[0-9A-Za-z]{49}")));
  EXPECT_EQ(k["prefix"], k["key"].get<std::string>().substr(0, 12));
  EXPECT_EQ(r.Header("Location"), "/v1/keys/" + k["id"].get<std::string>());
  EXPECT_EQ(r.Header("Cache-Control"), "no-store, private");
  for (const char* field : {"id",          "prefix",         "name",
                            "description", "kind",           "owner_user_id",
                            "org_id",      "scopes",         "read_only",
                            "enabled",     "status",         "expires_at",
                            "ip_allow",    "ip_deny",        "rate_limit",
                            "tier",        "remaining_uses", "tags",
                            "metadata",    "created_at",     "created_by",
                            "updated_at",  "last_used_at",   "last_used_ip",
                            "revoked_at",  "rotated_to"}) {
    EXPECT_TRUE(k.contains(field)) << field;
  }
  EXPECT_FALSE(k.contains("hash"));
  EXPECT_EQ(k["kind"], "user");
  EXPECT_EQ(k["status"], "active");
  EXPECT_EQ(k["tier"], "standard");
  EXPECT_EQ(k["metadata"]["team"], "infra");
  EXPECT_TRUE(std::regex_match(k["expires_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  // The secret is never shown again.
  auto got = Do("GET", "/v1/keys/" + k["id"].get<std::string>(), admin_key_);
  ASSERT_EQ(got.status, 200);
  EXPECT_FALSE(Json(got).contains("key"));
  EXPECT_EQ(got.body.find(k["key"].get<std::string>()), std::string::npos);
}

TEST_F(KeysApiTest, CreatedKeyVerifiesWithItsScopesOnly) {
  json k = CreateKey({{"name", "reader"}, {"scopes", {"logs:read"}}});
  EXPECT_EQ(VerifyKey(k["key"], {"logs:read"})["code"], "VALID");
  json denied = VerifyKey(k["key"], {"logs:write"});
  EXPECT_EQ(denied["code"], "INSUFFICIENT_SCOPE");
  EXPECT_EQ(denied["valid"], false);
}

TEST_F(KeysApiTest, ListPagesWithCursorAndFilters) {
  for (int i = 0; i < 5; ++i) {
    CreateKey({{"name", "k" + std::to_string(i)}, {"tags", {i % 2 ? "odd" : "even"}}});
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/v1/keys?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto r = Do("GET", target, admin_key_);
    ASSERT_EQ(r.status, 200) << r.body;
    json body = Json(r);
    EXPECT_LE(body["items"].size(), 2u);
    for (const auto& item : body["items"]) seen.push_back(item["id"]);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"];
  }
  EXPECT_EQ(seen.size(), 6u);  // 5 + the bootstrap key
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());

  auto odd = Json(Do("GET", "/v1/keys?tag=odd", admin_key_));
  EXPECT_EQ(odd["items"].size(), 2u);
  EXPECT_EQ(Do("GET", "/v1/keys?status=bogus", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/keys?limit=501", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/keys?cursor=garbage", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/keys?ownr=x", admin_key_).status, 422);
}

TEST_F(KeysApiTest, PatchChangesFieldsAndDisablingTakesEffectAtOnce) {
  json k = CreateKey({{"name", "patch me"}, {"scopes", {"a:b"}}});
  const std::string id = k["id"];
  auto r = Do("PATCH", "/v1/keys/" + id, admin_key_,
              {{"name", "renamed"}, {"enabled", false}, {"tags", {"x"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["name"], "renamed");
  EXPECT_EQ(Json(r)["status"], "disabled");
  EXPECT_EQ(VerifyKey(k["key"])["code"], "DISABLED");
  ASSERT_EQ(Do("PATCH", "/v1/keys/" + id, admin_key_, {{"enabled", true}}).status, 200);
  EXPECT_EQ(VerifyKey(k["key"])["code"], "VALID");
  // Expiry can be set and cleared.
  r = Do("PATCH", "/v1/keys/" + id, admin_key_, {{"expires_in", 3600}});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Json(r)["expires_at"].is_string());
  r = Do("PATCH", "/v1/keys/" + id, admin_key_, {{"expires_at", nullptr}});
  EXPECT_TRUE(Json(r)["expires_at"].is_null());
  EXPECT_EQ(Do("PATCH", "/v1/keys/" + id, admin_key_, {{"kind", "org"}}).status, 422);
}

TEST_F(KeysApiTest, RevocationIsImmediatePermanentAndIdempotent) {
  json k = CreateKey({{"name", "doomed"}});
  const std::string id = k["id"];
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);
  EXPECT_EQ(Do("DELETE", "/v1/keys/" + id, admin_key_).status, 204);
  auto after = Do("GET", "/v1/me", k["key"]);  // the very next request
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Json(after)["outcome"], "REVOKED");
  EXPECT_EQ(VerifyKey(k["key"])["code"], "REVOKED");
  EXPECT_EQ(Do("DELETE", "/v1/keys/" + id, admin_key_).status, 204);
  auto patch = Do("PATCH", "/v1/keys/" + id, admin_key_, {{"enabled", true}});
  EXPECT_EQ(patch.status, 409);
  EXPECT_EQ(Json(patch)["code"], "conflict");
  EXPECT_EQ(Json(Do("GET", "/v1/keys/" + id, admin_key_))["status"], "revoked");
}

TEST_F(KeysApiTest, RotateIssuesNewKeyAndOldOneExpiresAfterGrace) {
  json k = CreateKey({{"name", "rotating"}, {"scopes", {"logs:read"}}});
  auto r = Do("POST", "/v1/keys/" + k["id"].get<std::string>() + "/rotate", admin_key_,
              {{"grace_seconds", 0}});
  ASSERT_EQ(r.status, 201) << r.body;
  json fresh = Json(r);
  EXPECT_NE(fresh["key"], k["key"]);
  EXPECT_EQ(fresh["scopes"], k["scopes"]);
  EXPECT_EQ(VerifyKey(fresh["key"], {"logs:read"})["code"], "VALID");
  EXPECT_EQ(VerifyKey(k["key"])["code"], "EXPIRED");
  json old = Json(Do("GET", "/v1/keys/" + k["id"].get<std::string>(), admin_key_));
  EXPECT_EQ(old["rotated_to"], fresh["id"]);

  json k2 = CreateKey({{"name", "graceful"}});
  r = Do("POST", "/v1/keys/" + k2["id"].get<std::string>() + "/rotate", admin_key_,
         {{"grace_seconds", 3600}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(VerifyKey(k2["key"])["code"], "VALID");  // still inside the grace period
}

TEST_F(KeysApiTest, MeReturnsTheCallingKeyAndItsUser) {
  auto r = Do("GET", "/v1/me", admin_key_);
  ASSERT_EQ(r.status, 200) << r.body;
  json me = Json(r);
  EXPECT_EQ(me["user"]["username"], "admin");
  EXPECT_EQ(me["user"]["role"], "platform_admin");
  EXPECT_EQ(me["key"]["tier"], "admin");
  EXPECT_EQ(me["key"]["scopes"], json({"*"}));
  EXPECT_EQ(me["key"]["prefix"], admin_key_.substr(0, 12));
}

TEST_F(KeysApiTest, AdminScopesAreRequired) {
  json reader = CreateKey({{"name", "ro"}, {"scopes", {"keys:read"}}});
  EXPECT_EQ(Do("GET", "/v1/keys", reader["key"]).status, 200);
  auto r = Do("POST", "/v1/keys", reader["key"], {{"name", "nope"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json(r)["code"], "insufficient_scope");
  EXPECT_EQ(
      r.Header("WWW-Authenticate"),
      "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"keys:write\"");
  json none = CreateKey({{"name", "no scopes"}});
  EXPECT_EQ(Do("GET", "/v1/keys", none["key"]).status, 403);
  EXPECT_EQ(Do("GET", "/v1/me", none["key"]).status, 200);  // any valid key
}

TEST_F(KeysApiTest, ReadOnlyKeysHoldOnlyReadGrants) {
  json k = CreateKey({{"name", "ro"}, {"scopes", {"*"}}, {"read_only", true}});
  EXPECT_EQ(VerifyKey(k["key"], {"logs:read"})["code"], "VALID");
  EXPECT_EQ(VerifyKey(k["key"], {"logs:write"})["code"], "INSUFFICIENT_SCOPE");
  EXPECT_EQ(Do("GET", "/v1/keys", k["key"]).status, 200);
  EXPECT_EQ(Do("POST", "/v1/keys", k["key"], {{"name", "x"}}).status, 403);
}

TEST_F(KeysApiTest, UsageCountsOutcomesPerHour) {
  json k = CreateKey({{"name", "counted"}, {"scopes", {"a:b"}}});
  VerifyKey(k["key"], {"a:b"});
  VerifyKey(k["key"], {"a:b"});
  VerifyKey(k["key"], {"c:d"});
  // Usage is written in batches; a clean stop flushes it.
  ASSERT_EQ(StopServer(), 0);
  StartServer();
  auto r = Do("GET", "/v1/keys/" + k["id"].get<std::string>() + "/usage", admin_key_);
  ASSERT_EQ(r.status, 200) << r.body;
  json items = Json(r)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["counts"]["VALID"], 2);
  EXPECT_EQ(items[0]["counts"]["INSUFFICIENT_SCOPE"], 1);
  json key = Json(Do("GET", "/v1/keys/" + k["id"].get<std::string>(), admin_key_));
  EXPECT_TRUE(key["last_used_at"].is_string());
  EXPECT_EQ(key["last_used_ip"], "127.0.0.1");
}

// The store learns of uses only when the usage batch is written (here: not for an
// hour), and a last-used stamp does not reload the key; /v1/verify still shows the
// use it just made, and a refused use does not count as one.
class LiveLastUseTest : public ServerTest {
 protected:
  KeywardProcess::Options ServerOptions() override {
    auto o = ServerTest::ServerOptions();
    o.env.push_back("KEYWARD_LAST_USED_FLUSH_SECONDS=3600");
    return o;
  }
};

TEST_F(LiveLastUseTest, VerifyShowsTheLastSuccessfulUseBeforeItIsFlushed) {
  json k = CreateKey({{"name", "live"}, {"scopes", {"a:b"}}});
  json first = VerifyKey(k["key"], {"a:b"});
  ASSERT_EQ(first["code"], "VALID");
  EXPECT_TRUE(first["key"]["last_used_at"].is_string()) << first.dump();
  EXPECT_EQ(first["key"]["last_used_ip"], "127.0.0.1");
  json refused = VerifyKey(k["key"], {"c:d"});
  ASSERT_EQ(refused["code"], "INSUFFICIENT_SCOPE");
  EXPECT_EQ(refused["key"]["last_used_at"], first["key"]["last_used_at"]);
  EXPECT_EQ(refused["key"]["last_used_ip"], "127.0.0.1");
  // The admin API reads the store: not written yet, so still unused there.
  json stored = Json(Do("GET", "/v1/keys/" + k["id"].get<std::string>(), admin_key_));
  EXPECT_TRUE(stored["last_used_at"].is_null()) << stored.dump();
  // A key never used successfully shows no use, whatever it was refused for.
  json other = CreateKey({{"name", "unused"}, {"scopes", {"a:b"}}});
  EXPECT_TRUE(VerifyKey(other["key"], {"c:d"})["key"]["last_used_at"].is_null());
}

}  // namespace
}  // namespace keyward::testing
