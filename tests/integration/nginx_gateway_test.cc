// docs/gateways/nginx.conf, run by a real nginx in front of a stand-in backend: the
// client must see 200, 401, 403 and 429 (with Retry-After) as keyward decided,
// although auth_request itself passes only 2xx/401/403.
#include <strings.h>
#include <sys/stat.h>

#include <fstream>

#include "configured_server_test.h"
#include "nginx_process.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class NginxGatewayTest : public ConfiguredServerTest {
 protected:
  json Config() override {
    // docs/gateways.md: behind nginx, forward_auth.gateway is "nginx".
    return {{"trusted_proxies", {"127.0.0.1/32"}},
            {"forward_auth", {{"gateway", "nginx"}}},
            {"routes",
             {{{"method", "GET"}, {"path", "/api/admin"}, {"scope", "admin:read"}},
              {{"method", "GET"}, {"path", "/api/logs/*"}, {"scope", "logs:read"}}}}};
  }

  void SetUp() override {
    const std::string binary = FindNginx();
    // Installed by scripts/install-deps.sh: a missing nginx is a failure, not a skip.
    ASSERT_FALSE(binary.empty()) << "nginx is not installed (apt install nginx-light)";
    ConfiguredServerTest::SetUp();
    std::string conf = ReadFile(KEYWARD_SOURCE_DIR "/docs/gateways/nginx.conf");
    const std::uint16_t port = FreeLoopbackPort(), backend = FreeLoopbackPort();
    ASSERT_TRUE(ReplaceAll(conf, "127.0.0.1:8443",
                           "127.0.0.1:" + std::to_string(server_->port())));
    ASSERT_TRUE(ReplaceAll(conf, "127.0.0.1:8080", "127.0.0.1:" + std::to_string(port)));
    ASSERT_TRUE(
        ReplaceAll(conf, "127.0.0.1:8081", "127.0.0.1:" + std::to_string(backend)));
    const std::string dir = dir_.File("nginx");
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    std::ofstream(dir + "/nginx.conf") << conf;
    nginx_ = std::make_unique<NginxProcess>(binary, dir, dir + "/nginx.conf");
    std::string error;
    ASSERT_TRUE(nginx_->Start(port, &error)) << error;
    gateway_ = std::make_unique<HttpsClient>("127.0.0.1", port, /*tls=*/false);
  }

  void TearDown() override {
    if (nginx_) nginx_->Stop();
  }

  ClientResponse Get(const std::string& target, const std::string& key,
                     Headers extra = {}) {
    return Call(*gateway_, "GET", target, key, nullptr, std::move(extra));
  }

  // The named header's values, all of them (nginx could duplicate one).
  static int Count(const ClientResponse& r, const std::string& name) {
    int n = 0;
    for (const auto& [k, v] : r.headers) n += strcasecmp(k.c_str(), name.c_str()) == 0;
    return n;
  }

  std::unique_ptr<NginxProcess> nginx_;
  std::unique_ptr<HttpsClient> gateway_;
};

TEST_F(NginxGatewayTest, AllowedRequestsReachTheBackendWithTheKeyIdentity) {
  json k = CreateKey({{"name", "n"}, {"scopes", {"logs:read"}}});
  auto r = Get("/api/logs/1?x=1", k["key"], {{"X-Keyward-Key-Id", "key_forged"}});
  ASSERT_EQ(r.status, 200) << r.body << nginx_->error_log();
  EXPECT_EQ(r.body, "backend: " + k["id"].get<std::string>() + " logs:read\n");
  EXPECT_FALSE(r.Header("RateLimit").empty());
  EXPECT_FALSE(r.Header("RateLimit-Policy").empty());
}

TEST_F(NginxGatewayTest, ClientsCannotChooseWhatIsChecked) {
  json k = CreateKey({{"name", "n"}, {"scopes", {"logs:read"}}});
  for (const Headers& smuggled :
       {Headers{{"X-Keyward-Gateway", "envoy"}}, Headers{{"X-Original-URI", "/public"}},
        Headers{{"X-Forwarded-Uri", "/api/logs/1"}, {"X-Keyward-Gateway", "traefik"}},
        Headers{{"X-Original-URI", "/api/logs/1"}}}) {
    auto r = Get("/api/admin?scope=logs:read", k["key"], smuggled);
    EXPECT_EQ(r.status, 403) << smuggled[0].first << ": " << r.body;
  }
  // Other spellings of the admin path, as nginx passes $request_uri on verbatim.
  for (const std::string path : {"/api/%61dmin", "//api/admin", "/api/./admin",
                                 "/api/logs/../admin", "/API/admin"}) {
    auto r = Get(path, k["key"]);
    EXPECT_EQ(r.status, 403) << path << ": " << r.body;
  }
  auto encoded = Get("/api/admin%2fx", k["key"]);
  EXPECT_EQ(encoded.status, 400) << encoded.body;
  // A path no route names is refused, not passed.
  EXPECT_EQ(Get("/elsewhere", k["key"]).status, 403);
}

TEST_F(NginxGatewayTest, DenialsReachTheClientWithTheirStatusAndFields) {
  auto none = Get("/api/logs/1", "");
  EXPECT_EQ(none.status, 401) << none.body << nginx_->error_log();
  EXPECT_EQ(none.Header("WWW-Authenticate"), "Bearer realm=\"keyward\"");
  EXPECT_EQ(Count(none, "WWW-Authenticate"), 1);

  auto unknown = Get("/api/logs/1", UnknownKey());
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.Header("WWW-Authenticate"),
            "Bearer realm=\"keyward\", error=\"invalid_token\"");
  EXPECT_EQ(unknown.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Json(unknown)["status"], 401);

  json k = CreateKey({{"name", "n"},
                      {"scopes", {"logs:read"}},
                      {"rate_limit", {{"limit", 1}, {"window_seconds", 60}}}});
  // Refused before the limiter: the 403 uses none of the one request a minute.
  auto scope = Get("/api/admin", k["key"]);
  EXPECT_EQ(scope.status, 403) << scope.body;
  EXPECT_EQ(
      scope.Header("WWW-Authenticate"),
      "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"admin:read\"");
  EXPECT_FALSE(scope.Header("RateLimit").empty());

  ASSERT_EQ(Get("/api/logs/1", k["key"]).status, 200);
  auto limited = Get("/api/logs/1", k["key"]);
  ASSERT_EQ(limited.status, 429) << limited.body << nginx_->error_log();
  EXPECT_GE(std::stoi(limited.Header("Retry-After")), 1);
  EXPECT_EQ(Param(limited.Header("RateLimit"), "r"), 0);
  EXPECT_EQ(Json(limited)["type"],
            "https://iana.org/assignments/http-problem-types#quota-exceeded");

  json spent =
      CreateKey({{"name", "s"}, {"scopes", {"logs:read"}}, {"remaining_uses", 0}});
  auto exhausted = Get("/api/logs/1", spent["key"]);
  EXPECT_EQ(exhausted.status, 429);
  EXPECT_GE(std::stoi(exhausted.Header("Retry-After")), 1);

  // Two different keys: keyward's 400 reaches the client as 400, not 500.
  auto conflict = Get("/api/logs/1", k["key"], {{"X-API-Key", spent["key"]}});
  EXPECT_EQ(conflict.status, 400) << conflict.body;
}

}  // namespace
}  // namespace keyward::testing
