// docs/gateways/Caddyfile, run by a real Caddy (forward_auth) in front of a
// stand-in backend: the client must see 200, 401, 403 and 429 (with Retry-After) as
// keyward decided, the backend must learn the caller's identity from keyward only,
// and headers a client adds must not change what keyward checks.
#include <sys/stat.h>

#include <fstream>

#include "caddy_process.h"
#include "configured_server_test.h"
#include "nginx_process.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class CaddyfileTest : public ConfiguredServerTest {
 protected:
  json Config() override {
    // docs/gateways/Caddyfile: behind Caddy, forward_auth.gateway is "caddy". The
    // logs:read key of the tests may see /public and /api/logs/*, not /api/admin.
    return {{"trusted_proxies", {"127.0.0.1/32"}},
            {"forward_auth", {{"gateway", "caddy"}}},
            {"routes",
             {{{"method", "GET"}, {"path", "/api/admin"}, {"scope", "admin:read"}},
              {{"method", "GET"}, {"path", "/api/logs/*"}, {"scope", "logs:read"}},
              {{"method", "GET"}, {"path", "/public"}, {"scope", "logs:read"}}}}};
  }

  void SetUp() override {
    const std::string binary = FindCaddy();
    // Installed by scripts/install-deps.sh: a missing caddy is a failure, not a skip.
    ASSERT_FALSE(binary.empty()) << "caddy is not installed (apt-get install caddy)";
    ConfiguredServerTest::SetUp();
    std::string conf = ReadFile(KEYWARD_SOURCE_DIR "/docs/gateways/Caddyfile");
    const std::uint16_t port = FreeLoopbackPort(), backend = FreeLoopbackPort();
    ASSERT_TRUE(ReplaceAll(conf, "127.0.0.1:8443",
                           "127.0.0.1:" + std::to_string(server_->port())));
    // The site addresses (http://:8080, http://:8081) and the upstream address.
    ASSERT_TRUE(ReplaceAll(conf, ":8080", ":" + std::to_string(port)));
    ASSERT_TRUE(ReplaceAll(conf, ":8081", ":" + std::to_string(backend)));
    // Caddy verifies keyward's self-signed certificate for real.
    ASSERT_TRUE(
        ReplaceAll(conf, "/var/lib/keyward/tls/cert.pem", data_dir() + "/tls/cert.pem"));
    const std::string dir = dir_.File("caddy");
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    std::ofstream(dir + "/Caddyfile") << conf;
    caddy_ = std::make_unique<CaddyProcess>(binary, dir, dir + "/Caddyfile");
    std::string error;
    ASSERT_TRUE(caddy_->Start({port, backend}, &error)) << error;
    gateway_ = std::make_unique<HttpsClient>("127.0.0.1", port, /*tls=*/false);
  }

  void TearDown() override {
    if (caddy_) caddy_->Stop();
  }

  ClientResponse Get(const std::string& target, const std::string& key,
                     Headers extra = {}) {
    return Call(*gateway_, "GET", target, key, nullptr, std::move(extra));
  }

  std::unique_ptr<CaddyProcess> caddy_;
  std::unique_ptr<HttpsClient> gateway_;
};

TEST_F(CaddyfileTest, AllowedRequestsReachTheBackendWithTheKeyIdentity) {
  json k = CreateKey({{"name", "n"}, {"scopes", {"logs:read"}}});
  auto r = Get("/api/logs/1?x=1", k["key"], {{"X-Keyward-Key-Id", "key_forged"}});
  ASSERT_EQ(r.status, 200) << r.body << caddy_->log();
  EXPECT_EQ(r.body, "backend: " + k["id"].get<std::string>() +
                        " owner=" + k["owner_user_id"].get<std::string>() +
                        " org=" + k["org_id"].get<std::string>() + " logs:read\n");
}

TEST_F(CaddyfileTest, ClientsCannotForgeTheIdentityTheBackendSees) {
  // An organization key has no owner: keyward sends an empty X-Keyward-Owner, and
  // the client's own must not take its place.
  json k = CreateKey({{"name", "org"}, {"kind", "org"}, {"scopes", {"logs:read"}}});
  ASSERT_TRUE(k["owner_user_id"].is_null()) << k;
  auto r = Get("/api/logs/1", k["key"],
               {{"X-Keyward-Owner", "usr_forged"}, {"X-Keyward-Scopes", "*"}});
  ASSERT_EQ(r.status, 200) << r.body << caddy_->log();
  EXPECT_EQ(r.body, "backend: " + k["id"].get<std::string>() +
                        " owner= org=" + k["org_id"].get<std::string>() + " logs:read\n");
}

TEST_F(CaddyfileTest, ClientsCannotChooseWhatIsChecked) {
  // Were any of these read, keyward would check /public or /api/logs/1, which the
  // key may see, and answer 200: the decision must stay that of /api/admin.
  json k = CreateKey({{"name", "n"}, {"scopes", {"logs:read"}}});
  for (const Headers& smuggled :
       {Headers{{"X-Original-URI", "/public"}},
        Headers{{"X-Original-URI", "/api/logs/1"}, {"X-Original-Method", "GET"}},
        Headers{{"X-Forwarded-Uri", "/public"}},
        Headers{{"X-Forwarded-Uri", "/public"}, {"X-Forwarded-Uri", "/public"}},
        Headers{{"X-Keyward-Gateway", "envoy"}}}) {
    auto r = Get("/api/admin", k["key"], smuggled);
    EXPECT_EQ(r.status, 403) << smuggled[0].first << ": " << r.body;
    EXPECT_EQ(Json(r)["code"], "insufficient_scope") << smuggled[0].first;
  }
  // Caddy passes the client's query on to /v1/auth: it must not choose the scope.
  auto r = Get("/api/admin?scope=logs:read", k["key"]);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Json(r)["code"], "insufficient_scope");
  EXPECT_EQ(Get("/public", k["key"]).status, 200);
}

TEST_F(CaddyfileTest, DenialsReachTheClientWithTheirStatusAndFields) {
  auto none = Get("/api/logs/1", "");
  EXPECT_EQ(none.status, 401) << none.body << caddy_->log();
  EXPECT_EQ(none.Header("WWW-Authenticate"), "Bearer realm=\"keyward\"");
  EXPECT_EQ(none.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Json(none)["code"], "missing_token");

  json k = CreateKey({{"name", "n"},
                      {"scopes", {"logs:read"}},
                      {"rate_limit", {{"limit", 1}, {"window_seconds", 60}}}});
  auto scope = Get("/api/admin", k["key"]);
  EXPECT_EQ(scope.status, 403) << scope.body;
  EXPECT_EQ(
      scope.Header("WWW-Authenticate"),
      "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"admin:read\"");
  EXPECT_EQ(Json(scope)["code"], "insufficient_scope");

  ASSERT_EQ(Get("/api/logs/1", k["key"]).status, 200);
  auto limited = Get("/api/logs/1", k["key"]);
  ASSERT_EQ(limited.status, 429) << limited.body << caddy_->log();
  EXPECT_GE(std::stoi(limited.Header("Retry-After")), 1);
  EXPECT_EQ(Param(limited.Header("RateLimit"), "r"), 0);
  EXPECT_EQ(Json(limited)["type"],
            "https://iana.org/assignments/http-problem-types#quota-exceeded");

  json revoked = CreateKey({{"name", "r"}, {"scopes", {"logs:read"}}});
  ASSERT_EQ(Get("/api/logs/1", revoked["key"]).status, 200);
  ASSERT_EQ(
      Do("DELETE", "/v1/keys/" + revoked["id"].get<std::string>(), admin_key_).status,
      204);
  auto gone = Get("/api/logs/1", revoked["key"]);
  EXPECT_EQ(gone.status, 401) << gone.body;
  EXPECT_EQ(gone.Header("WWW-Authenticate"),
            "Bearer realm=\"keyward\", error=\"invalid_token\"");
  EXPECT_EQ(Json(gone)["outcome"], "REVOKED");
}

}  // namespace
}  // namespace keyward::testing
