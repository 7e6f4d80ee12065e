#include "keyward/config/config.h"

#include <gtest/gtest.h>

#include <map>

namespace keyward::config {
namespace {

GetEnv Env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ConfigTest, DefaultsMatchTheContract) {
  auto c = Load({}, Env({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8443);
  EXPECT_EQ(c->data_dir, "./data");
  EXPECT_EQ(c->tiers.at("standard"), (RateLimit{60, 60}));
  EXPECT_EQ(c->tiers.at("high"), (RateLimit{300, 60}));
  EXPECT_EQ(c->tiers.at("admin"), (RateLimit{6000, 60}));
  EXPECT_EQ(c->max_header_bytes, 8192u);
  EXPECT_EQ(c->max_body_bytes, 1048576u);
  EXPECT_EQ(c->failed_auth_per_minute, 30);
  EXPECT_EQ(c->last_used_flush_seconds, 5);
  EXPECT_FALSE(c->allow_query_keys);
}

TEST(ConfigTest, EveryFieldApplies) {
  auto c = ApplyJson(R"({
    "listen": "[::1]:9000", "data_dir": "/d", "tls": {"cert_file": "c", "key_file": "k"},
    "insecure_http": true, "key_prefix": "acme_live", "allow_query_keys": true,
    "trusted_proxies": ["10.0.0.0/8"], "tiers": {"gold": {"limit": 5, "window_seconds": 1},
    "standard": {"limit": 10, "window_seconds": 60}}, "default_tier": "gold",
    "routes": [{"method": "GET", "path": "/api/*", "scope": "api:read"}],
    "cors": {"allowed_origins": ["https://a.example"]},
    "limits": {"max_header_bytes": 4096, "max_body_bytes": 100,
               "request_timeout_seconds": 3, "failed_auth_per_minute": 9},
    "last_used_flush_seconds": 2, "log": {"level": "debug", "format": "json"},
    "metrics": {"require_auth": true}})",
                     Config::Defaults());
  ASSERT_TRUE(c.ok()) << Describe(c.error());
  auto v = Validate(*c);
  ASSERT_TRUE(v.ok()) << Describe(v.error());
  EXPECT_EQ(v->listen_host, "::1");
  EXPECT_EQ(v->listen_port, 9000);
  EXPECT_EQ(v->tiers.at("standard"), (RateLimit{10, 60}));
  EXPECT_EQ(v->tiers.at("high"), (RateLimit{300, 60}));  // untouched default
  EXPECT_EQ(v->tiers.at("gold"), (RateLimit{5, 1}));
  EXPECT_EQ(v->routes.at(0).scope, "api:read");
  EXPECT_EQ(v->max_body_bytes, 100u);
  EXPECT_EQ(v->log_format, "json");
  EXPECT_TRUE(v->metrics_require_auth);
}

TEST(ConfigTest, ErrorsNameTheField) {
  struct Case {
    std::string json;
    std::string field;
  };
  const Case cases[] = {
      {R"({"bogus": 1})", "bogus"},
      {R"({"limits": {"max_body": 1}})", "limits.max_body"},
      {R"({"limits": {"max_body_bytes": "1"}})", "limits.max_body_bytes"},
      {R"({"limits": {"max_body_bytes": 0}})", "limits.max_body_bytes"},
      {R"({"insecure_http": "yes"})", "insecure_http"},
      {R"({"tiers": {"x": {"limit": 1}}})", "tiers.x.window_seconds"},
      {R"({"tiers": {"x": {"limit": 1, "window_seconds": 1, "burst": 2}}})",
       "tiers.x.burst"},
      {R"({"routes": [{"path": "api", "scope": "a:b"}]})", "routes[0].path"},
      {R"({"trusted_proxies": "10.0.0.0/8"})", "trusted_proxies"},
      {R"([1,2])", "(root)"},
  };
  for (const auto& c : cases) {
    auto r = ApplyJson(c.json, Config::Defaults());
    ASSERT_FALSE(r.ok()) << c.json;
    ASSERT_FALSE(r.error().fields.empty()) << c.json;
    EXPECT_EQ(r.error().fields[0].field, c.field) << c.json;
  }
  EXPECT_FALSE(ApplyJson("{not json", Config::Defaults()).ok());
}

TEST(ConfigTest, ThreadsDefaultToTheAffinityAndMayBeSet) {
  EXPECT_EQ(Config::Defaults().threads, 0);  // 0: from sched_getaffinity
  auto c = ApplyJson(R"({"threads": 3})", Config::Defaults());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->threads, 3);
  auto env = Load({}, Env({{"KEYWARD_THREADS", "2"}}));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->threads, 2);
  for (const char* bad :
       {R"({"threads": -1})", R"({"threads": 257})", R"({"threads": "4"})"}) {
    auto r = ApplyJson(bad, Config::Defaults());
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().fields.at(0).field, "threads") << bad;
  }
}

// Found by tests/fuzz/config_fuzz: nlohmann stops at a NUL, so the members after one
// were silently dropped (here the trusted proxies, left at "trust nobody" without a
// word). tests/fuzz/corpus/config/nul_truncates_config holds the same input.
TEST(ConfigTest, RefusesANulByteInsteadOfIgnoringWhatFollows) {
  using namespace std::string_literals;
  const std::string text =
      R"({"insecure_http": true})"s + '\0' + R"({"trusted_proxies": ["10.0.0.0/8"]})";
  auto r = ApplyJson(text, Config::Defaults());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(ApplyJson(R"({"insecure_http": true})", Config::Defaults()).ok());
}

TEST(ConfigTest, ValidationErrorsNameTheField) {
  struct Case {
    std::string json;
    std::string field;
  };
  const Case cases[] = {
      {R"({"listen": "nohost"})", "listen"},
      {R"({"listen": "1.2.3.4:70000"})", "listen"},
      {R"({"listen": "::1:80"})", "listen"},
      {R"({"key_prefix": "Bad"})", "key_prefix"},
      {R"({"key_prefix": "a__b"})", "key_prefix"},
      {R"({"trusted_proxies": ["10.0.0.0/8", "nope"]})", "trusted_proxies[1]"},
      {R"({"default_tier": "gold"})", "default_tier"},
      {R"({"tls": {"cert_file": "c"}})", "tls.key_file"},
      {R"({"routes": [{"path": "/a", "scope": "bad scope"}]})", "routes[0].scope"},
      {R"({"cors": {"allowed_origins": ["example.com"]}})", "cors.allowed_origins[0]"},
      {R"({"cors": {"allowed_origins": ["*", "https://a.example/"]}})",
       "cors.allowed_origins[1]"},
      {R"({"cors": {"allowed_origins": ["https://"]}})", "cors.allowed_origins[0]"},
      {R"({"routes": [{"method": "get", "path": "/a", "scope": "a:b"}]})",
       "routes[0].method"},
      {R"({"tiers": {"big": {"limit": 1000000001, "window_seconds": 1}}})",
       "tiers.big.limit"},
      {R"({"tiers": {"big": {"limit": 1, "window_seconds": 1000000001}}})",
       "tiers.big.window_seconds"},
      {R"({"log": {"format": "xml"}})", "log.format"},
      {R"({"limits": {"backend": "redis"}})", "limits.backend"},
      {R"({"limits": {"backend": "redis://h:99999"}})", "limits.backend"},
      {R"({"limits": {"backend": "redis://user:secret@h:6379"}})", "limits.backend"},
      {R"({"limits": {"on_backend_error": "allow"}})", "limits.on_backend_error"},
      {R"({"limits": {"backend_timeout_ms": 10001}})", "limits.backend_timeout_ms"},
  };
  for (const auto& c : cases) {
    auto r = ApplyJson(c.json, Config::Defaults());
    ASSERT_TRUE(r.ok()) << c.json;
    auto v = Validate(*r);
    ASSERT_FALSE(v.ok()) << c.json;
    EXPECT_EQ(v.error().fields[0].field, c.field) << c.json;
    EXPECT_NE(Describe(v.error()).find("'" + c.field + "'"), std::string::npos);
  }
}

TEST(ConfigTest, SharedLimitsComeFromTheFileOrTheEnvironment) {
  auto d = Load({}, Env({}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->limits_backend, "local");
  EXPECT_EQ(d->limits_on_backend_error, "local");
  EXPECT_EQ(d->limits_backend_timeout_ms, 100);
  auto f = ApplyJson(
      R"({"limits": {"backend": "redis://10.0.0.5:6380/2", "on_backend_error": "deny",
                     "backend_timeout_ms": 50}})",
      Config::Defaults());
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(Validate(*f).ok());
  EXPECT_EQ(f->limits_backend, "redis://10.0.0.5:6380/2");
  EXPECT_EQ(f->limits_on_backend_error, "deny");
  EXPECT_EQ(f->limits_backend_timeout_ms, 50);
  auto e = Load({}, Env({{"KEYWARD_LIMITS_BACKEND", "redis://redis:6379"},
                         {"KEYWARD_LIMITS_ON_BACKEND_ERROR", "deny"}}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->limits_backend, "redis://redis:6379");
  EXPECT_EQ(e->limits_on_backend_error, "deny");
  // The message names the field and does not echo a value that may hold a secret.
  auto bad = Load({}, Env({{"KEYWARD_LIMITS_BACKEND", "redis://u:hunter2@h:1"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "limits.backend");
  EXPECT_EQ(Describe(bad.error()).find("hunter2"), std::string::npos);
}

TEST(ConfigTest, PrecedenceFlagsOverEnvOverDefaults) {
  auto c = Load({}, Env({{"KEYWARD_LISTEN", "0.0.0.0:1"},
                         {"KEYWARD_DATA_DIR", "/env"},
                         {"KEYWARD_MAX_BODY_BYTES", "77"},
                         {"KEYWARD_TRUSTED_PROXIES", "10.0.0.0/8, ::1"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_port, 1);
  EXPECT_EQ(c->data_dir, "/env");
  EXPECT_EQ(c->max_body_bytes, 77u);
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  Flags flags;
  flags.listen = "127.0.0.1:2";
  flags.insecure_http = true;
  c = Load(flags, Env({{"KEYWARD_LISTEN", "0.0.0.0:1"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_port, 2);
  EXPECT_TRUE(c->insecure_http);
  auto bad = Load({}, Env({{"KEYWARD_MAX_BODY_BYTES", "lots"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "KEYWARD_MAX_BODY_BYTES");
  bad = Load({}, Env({{"KEYWARD_MAX_BODY_BYTES", "-4"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "KEYWARD_MAX_BODY_BYTES");
}

}  // namespace
}  // namespace keyward::config
