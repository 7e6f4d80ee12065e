// Brute-force throttling of failed authentications per client IP.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

constexpr int kLimit = 3;
constexpr char kQuotaExceeded[] =
    "https://iana.org/assignments/http-problem-types#quota-exceeded";

class ThrottleTest : public ConfiguredServerTest {
 protected:
  json Config() override { return {{"limits", {{"failed_auth_per_minute", kLimit}}}}; }
};

TEST_F(ThrottleTest, PastTheLimitEvenAValidKeyGets429) {
  for (int i = 0; i < kLimit; ++i) {
    EXPECT_EQ(Do("GET", "/v1/me", "kw_guess" + std::to_string(i)).status, 401) << i;
  }
  auto r = Do("GET", "/v1/me", admin_key_);
  ASSERT_EQ(r.status, 429) << r.body;
  json p = Json(r);
  EXPECT_EQ(p["type"], kQuotaExceeded);
  EXPECT_EQ(p["code"], "rate_limited");
  const int retry = std::stoi(r.Header("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  // The key was not even looked at: no RateLimit fields of it.
  EXPECT_TRUE(r.Header("RateLimit").empty());
  // Requests without credentials are not throttled, and the server still serves.
  EXPECT_EQ(Do("GET", "/v1/me", "").status, 401);
  EXPECT_EQ(Do("GET", "/healthz", "").status, 200);
}

TEST_F(ThrottleTest, OnlyFailedAuthenticationsCount) {
  json k = CreateKey({{"name", "t"}, {"scopes", {"logs:read"}}});
  // Successes and 403s (a known key without the scope) do not count.
  for (int i = 0; i < 2 * kLimit; ++i) {
    EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);
    EXPECT_EQ(Do("GET", "/v1/keys", k["key"]).status, 403);
  }
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_).status, 200);
}

TEST_F(ThrottleTest, VerifyOfAThrottledClientAnswers200RateLimited) {
  for (int i = 0; i < kLimit; ++i) {
    EXPECT_EQ(VerifyKey(UnknownKey())["code"], "NOT_FOUND");
  }
  auto r = Do("POST", "/v1/verify", "", {{"key", admin_key_}});
  ASSERT_EQ(r.status, 200);
  json body = Json(r);
  EXPECT_EQ(body["valid"], false);
  EXPECT_EQ(body["code"], "RATE_LIMITED");
  EXPECT_FALSE(body.contains("key"));
  EXPECT_GE(std::stoi(r.Header("Retry-After")), 1);
}

// The test client (127.0.0.1) is a trusted proxy speaking for its clients.
class ProxiedThrottleTest : public ThrottleTest {
 protected:
  json Config() override {
    json c = ThrottleTest::Config();
    c["trusted_proxies"] = {"127.0.0.1/32"};
    return c;
  }
  json VerifyFor(const std::string& key, const std::string& ip) {
    json body{{"key", key}};
    if (!ip.empty()) body["ip"] = ip;
    return Json(Do("POST", "/v1/verify", "", body));
  }
};

TEST_F(ProxiedThrottleTest, VerifyThrottlesTheGivenIpNeverTheProxy) {
  for (int i = 0; i < kLimit; ++i) {
    EXPECT_EQ(VerifyFor(UnknownKey(), "203.0.113.9")["code"], "NOT_FOUND");
  }
  EXPECT_EQ(VerifyFor(admin_key_, "203.0.113.9")["code"], "RATE_LIMITED");
  EXPECT_EQ(VerifyFor(admin_key_, "203.0.113.10")["code"], "VALID");
  EXPECT_EQ(VerifyFor(admin_key_, "")["code"], "VALID");  // the proxy itself
  // Failures the proxy reports without an ip are never charged to the proxy.
  for (int i = 0; i < 2 * kLimit; ++i) VerifyFor(UnknownKey(), "");
  EXPECT_EQ(VerifyFor(admin_key_, "")["code"], "VALID");
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_).status, 200);
}

TEST_F(ProxiedThrottleTest, AdminCallsThrottleTheForwardedClient) {
  const Headers from_a = {{"X-Forwarded-For", "198.51.100.1"}};
  const Headers from_b = {{"X-Forwarded-For", "198.51.100.2"}};
  for (int i = 0; i < kLimit; ++i) {
    EXPECT_EQ(Do("GET", "/v1/me", UnknownKey(), nullptr, from_a).status, 401);
  }
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_, nullptr, from_a).status, 429);
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_, nullptr, from_b).status, 200);
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_).status, 200);
}

}  // namespace
}  // namespace keyward::testing
