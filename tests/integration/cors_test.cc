// CORS over HTTPS: preflights and actual responses, allowed and other origins.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

constexpr char kApp[] = "https://app.example";

class CorsTest : public ConfiguredServerTest {
 protected:
  json Config() override { return {{"cors", {{"allowed_origins", {kApp}}}}}; }

  ClientResponse Preflight(const std::string& target, const std::string& origin) {
    return client_->Send(
        "OPTIONS", target,
        {{"Origin", origin},
         {"Access-Control-Request-Method", "POST"},
         {"Access-Control-Request-Headers", "authorization, content-type"}});
  }
};

TEST_F(CorsTest, PreflightFromAnAllowedOrigin) {
  auto r = Preflight("/v1/keys", kApp);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.Header("Access-Control-Allow-Origin"), kApp);
  EXPECT_EQ(r.Header("Vary"), "Origin");
  const std::string methods = r.Header("Access-Control-Allow-Methods");
  EXPECT_NE(methods.find("POST"), std::string::npos) << methods;
  EXPECT_NE(methods.find("GET"), std::string::npos) << methods;
  EXPECT_EQ(r.Header("Access-Control-Allow-Headers"),
            "Authorization, X-API-Key, Content-Type");
  EXPECT_EQ(r.Header("Access-Control-Max-Age"), "600");
  // Other routes too, with their own methods; no key needed for a preflight.
  r = Preflight("/v1/keys/key_abc", kApp);
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.Header("Access-Control-Allow-Methods").find("PATCH"), std::string::npos);
  EXPECT_EQ(Preflight("/v1/verify", kApp).status, 204);
}

TEST_F(CorsTest, PreflightFromAnotherOriginGetsNoCorsFields) {
  auto r = Preflight("/v1/keys", "https://evil.example");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.Header("Access-Control-Allow-Origin").empty());
  EXPECT_TRUE(r.Header("Access-Control-Allow-Methods").empty());
  EXPECT_EQ(Preflight("/v1/nothing", kApp).status, 404);
}

TEST_F(CorsTest, ActualResponsesToAnAllowedOriginExposeRateLimitFields) {
  auto r = Do("GET", "/v1/me", admin_key_, nullptr, {{"Origin", kApp}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Access-Control-Allow-Origin"), kApp);
  EXPECT_EQ(r.Header("Vary"), "Origin");
  EXPECT_EQ(r.Header("Access-Control-Expose-Headers"),
            "RateLimit, RateLimit-Policy, Retry-After");
  // Errors too, so the page can read why.
  r = Do("GET", "/v1/me", "kw_bad", nullptr, {{"Origin", kApp}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("Access-Control-Allow-Origin"), kApp);
  r = Do("GET", "/v1/me", admin_key_, nullptr, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.Header("Access-Control-Allow-Origin").empty());
  r = Do("GET", "/v1/me", admin_key_);
  EXPECT_TRUE(r.Header("Access-Control-Allow-Origin").empty());
}

class NoCorsTest : public ConfiguredServerTest {};

TEST_F(NoCorsTest, NothingIsAllowedByDefault) {
  auto r = client_->Send("OPTIONS", "/v1/keys",
                         {{"Origin", kApp}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.Header("Allow").find("OPTIONS"), std::string::npos);
  EXPECT_TRUE(r.Header("Access-Control-Allow-Origin").empty());
  r = Do("GET", "/v1/me", admin_key_, nullptr, {{"Origin", kApp}});
  EXPECT_TRUE(r.Header("Access-Control-Allow-Origin").empty());
}

}  // namespace
}  // namespace keyward::testing
