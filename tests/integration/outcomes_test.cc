// Every outcome code of contract section 4 on an admin call (/v1/me, /v1/keys) and
// on /v1/verify: HTTP status, problem code, WWW-Authenticate, RateLimit fields.
// OWNER_DISABLED needs user administration and is covered with it.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class OutcomesTest : public ConfiguredServerTest {};

TEST_F(OutcomesTest, EveryOutcomeHasItsStatusAndFields) {
  const json one_per_minute = {{"limit", 1}, {"window_seconds", 60}};
  json valid = CreateKey({{"name", "valid"}, {"scopes", {"keys:read"}}});
  json revoked = CreateKey({{"name", "revoked"}});
  ASSERT_EQ(
      Do("DELETE", "/v1/keys/" + revoked["id"].get<std::string>(), admin_key_).status,
      204);
  json expired = CreateKey({{"name", "expired"}});
  ASSERT_EQ(Do("POST", "/v1/keys/" + expired["id"].get<std::string>() + "/rotate",
               admin_key_, {{"grace_seconds", 0}})
                .status,
            201);
  json disabled = CreateKey({{"name", "disabled"}, {"enabled", false}});
  json forbidden = CreateKey({{"name", "ip"}, {"ip_allow", {"203.0.113.0/24"}}});
  json scopeless = CreateKey({{"name", "scope"}, {"scopes", {"logs:read"}}});
  json limited = CreateKey(
      {{"name", "limited"}, {"scopes", {"keys:read"}}, {"rate_limit", one_per_minute}});
  ASSERT_EQ(Do("GET", "/v1/me", limited["key"]).status, 200);
  json spent =
      CreateKey({{"name", "spent"}, {"scopes", {"keys:read"}}, {"remaining_uses", 0}});

  struct Case {
    std::string code;
    std::string key;
    int status;
    std::string problem_code;      // "" for 200
    std::string www_authenticate;  // "" = none
    bool ratelimit_fields;
    bool retry_after;
  };
  const std::string invalid = "Bearer realm=\"keyward\", error=\"invalid_token\"";
  const Case cases[] = {
      {"VALID", valid["key"], 200, "", "", true, false},
      {"MALFORMED", "kw_tooshort", 401, "invalid_token", invalid, false, false},
      {"NOT_FOUND", UnknownKey(), 401, "invalid_token", invalid, false, false},
      {"REVOKED", revoked["key"], 401, "invalid_token", invalid, true, false},
      {"EXPIRED", expired["key"], 401, "invalid_token", invalid, true, false},
      {"DISABLED", disabled["key"], 401, "invalid_token", invalid, true, false},
      {"FORBIDDEN_IP", forbidden["key"], 403, "forbidden_ip", "", true, false},
      {"INSUFFICIENT_SCOPE", scopeless["key"], 403, "insufficient_scope",
       "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"keys:read\"",
       true, false},
      {"RATE_LIMITED", limited["key"], 429, "rate_limited", "", true, true},
      {"USAGE_EXCEEDED", spent["key"], 429, "usage_exceeded", "", true, true},
  };
  for (const auto& c : cases) {
    // /v1/keys needs keys:read: the scope check applies to every key.
    auto r = Do("GET", "/v1/keys?limit=1", c.key);
    EXPECT_EQ(r.status, c.status) << c.code << ": " << r.body;
    EXPECT_EQ(r.Header("WWW-Authenticate"), c.www_authenticate) << c.code;
    EXPECT_EQ(!r.Header("RateLimit").empty(), c.ratelimit_fields) << c.code;
    EXPECT_EQ(!r.Header("RateLimit-Policy").empty(), c.ratelimit_fields) << c.code;
    EXPECT_EQ(!r.Header("Retry-After").empty(), c.retry_after) << c.code;
    if (c.status != 200) {
      json p = Json(r);
      EXPECT_EQ(p["code"], c.problem_code) << c.code;
      EXPECT_EQ(p["outcome"], c.code) << c.code;
      EXPECT_EQ(p["type"],
                c.status == 429
                    ? "https://iana.org/assignments/http-problem-types#quota-exceeded"
                    : "about:blank")
          << c.code;
    }
    // The same key through /v1/verify: 200 with the code, ratelimit when found.
    json body{{"key", c.key}, {"scopes", {"keys:read"}}};
    auto v = Do("POST", "/v1/verify", "", body);
    ASSERT_EQ(v.status, 200) << c.code;
    json vb = Json(v);
    EXPECT_EQ(vb["code"], c.code) << v.body;
    EXPECT_EQ(vb["valid"], c.code == "VALID") << c.code;
    EXPECT_EQ(vb.contains("ratelimit"), c.ratelimit_fields) << c.code;
    EXPECT_EQ(vb.contains("key"), c.ratelimit_fields) << c.code;
    EXPECT_EQ(!v.Header("Retry-After").empty(), c.retry_after) << c.code;
  }
}

TEST_F(OutcomesTest, ReadOnlyKeysCannotWrite) {
  json ro = CreateKey({{"name", "ro"}, {"scopes", {"*"}}, {"read_only", true}});
  EXPECT_EQ(VerifyKey(ro["key"])["effective_scopes"], json({"*:read"}));
  EXPECT_EQ(Do("GET", "/v1/keys", ro["key"]).status, 200);
  EXPECT_EQ(Do("GET", "/v1/me", ro["key"]).status, 200);
  const std::string path = "/v1/keys/" + ro["id"].get<std::string>();
  struct Case {
    std::string method, target;
    json body;
  };
  const Case writes[] = {
      {"POST", "/v1/keys", {{"name", "x"}}},
      {"PATCH", path, {{"name", "y"}}},
      {"DELETE", path, nullptr},
      {"POST", path + "/rotate", json::object()},
  };
  for (const auto& w : writes) {
    auto r = Do(w.method, w.target, ro["key"], w.body);
    EXPECT_EQ(r.status, 403) << w.method << " " << w.target << ": " << r.body;
    EXPECT_EQ(
        r.Header("WWW-Authenticate"),
        "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"keys:write\"");
  }
  // Still there, unchanged.
  EXPECT_EQ(Json(Do("GET", path, admin_key_))["status"], "active");
}

}  // namespace
}  // namespace keyward::testing
