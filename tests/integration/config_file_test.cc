// The example configuration works as shipped, and bad policy settings stop start-up
// with one line naming the field.
#include <fstream>

#include "server_test.h"

namespace keyward::testing {
namespace {

const std::string kExample =
    std::string(KEYWARD_SOURCE_DIR) + "/config/keyward.example.json";

TEST(ConfigFileTest, ExampleConfigChecksAndServes) {
  CliResult check = RunCli({"config", "check", kExample});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("config OK"), std::string::npos);
  TempDir dir;
  KeywardProcess server({dir.File("data"), {"--config", kExample}, {}, true});
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  auto client = server.Client();
  auto r = Call(*client, "GET", "/v1/me", server.BootstrapKey());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("RateLimit-Policy"), "\"default\";q=6000;w=60");
  EXPECT_EQ(server.Stop(), 0);
}

TEST(ConfigFileTest, BadPolicySettingsStopStartupNamingTheField) {
  TempDir dir;
  struct Case {
    std::string json;
    std::string field;
  };
  const Case cases[] = {
      {R"({"limits": {"failed_auth_per_minute": 0}})", "limits.failed_auth_per_minute"},
      {R"({"cors": {"allowed_origins": ["app.example"]}})", "cors.allowed_origins[0]"},
      {R"({"cors": {"origins": ["*"]}})", "cors.origins"},
      {R"({"tiers": {"standard": {"limit": 0, "window_seconds": 60}}})",
       "tiers.standard.limit"},
      {R"({"default_tier": "gold"})", "default_tier"},
      {R"({"routes": [{"method": "GET", "path": "/a/*", "scope": "a"}]})",
       "routes[0].scope"},
      {R"({"trusted_proxies": ["127.0.0.1/40"]})", "trusted_proxies[0]"},
  };
  for (const auto& c : cases) {
    const std::string path = dir.File("bad.json");
    std::ofstream(path) << c.json;
    CliResult r = RunCli({"serve", "--config", path, "--data-dir", dir.File("d")});
    EXPECT_NE(r.exit_code, 0) << c.json;
    EXPECT_NE(r.err.find("'" + c.field + "'"), std::string::npos)
        << c.json << " -> " << r.err;
    // One line: the message, nothing else.
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  CliResult env = RunCli({"serve", "--data-dir", dir.File("d")},
                         {"KEYWARD_FAILED_AUTH_PER_MINUTE=many"});
  EXPECT_NE(env.exit_code, 0);
  EXPECT_NE(env.err.find("KEYWARD_FAILED_AUTH_PER_MINUTE"), std::string::npos) << env.err;
}

}  // namespace
}  // namespace keyward::testing
