// Process behaviour: first start, files and modes, restart persistence, signals,
// the local CLI against a running server, configuration precedence and errors.
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

int Mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return st.st_mode & 0777;
}

class LifecycleTest : public ServerTest {};

TEST_F(LifecycleTest, FirstStartCreatesPrivateFilesAndBootstrapKey) {
  EXPECT_EQ(Mode(data_dir()), 0700);
  for (const char* f :
       {"keyward.db", "pepper", "bootstrap-admin.key", "tls/cert.pem", "tls/key.pem"}) {
    EXPECT_EQ(Mode(data_dir() + "/" + f), 0600) << f;
  }
  EXPECT_EQ(ReadFile(data_dir() + "/pepper").size(), 32u);
  const std::string file = ReadFile(data_dir() + "/bootstrap-admin.key");
  EXPECT_TRUE(std::regex_match(file, std::regex("kw_[0-9A-Za-z]{49}\n"))) << file;
  const std::string log = server_->log();
  EXPECT_NE(log.find("bootstrap-admin.key"), std::string::npos) << log;
  EXPECT_TRUE(
      std::regex_search(log, std::regex("fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}")))
      << log;
  EXPECT_EQ(log.find(admin_key_), std::string::npos);
  json me = Json(Do("GET", "/v1/me", admin_key_));
  EXPECT_EQ(me["key"]["tier"], "admin");
  EXPECT_EQ(me["user"]["username"], "admin");
  auto org = me["org"];
  EXPECT_EQ(org["name"], "default");
}

TEST_F(LifecycleTest, SigtermExitsZeroAndRestartKeepsEverything) {
  json k = CreateKey({{"name", "survivor"}, {"scopes", {"a:b"}}});
  json gone = CreateKey({{"name", "gone"}});
  ASSERT_EQ(Do("DELETE", "/v1/keys/" + gone["id"].get<std::string>(), admin_key_).status,
            204);
  ASSERT_EQ(StopServer(), 0);
  // A later start never writes the bootstrap file again, even when it is deleted.
  std::remove((data_dir() + "/bootstrap-admin.key").c_str());
  StartServer();
  EXPECT_FALSE(std::ifstream(data_dir() + "/bootstrap-admin.key").good());
  EXPECT_EQ(VerifyKey(k["key"], {"a:b"})["code"], "VALID");
  EXPECT_EQ(VerifyKey(gone["key"])["code"], "REVOKED");
  EXPECT_EQ(server_->log().find("created a self-signed"), std::string::npos);
}

TEST_F(LifecycleTest, SigintAlsoStopsCleanly) { EXPECT_EQ(server_->Stop(2), 0); }

// Polls /v1/verify until `code` or one second passes (the contract's bound).
bool ReachesWithinOneSecond(ServerTest* t, std::function<json()> verify,
                            const std::string& code) {
  (void)t;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
  while (std::chrono::steady_clock::now() < deadline) {
    if (verify()["code"] == code) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return verify()["code"] == code;
}

TEST_F(LifecycleTest, LocalCliChangesReachRunningServerWithinOneSecond) {
  const std::string out = dir_.File("cli.key");
  CliResult created =
      RunCli({"keys", "create", "--data-dir", data_dir(), "--owner", "admin", "--name",
              "from cli", "--scopes", "logs:read,logs:write", "--expires-in", "30d",
              "--out", out});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(Mode(out), 0600);
  std::string key = ReadFile(out);
  ASSERT_FALSE(key.empty());
  key.pop_back();
  EXPECT_EQ(created.out.find(key), std::string::npos);  // --out keeps it off stdout
  EXPECT_TRUE(ReachesWithinOneSecond(
      this, [&] { return VerifyKey(key, {"logs:write"}); }, "VALID"));

  CliResult list = RunCli({"keys", "list", "--data-dir", data_dir(), "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json keys = json::parse(list.out);
  std::string id;
  for (const auto& k : keys) {
    if (k["name"] == "from cli") id = k["id"];
  }
  ASSERT_FALSE(id.empty()) << list.out;
  CliResult revoked = RunCli({"keys", "revoke", id, "--data-dir", data_dir()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_TRUE(ReachesWithinOneSecond(
      this, [&] { return VerifyKey(key); }, "REVOKED"));
}

TEST_F(LifecycleTest, CliCreatePrintsKeyOnceToStdout) {
  CliResult created = RunCli({"keys", "create", "--data-dir", data_dir(), "--owner",
                              "admin", "--name", "stdout"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(std::regex_match(created.out, std::regex("kw_[0-9A-Za-z]{49}\n")))
      << created.out;
  CliResult bad = RunCli(
      {"keys", "create", "--data-dir", data_dir(), "--owner", "nobody", "--name", "x"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("nobody"), std::string::npos);
}

TEST(CliTest, VersionAndUsage) {
  CliResult v = RunCli({"version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(std::regex_match(v.out, std::regex("keyward \\d+\\.\\d+\\.\\d+\n")))
      << v.out;
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"serve", "--bogus"}).exit_code, 2);
}

TEST(CliTest, InitCreatesDataDirAndExits) {
  TempDir dir;
  CliResult r = RunCli({"init", "--data-dir", dir.File("d")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Mode(dir.File("d/bootstrap-admin.key")), 0600);
  EXPECT_EQ(Mode(dir.File("d/tls/cert.pem")), 0600);
  // A second init changes nothing and does not rewrite the key.
  const std::string key = ReadFile(dir.File("d/bootstrap-admin.key"));
  ASSERT_EQ(RunCli({"init", "--data-dir", dir.File("d")}).exit_code, 0);
  EXPECT_EQ(ReadFile(dir.File("d/bootstrap-admin.key")), key);
}

TEST(CliTest, BadConfigStopsStartupNamingTheField) {
  TempDir dir;
  struct Case {
    std::string json;
    std::string field;
  };
  const Case cases[] = {
      {R"({"listen": "127.0.0.1:0", "limitz": {}})", "limitz"},
      {R"({"limits": {"max_body_bytes": -1}})", "limits.max_body_bytes"},
      {R"({"trusted_proxies": ["10.0.0.0/33"]})", "trusted_proxies[0]"},
      {R"({"tiers": {"gold": {"window_seconds": 60}}})", "tiers.gold.limit"},
      {R"({"log": {"level": "loud"}})", "log.level"},
      {R"({"key_prefix": "KW"})", "key_prefix"},
  };
  for (const auto& c : cases) {
    const std::string path = dir.File("bad.json");
    std::ofstream(path) << c.json;
    CliResult r = RunCli({"serve", "--config", path, "--data-dir", dir.File("d")});
    EXPECT_NE(r.exit_code, 0) << c.json;
    EXPECT_NE(r.err.find("'" + c.field + "'"), std::string::npos)
        << c.json << " -> " << r.err;
    CliResult check = RunCli({"config", "check", path});
    EXPECT_NE(check.exit_code, 0) << c.json;
  }
  std::ofstream(dir.File("good.json")) << R"({"limits": {"max_body_bytes": 2048}})";
  EXPECT_EQ(RunCli({"config", "check", dir.File("good.json")}).exit_code, 0);
  CliResult bad_json = RunCli({"config", "check", dir.File("nope.json")});
  EXPECT_NE(bad_json.exit_code, 0);
}

TEST(CliTest, FlagsWinOverEnvironmentWhichWinsOverFile) {
  TempDir dir;
  std::ofstream(dir.File("c.json"))
      << R"({"data_dir": ")" + dir.File("from-file") + "\"}";
  // Environment beats the file.
  ASSERT_EQ(RunCli({"init", "--config", dir.File("c.json")},
                   {"KEYWARD_DATA_DIR=" + dir.File("from-env")})
                .exit_code,
            0);
  EXPECT_EQ(Mode(dir.File("from-env")), 0700);
  EXPECT_EQ(Mode(dir.File("from-file")), -1);
  // The flag beats both.
  ASSERT_EQ(RunCli({"init", "--config", dir.File("c.json"), "--data-dir",
                    dir.File("from-flag")},
                   {"KEYWARD_DATA_DIR=" + dir.File("from-env2")})
                .exit_code,
            0);
  EXPECT_EQ(Mode(dir.File("from-flag")), 0700);
  EXPECT_EQ(Mode(dir.File("from-env2")), -1);
  // The file beats the defaults; KEYWARD_CONFIG names it.
  ASSERT_EQ(RunCli({"init"}, {"KEYWARD_CONFIG=" + dir.File("c.json")}).exit_code, 0);
  EXPECT_EQ(Mode(dir.File("from-file")), 0700);
}

class InsecureHttpTest : public ServerTest {
 protected:
  KeywardProcess::Options ServerOptions() override {
    auto o = ServerTest::ServerOptions();
    o.tls = false;
    return o;
  }
};

TEST_F(InsecureHttpTest, ServesPlainHttpAndWarns) {
  EXPECT_EQ(Do("GET", "/v1/me", admin_key_).status, 200);
  EXPECT_NE(server_->log().find("--insecure-http"), std::string::npos);
  EXPECT_NE(server_->log().find("listening on http://"), std::string::npos);
}

}  // namespace
}  // namespace keyward::testing
