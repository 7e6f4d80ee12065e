// Attack review findings 4 and 14 (issue 7): a client must not reach a route's
// upstream without the route's scope by rewriting the path, or by adding the
// headers of a gateway that is not in front.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class ForwardAuthBypassTest : public ConfiguredServerTest {
 protected:
  json Config() override {
    json c = {{"routes",
               {{{"method", "*"}, {"path", "/api/admin/*"}, {"scope", "admin:write"}},
                {{"method", "*"}, {"path", "/api/logs/*"}, {"scope", "logs:read"}},
                {{"method", "*"}, {"path", "/public"}, {"scope", "public:read"}}}}};
    if (!gateway_.empty()) c["forward_auth"] = {{"gateway", gateway_}};
    return c;
  }
  void SetUp() override {
    ConfiguredServerTest::SetUp();
    logs_ = CreateKey({{"name", "low"}, {"scopes", {"logs:read", "public:read"}}})["key"];
  }
  ClientResponse Forwarded(const std::string& uri, Headers extra = {}) {
    Headers h = {{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", uri}};
    h.insert(h.end(), extra.begin(), extra.end());
    return Do("GET", "/v1/auth", logs_, nullptr, h);
  }
  ClientResponse Original(const std::string& uri) {
    return Do("GET", "/v1/auth", logs_, nullptr,
              {{"X-Original-Method", "GET"}, {"X-Original-URI", uri}});
  }

  std::string gateway_;
  std::string logs_;
};

TEST_F(ForwardAuthBypassTest, EquivalentSpellingsOfAnAdminPathNeedTheAdminScope) {
  ASSERT_EQ(Original("/api/logs/1").status, 200);
  for (const std::string& uri : std::vector<std::string>{
           "/api/admin/users", "/api/%61dmin/users", "/api/%61%64%6D%69%6E/users",
           "//api/admin/users", "/api//admin/users", "/api/./admin/users",
           "/api/logs/../admin/users", "/api/logs/%2e%2e/admin/users",
           "/api/logs/%2E./admin/users", "/API/admin/users", "/api/ADMIN/users",
           "/api/admin/users?x=/api/logs/1", "/api/admin", "/api/admin/"}) {
    auto r = Original(uri);
    EXPECT_EQ(r.status, 403) << uri << ": " << r.body;
    EXPECT_EQ(Json(r)["code"], "insufficient_scope") << uri;
  }
}

TEST_F(ForwardAuthBypassTest, UrisThatCannotBeNormalisedSafelyAreRefused) {
  for (const std::string& uri : std::vector<std::string>{
           "/api/admin%2fusers", "/api/admin%2Fusers", "/api%5cadmin/users",
           "/api\\admin/users", "/api/admin;x/users", "/api/admin%3Bx/users",
           "/api/%2561dmin/users", "/api/admin%00/users", "/api/admin%0a/users",
           "api/admin/users", "http://evil/api/admin", "/../api/admin/users",
           "/api/logs/../../../api/admin", "/api/%zzadmin", "/api/admin%",
           "/" + std::string(5000, 'a')}) {
    auto r = Original(uri);
    EXPECT_EQ(r.status, 400) << uri << ": " << r.body;
  }
  // Envoy style, the path below /v1/auth: an encoded slash there is refused too.
  EXPECT_EQ(Do("GET", "/v1/auth/api/admin%2fusers", logs_).status, 400);
  EXPECT_EQ(Do("GET", "/v1/auth/api/logs/%2e%2e/admin/x", logs_).status, 403);
}

TEST_F(ForwardAuthBypassTest, PathsThatMatchNoRouteFailClosed) {
  for (const std::string& uri :
       std::vector<std::string>{"/", "/other", "/api", "/api/log", "/publicity"}) {
    auto r = Original(uri);
    EXPECT_EQ(r.status, 403) << uri;
    EXPECT_EQ(Json(r)["code"], "no_matching_route") << uri;
  }
  // No original URI at all: nothing to match, so nothing is admitted.
  EXPECT_EQ(Do("GET", "/v1/auth", logs_).status, 403);
}

TEST_F(ForwardAuthBypassTest, AutoRefusesBothHeaderFormsOrARepeatedOne) {
  // Caddy passes the client's X-Original-URI along beside its own X-Forwarded-Uri.
  auto r = Forwarded("/api/admin/users", {{"X-Original-URI", "/public"}});
  EXPECT_EQ(r.status, 400) << r.body;
  r = Do("GET", "/v1/auth", logs_, nullptr,
         {{"X-Forwarded-Uri", "/public"}, {"X-Forwarded-Uri", "/api/admin/users"}});
  EXPECT_EQ(r.status, 400) << r.body;
}

class CaddyGatewayTest : public ForwardAuthBypassTest {
 protected:
  void SetUp() override {
    gateway_ = "caddy";
    ForwardAuthBypassTest::SetUp();
  }
};

TEST_F(CaddyGatewayTest, ClientsOwnOriginalUriIsNeverRead) {
  auto r = Forwarded("/api/admin/users", {{"X-Original-URI", "/public"},
                                          {"X-Original-Method", "GET"},
                                          {"X-Keyward-Gateway", "nginx"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Json(r)["code"], "insufficient_scope");
  EXPECT_EQ(Forwarded("/api/logs/1", {{"X-Original-URI", "/api/admin/x"}}).status, 200);
  // ?gateway= cannot override the configured gateway either.
  EXPECT_EQ(Do("GET", "/v1/auth?gateway=nginx", logs_, nullptr,
               {{"X-Forwarded-Uri", "/api/admin/x"}, {"X-Original-URI", "/public"}})
                .status,
            403);
}

class NginxConfiguredTest : public ForwardAuthBypassTest {
 protected:
  void SetUp() override {
    gateway_ = "nginx";
    ForwardAuthBypassTest::SetUp();
  }
};

TEST_F(NginxConfiguredTest, ClientsOwnForwardedUriIsNeverRead) {
  auto r = Do("GET", "/v1/auth", logs_, nullptr,
              {{"X-Original-URI", "/api/admin/users"}, {"X-Forwarded-Uri", "/public"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.Header("X-Keyward-Status"), "403");
}

}  // namespace
}  // namespace keyward::testing
