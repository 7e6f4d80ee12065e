// Forward auth (/v1/auth, /v1/auth/*) over HTTPS against the real binary: scopes
// from ?scope= and from config routes, success headers, every denial status.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

// No routes configured: any valid key is admitted (contract 4.2).
class ForwardAuthOpenTest : public ConfiguredServerTest {
 protected:
  ClientResponse Auth(const std::string& target, const std::string& key,
                      Headers extra = {}, const std::string& method = "GET") {
    return Do(method, target, key, nullptr, std::move(extra));
  }
};

class ForwardAuthTest : public ForwardAuthOpenTest {
 protected:
  json Config() override {
    return {{"routes",
             {{{"method", "POST"}, {"path", "/api/logs/*"}, {"scope", "logs:write"}},
              {{"method", "*"}, {"path", "/api/logs/*"}, {"scope", "logs:read"}},
              {{"method", "GET"}, {"path", "/api/admin"}, {"scope", "admin:read"}},
              {{"method", "*"}, {"path", "/public/*"}, {"scope", "public:read"}}}}};
  }
};

TEST_F(ForwardAuthOpenTest, SuccessCarriesTheKeyIdentity) {
  json k = CreateKey({{"name", "fa"}, {"scopes", {"logs:read", "logs:write"}}});
  for (const std::string method : {"GET", "POST", "DELETE", "HEAD"}) {
    auto r = Auth("/v1/auth?scope=logs:read", k["key"], {}, method);
    ASSERT_EQ(r.status, 200) << method << ": " << r.body;
    EXPECT_EQ(r.Header("X-Keyward-Key-Id"), k["id"]);
    EXPECT_EQ(r.Header("X-Keyward-Owner"), k["owner_user_id"]);
    EXPECT_EQ(r.Header("X-Keyward-Org"), k["org_id"]);
    EXPECT_EQ(r.Header("X-Keyward-Scopes"), "logs:read,logs:write");
    EXPECT_EQ(r.Header("X-Keyward-Status"), "200");
    EXPECT_FALSE(r.Header("RateLimit").empty());
    EXPECT_FALSE(r.Header("RateLimit-Policy").empty());
  }
  // Any path below /v1/auth, and X-API-Key as the credential.
  auto r = Do("GET", "/v1/auth/some/where", "", nullptr, {{"X-API-Key", k["key"]}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Auth("/v1/authx", k["key"]).status, 404);
}

TEST_F(ForwardAuthOpenTest, OrgKeysHaveNoOwner) {
  auto r = Do("POST", "/v1/keys", admin_key_, {{"name", "org"}, {"kind", "org"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json k = Json(r);
  auto a = Auth("/v1/auth", k["key"]);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.Header("X-Keyward-Owner"), "");
  EXPECT_EQ(a.Header("X-Keyward-Org"), k["org_id"]);
}

TEST_F(ForwardAuthOpenTest, QueryScopesAreAllRequired) {
  json k = CreateKey({{"name", "fa"}, {"scopes", {"logs:read"}}});
  EXPECT_EQ(Auth("/v1/auth?scope=logs:read", k["key"]).status, 200);
  auto r = Auth("/v1/auth?scope=logs:read&scope=logs:write", k["key"]);
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Json(r)["code"], "insufficient_scope");
  EXPECT_EQ(
      r.Header("WWW-Authenticate"),
      "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"logs:write\"");
  EXPECT_FALSE(r.Header("RateLimit").empty());
  EXPECT_EQ(Auth("/v1/auth?scope=bad", k["key"]).status, 400);
}

TEST_F(ForwardAuthTest, QueryScopesAddToTheRouteNeverReplaceIt) {
  json k = CreateKey({{"name", "fa"}, {"scopes", {"logs:read"}}});
  // Both the query's scope and the route's are required.
  EXPECT_EQ(
      Auth("/v1/auth?scope=admin:read", k["key"], {{"X-Original-URI", "/api/logs/1"}})
          .status,
      403);
  EXPECT_EQ(Auth("/v1/auth?scope=logs:read", k["key"], {{"X-Original-URI", "/api/admin"}})
                .status,
            403);
  EXPECT_EQ(
      Auth("/v1/auth?scope=logs:read", k["key"], {{"X-Original-URI", "/api/logs/1"}})
          .status,
      200);
  // With routes configured, a query scope alone (no URI) matches no route.
  EXPECT_EQ(Auth("/v1/auth?scope=logs:read", k["key"]).status, 403);
}

TEST_F(ForwardAuthTest, RoutesMatchTheOriginalRequest) {
  json reader = CreateKey({{"name", "r"}, {"scopes", {"logs:read"}}});
  struct Case {
    Headers headers;
    int reader_status;
  };
  const Case cases[] = {
      {{{"X-Original-Method", "GET"}, {"X-Original-URI", "/api/logs/1?x=y"}}, 200},
      {{{"X-Original-Method", "POST"}, {"X-Original-URI", "/api/logs/1"}}, 403},
      {{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/logs/9"}}, 200},
      {{{"X-Forwarded-Method", "POST"}, {"X-Forwarded-Uri", "/api/logs/9"}}, 403},
      {{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/admin?a=b"}}, 403},
      // The query string is stripped before matching: "/public" needs public:read.
      {{{"X-Original-Method", "GET"}, {"X-Original-URI", "/public/x?/api/logs/1"}}, 403},
      // No route matches: refused (fail closed), whatever the key holds.
      {{{"X-Original-Method", "GET"}, {"X-Original-URI", "/api/admin/x"}}, 403},
      {{{"X-Original-Method", "GET"}, {"X-Original-URI", "/elsewhere"}}, 403},
      // Without a method header the request's own method counts.
      {{{"X-Original-URI", "/api/admin"}}, 403},
  };
  for (const Case& c : cases) {
    auto r = Auth("/v1/auth", reader["key"], c.headers);
    EXPECT_EQ(r.status, c.reader_status) << c.headers.back().second << ": " << r.body;
  }
  auto none = Auth("/v1/auth", reader["key"], {{"X-Original-URI", "/elsewhere"}});
  EXPECT_EQ(Json(none)["code"], "no_matching_route");
  // In auto mode, both forms at once are ambiguous: refused, never guessed.
  EXPECT_EQ(Auth("/v1/auth", reader["key"],
                 {{"X-Original-URI", "/api/admin"}, {"X-Forwarded-Uri", "/api/logs/1"}})
                .status,
            400);
  // Envoy-style: the original path appended to /v1/auth.
  EXPECT_EQ(Auth("/v1/auth/api/logs/3", reader["key"]).status, 200);
  EXPECT_EQ(Auth("/v1/auth/api/admin", reader["key"]).status, 403);
  EXPECT_EQ(Auth("/v1/auth/api/logs/3", reader["key"], {}, "POST").status, 403);
}

// An exact rule followed by a catch-all (attack review): the forms of a request an
// upstream serves as the same resource (a trailing '/', HEAD for GET) need the
// exact rule's scope too.
class ForwardAuthCatchAllTest : public ForwardAuthOpenTest {
 protected:
  json Config() override {
    return {{"routes",
             {{{"method", "GET"}, {"path", "/api/admin"}, {"scope", "admin:read"}},
              {{"method", "*"}, {"path", "/*"}, {"scope", "logs:read"}}}}};
  }
};

TEST_F(ForwardAuthCatchAllTest, NoFormOfAnExactRouteFallsToTheCatchAll) {
  json reader = CreateKey({{"name", "r"}, {"scopes", {"logs:read"}}});
  json admin = CreateKey({{"name", "a"}, {"scopes", {"admin:read"}}});
  for (const char* method : {"GET", "HEAD", "get"}) {
    for (const char* uri :
         {"/api/admin", "/api/admin/", "/api//admin//", "/api/admin/.", "/API/admin/"}) {
      const Headers h = {{"X-Original-Method", method}, {"X-Original-URI", uri}};
      EXPECT_EQ(Auth("/v1/auth", reader["key"], h).status, 403) << method << " " << uri;
      // The exact rule's scope alone suffices for every form.
      EXPECT_EQ(Auth("/v1/auth", admin["key"], h).status, 200) << method << " " << uri;
    }
  }
  EXPECT_EQ(Auth("/v1/auth", reader["key"],
                 {{"X-Original-Method", "POST"}, {"X-Original-URI", "/api/admin"}})
                .status,
            200);
  EXPECT_EQ(Auth("/v1/auth", reader["key"], {{"X-Original-URI", "/api/other/"}}).status,
            200);
}

TEST_F(ForwardAuthTest, EnvoyIgnoresTheClientsQuery) {
  json reader = CreateKey({{"name", "r"}, {"scopes", {"logs:read"}}});
  // A client could append ?scope=... to its own request; Envoy forwards it.
  auto r = Auth("/v1/auth/api/admin?scope=logs:read", reader["key"],
                {{"X-Keyward-Gateway", "envoy"}});
  EXPECT_EQ(r.status, 403) << r.body;
  // Nor does it replace the route in auto mode.
  EXPECT_EQ(Auth("/v1/auth/api/admin?scope=logs:read", reader["key"]).status, 403);
}

TEST_F(ForwardAuthTest, EachGatewayIsReadOnlyThroughTheHeadersItSets) {
  json reader = CreateKey({{"name", "r"}, {"scopes", {"logs:read"}}});
  // In auto mode a request naming its gateway is still refused when it carries
  // both header forms: the name may be the client's own.
  const Headers smuggled_to_nginx = {{"X-Keyward-Gateway", "nginx"},
                                     {"X-Original-URI", "/api/admin"},
                                     {"X-Forwarded-Uri", "/api/logs/1"}};
  auto smuggled = Auth("/v1/auth", reader["key"], smuggled_to_nginx);
  EXPECT_EQ(smuggled.Header("X-Keyward-Status"), "400") << smuggled.body;  // as 403
  EXPECT_EQ(Auth("/v1/auth?gateway=traefik", reader["key"],
                 {{"X-Original-URI", "/api/logs/1"},
                  {"X-Forwarded-Method", "GET"},
                  {"X-Forwarded-Uri", "/api/admin"}})
                .status,
            400);
  // One form only: the named gateway's.
  EXPECT_EQ(Auth("/v1/auth?gateway=traefik", reader["key"],
                 {{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/logs/1"}})
                .status,
            200);
  EXPECT_EQ(Auth("/v1/auth?gateway=nginx", reader["key"],
                 {{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/logs/1"}})
                .status,
            403);  // nginx reads X-Original-*: no URI, so no route matches
  // The same header twice is refused in every mode.
  EXPECT_EQ(Auth("/v1/auth", reader["key"],
                 {{"X-Original-URI", "/api/logs/1"}, {"X-Original-URI", "/api/admin"}})
                .status,
            400);
  EXPECT_EQ(Auth("/v1/auth?gateway=ngnix", reader["key"]).status, 400);
  EXPECT_EQ(Auth("/v1/auth", reader["key"], {{"X-Keyward-Gateway", "x"}}).status, 400);
  // Envoy: only the appended path counts.
  EXPECT_EQ(Auth("/v1/auth/api/admin", reader["key"],
                 {{"X-Keyward-Gateway", "envoy"}, {"X-Original-URI", "/api/logs/1"}})
                .status,
            403);
}

TEST_F(ForwardAuthOpenTest, EveryDenialHasItsStatusAndHeaders) {
  json revoked = CreateKey({{"name", "revoked"}});
  json ip = CreateKey({{"name", "ip"}, {"ip_allow", {"203.0.113.0/24"}}});
  json limited =
      CreateKey({{"name", "l"}, {"rate_limit", {{"limit", 1}, {"window_seconds", 60}}}});
  ASSERT_EQ(Auth("/v1/auth", limited["key"]).status, 200);
  json spent = CreateKey({{"name", "s"}, {"remaining_uses", 0}});

  auto none = Auth("/v1/auth", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("WWW-Authenticate"), "Bearer realm=\"keyward\"");

  auto unknown = Auth("/v1/auth", UnknownKey());
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.Header("WWW-Authenticate"),
            "Bearer realm=\"keyward\", error=\"invalid_token\"");
  EXPECT_EQ(Json(unknown)["outcome"], "NOT_FOUND");

  auto forbidden = Auth("/v1/auth", ip["key"]);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(Json(forbidden)["code"], "forbidden_ip");
  EXPECT_FALSE(forbidden.Header("RateLimit").empty());

  for (const json* k : {&limited, &spent}) {
    auto r = Auth("/v1/auth", (*k)["key"]);
    ASSERT_EQ(r.status, 429) << r.body;
    EXPECT_GE(std::stoi(r.Header("Retry-After")), 1);
    EXPECT_FALSE(r.Header("RateLimit").empty());
    EXPECT_EQ(Json(r)["type"],
              "https://iana.org/assignments/http-problem-types#quota-exceeded");
    // nginx mode: 429 travels as 403 with the real status beside it.
    for (const auto& [target, headers] : std::vector<std::pair<std::string, Headers>>{
             {"/v1/auth?gateway=nginx", {}},
             {"/v1/auth", {{"X-Keyward-Gateway", "nginx"}}}}) {
      auto n = Auth(target, (*k)["key"], headers);
      EXPECT_EQ(n.status, 403) << n.body;
      EXPECT_EQ(n.Header("X-Keyward-Status"), "429");
      EXPECT_GE(std::stoi(n.Header("Retry-After")), 1);
    }
  }

  // Revocation holds for the very next request.
  ASSERT_EQ(Auth("/v1/auth", revoked["key"]).status, 200);
  ASSERT_EQ(
      Do("DELETE", "/v1/keys/" + revoked["id"].get<std::string>(), admin_key_).status,
      204);
  auto r = Auth("/v1/auth", revoked["key"]);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["outcome"], "REVOKED");
  EXPECT_EQ(r.Header("X-Keyward-Status"), "401");
}

class ForwardAuthThrottleTest : public ForwardAuthOpenTest {
 protected:
  json Config() override {
    json c = ForwardAuthOpenTest::Config();
    c["limits"] = {{"failed_auth_per_minute", 2}};
    c["trusted_proxies"] = {"127.0.0.1/32"};
    return c;
  }
};

TEST_F(ForwardAuthThrottleTest, ThrottlesTheForwardedClientNotTheGateway) {
  const Headers client = {{"X-Forwarded-For", "198.51.100.7"}};
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(Auth("/v1/auth", UnknownKey(), client).status, 401);
  auto r = Auth("/v1/auth", admin_key_, client);
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_GE(std::stoi(r.Header("Retry-After")), 1);
  EXPECT_EQ(Auth("/v1/auth", admin_key_, {{"X-Forwarded-For", "198.51.100.8"}}).status,
            200);
}

}  // namespace
}  // namespace keyward::testing

namespace keyward::testing {
namespace {

// The attack review of the route-table dispatch (issue 8): what forward auth is sent
// is a copy of the client's request; its body and method are the client's.
TEST_F(ForwardAuthOpenTest, AClientsBodyIsNeverParsedOnlyItsKeyJudged) {
  auto k = CreateKey({{"name", "fa"}});
  const std::string key = k["key"];
  auto form = client_->Send("POST", "/v1/auth/upload",
                            {{"Authorization", "Bearer " + key},
                             {"Content-Type", "application/x-www-form-urlencoded"}},
                            "a=b&c=d");
  EXPECT_EQ(form.status, 200) << form.body;
  std::string deep(40, '[');
  auto nested = client_->Send("POST", "/v1/auth/upload",
                              {{"Authorization", "Bearer " + key}}, deep);
  EXPECT_EQ(nested.status, 200) << nested.body;
  // A wrong key with a body is still a 401, not a body error.
  auto wrong = client_->Send("POST", "/v1/auth/upload",
                             {{"Authorization", "Bearer kw_wrong"}}, "x");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
}

TEST_F(ForwardAuthOpenTest, EscapedHotPathsAreRoutedAndNeverCached) {
  // "/%761/keys" is routed as /v1/keys: its answer (with a new key) is no-store too.
  auto r = client_->Send(
      "POST", "/%761/keys",
      {{"Authorization", "Bearer " + admin_key_}, {"Content-Type", "application/json"}},
      R"({"name":"enc"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store, private");
}

}  // namespace
}  // namespace keyward::testing
