#include "keyward/api/cors.h"

#include <gtest/gtest.h>

namespace keyward::api {
namespace {

http::Request Req(std::string method, http::HeaderList headers) {
  http::Request r;
  r.method = std::move(method);
  r.target = "/v1/keys";
  r.headers = std::move(headers);
  return r;
}

std::string Get(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (http::HeaderNameEquals(k, name)) return std::string(v);
  }
  return "";
}

TEST(CorsPolicyTest, AllowsExactOriginsOrAny) {
  struct Case {
    std::vector<std::string> config;
    std::string origin;
    bool allowed;
  };
  const Case cases[] = {
      {{}, "https://app.example", false},
      {{"https://app.example"}, "https://app.example", true},
      {{"https://app.example"}, "https://app.example:8443", false},
      {{"https://app.example"}, "http://app.example", false},
      {{"https://app.example"}, "https://evil.app.example", false},
      {{"https://app.example"}, "https://APP.example", false},
      {{"*"}, "https://anything.example", true},
      {{"*"}, "null", false},
      {{"*"}, "", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CorsPolicy(c.config).Allows(c.origin), c.allowed) << c.origin;
  }
}

TEST(CorsPolicyTest, PreflightFromAnAllowedOrigin) {
  CorsPolicy cors({"https://app.example"});
  http::Response resp;
  cors.AddPreflight(Req("OPTIONS", {{"Origin", "https://app.example"},
                                    {"Access-Control-Request-Method", "POST"}}),
                    "GET, POST, OPTIONS", resp);
  EXPECT_EQ(Get(resp, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(Get(resp, "Vary"), "Origin");
  EXPECT_EQ(Get(resp, "Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(Get(resp, "Access-Control-Allow-Headers"),
            "Authorization, X-API-Key, Content-Type");
  EXPECT_EQ(Get(resp, "Access-Control-Max-Age"), "600");
}

TEST(CorsPolicyTest, NoFieldsForOtherOriginsOrPlainOptions) {
  CorsPolicy cors({"https://app.example"});
  const http::Request requests[] = {
      Req("OPTIONS", {{"Origin", "https://evil.example"},
                      {"Access-Control-Request-Method", "POST"}}),
      Req("OPTIONS", {{"Origin", "https://app.example"}}),  // not a preflight
      Req("OPTIONS", {{"Access-Control-Request-Method", "POST"}}),
  };
  for (const auto& req : requests) {
    http::Response resp;
    cors.AddPreflight(req, "GET", resp);
    EXPECT_TRUE(resp.headers.empty());
  }
  http::Response resp;
  cors.AddActual(Req("GET", {{"Origin", "https://evil.example"}}), resp);
  EXPECT_TRUE(resp.headers.empty());
}

TEST(CorsPolicyTest, ActualResponseExposesRateLimitFields) {
  CorsPolicy cors({"*"});
  http::Response resp;
  cors.AddActual(Req("GET", {{"Origin", "https://app.example"}}), resp);
  EXPECT_EQ(Get(resp, "Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(Get(resp, "Vary"), "Origin");
  EXPECT_EQ(Get(resp, "Access-Control-Expose-Headers"),
            "RateLimit, RateLimit-Policy, Retry-After");
}

}  // namespace
}  // namespace keyward::api
