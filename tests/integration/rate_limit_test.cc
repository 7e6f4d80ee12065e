// Per-key rate limits over HTTPS: RateLimit fields, 429s, tiers, changes.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class RateLimitTest : public ConfiguredServerTest {
 protected:
  json Config() override {
    return {{"tiers", {{"standard", {{"limit", 4}, {"window_seconds", 60}}}}}};
  }
};

constexpr char kQuotaExceeded[] =
    "https://iana.org/assignments/http-problem-types#quota-exceeded";

TEST_F(RateLimitTest, EveryAdmittedRequestCountsDownAndThenIs429) {
  json k =
      CreateKey({{"name", "rl"}, {"rate_limit", {{"limit", 3}, {"window_seconds", 60}}}});
  for (int i = 0; i < 3; ++i) {
    auto r = Do("GET", "/v1/me", k["key"]);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("RateLimit-Policy"), "\"default\";q=3;w=60");
    EXPECT_EQ(Param(r.Header("RateLimit"), "r"), 2 - i) << r.Header("RateLimit");
    // t: seconds until all 3 are back (20 s per request used; the clock runs on).
    EXPECT_LE(Param(r.Header("RateLimit"), "t"), 20 * (i + 1)) << r.Header("RateLimit");
    EXPECT_GT(Param(r.Header("RateLimit"), "t"), 20 * i) << r.Header("RateLimit");
  }
  auto r = Do("GET", "/v1/me", k["key"]);
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  json p = Json(r);
  EXPECT_EQ(p["type"], kQuotaExceeded);
  EXPECT_EQ(p["code"], "rate_limited");
  EXPECT_EQ(p["outcome"], "RATE_LIMITED");
  EXPECT_EQ(p["status"], 429);
  const int retry = std::stoi(r.Header("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 20);
  EXPECT_EQ(Param(r.Header("RateLimit"), "r"), 0);
  EXPECT_EQ(r.Header("RateLimit-Policy"), "\"default\";q=3;w=60");
}

TEST_F(RateLimitTest, VerifyReportsTheLimitInBodyAndFields) {
  json k =
      CreateKey({{"name", "rl"}, {"rate_limit", {{"limit", 2}, {"window_seconds", 30}}}});
  auto r = Do("POST", "/v1/verify", "", {{"key", k["key"]}});
  json body = Json(r);
  EXPECT_EQ(body["code"], "VALID");
  EXPECT_EQ(body["ratelimit"]["limit"], 2);
  EXPECT_EQ(body["ratelimit"]["remaining"], 1);
  EXPECT_EQ(body["ratelimit"]["reset_seconds"], 15);  // 30 s / 2, measured just now
  EXPECT_EQ(r.Header("RateLimit-Policy"), "\"default\";q=2;w=30");
  EXPECT_EQ(r.Header("RateLimit"), "\"default\";r=1;t=15");
  EXPECT_TRUE(r.Header("Retry-After").empty());
  Do("POST", "/v1/verify", "", {{"key", k["key"]}});
  r = Do("POST", "/v1/verify", "", {{"key", k["key"]}});
  ASSERT_EQ(r.status, 200);  // always 200 for a well-formed body
  body = Json(r);
  EXPECT_EQ(body["valid"], false);
  EXPECT_EQ(body["code"], "RATE_LIMITED");
  EXPECT_EQ(body["ratelimit"]["remaining"], 0);
  EXPECT_GE(std::stoi(r.Header("Retry-After")), 1);
}

TEST_F(RateLimitTest, TiersComeFromConfigAndPerKeyLimitsWin) {
  json standard = CreateKey({{"name", "std"}});
  EXPECT_EQ(standard["tier"], "standard");
  EXPECT_EQ(Do("GET", "/v1/me", standard["key"]).Header("RateLimit-Policy"),
            "\"default\";q=4;w=60");  // the file replaced the standard tier
  json high = CreateKey({{"name", "high"}, {"tier", "high"}});
  EXPECT_EQ(Do("GET", "/v1/me", high["key"]).Header("RateLimit-Policy"),
            "\"default\";q=300;w=60");  // untouched default tier
  json both = CreateKey({{"name", "both"},
                         {"tier", "high"},
                         {"rate_limit", {{"limit", 7}, {"window_seconds", 70}}}});
  EXPECT_EQ(Do("GET", "/v1/me", both["key"]).Header("RateLimit-Policy"),
            "\"default\";q=7;w=70");
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_).Header("RateLimit-Policy"),
            "\"default\";q=6000;w=60");
}

TEST_F(RateLimitTest, LimitChangesApplyToTheNextRequest) {
  json k =
      CreateKey({{"name", "rl"}, {"rate_limit", {{"limit", 1}, {"window_seconds", 60}}}});
  const std::string path = "/v1/keys/" + k["id"].get<std::string>();
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 429);
  auto patched = Do("PATCH", path, admin_key_,
                    {{"rate_limit", {{"limit", 5}, {"window_seconds", 60}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto r = Do("GET", "/v1/me", k["key"]);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("RateLimit-Policy"), "\"default\";q=5;w=60");
  EXPECT_EQ(Param(r.Header("RateLimit"), "r"), 3);  // one used before, one now
  // Back to the tier (rate_limit null): the tier's limit applies.
  ASSERT_EQ(
      Do("PATCH", path, admin_key_, {{"rate_limit", nullptr}, {"tier", "high"}}).status,
      200);
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).Header("RateLimit-Policy"),
            "\"default\";q=300;w=60");
}

TEST_F(RateLimitTest, RefusedKnownKeysShowTheirStateWithoutConsuming) {
  json k = CreateKey({{"name", "rl"},
                      {"scopes", {"logs:read"}},
                      {"rate_limit", {{"limit", 2}, {"window_seconds", 60}}}});
  // Refused for scope (admin endpoint needs keys:read): fields shown, nothing taken.
  for (int i = 0; i < 3; ++i) {
    auto r = Do("GET", "/v1/keys", k["key"]);
    ASSERT_EQ(r.status, 403);
    EXPECT_EQ(r.Header("RateLimit"), "\"default\";r=2;t=0");
  }
  ASSERT_EQ(Do("DELETE", "/v1/keys/" + k["id"].get<std::string>(), admin_key_).status,
            204);
  auto r = Do("POST", "/v1/verify", "", {{"key", k["key"]}});
  json body = Json(r);
  EXPECT_EQ(body["code"], "REVOKED");
  EXPECT_EQ(body["ratelimit"]["remaining"], 2);
  EXPECT_EQ(r.Header("RateLimit"), "\"default\";r=2;t=0");
  r = Do("GET", "/v1/me", k["key"]);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("RateLimit-Policy"), "\"default\";q=2;w=60");
}

TEST_F(RateLimitTest, UnknownKeysCarryNoRateLimitFields) {
  for (const std::string& key :
       {std::string("kw_nope"), admin_key_.substr(0, 20) + "x"}) {
    auto r = Do("GET", "/v1/me", key);
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(r.Header("RateLimit").empty());
    EXPECT_TRUE(r.Header("RateLimit-Policy").empty());
    r = Do("POST", "/v1/verify", "", {{"key", key}});
    EXPECT_FALSE(Json(r).contains("ratelimit"));
    EXPECT_TRUE(r.Header("RateLimit").empty());
  }
  EXPECT_TRUE(Do("GET", "/healthz", "").Header("RateLimit").empty());
}

}  // namespace
}  // namespace keyward::testing
