// Start-up of a server with a real store: it listens before its index is loaded,
// answers liveness at once, readiness 503 with the reason and every key-dependent
// route 503 not_ready until the load is done; then verification works, including a
// key committed while the server was not ready yet.
//
// The load is held by KEYWARD_TEST_HOLD_INDEX_LOAD (serve.cc) until the test creates
// a file: the not-ready state is observed for certain, not by racing a fast load.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "keyward_process.h"
#include "support/temp_dir.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TEST(StartupTest, NotReadyWhileTheIndexLoadsThenServes) {
  TempDir dir;
  const std::string data = dir.File("data");
  ASSERT_EQ(RunCli({"init", "--data-dir", data}).exit_code, 0);
  const std::string seeded_file = dir.File("seeded.key");
  CliResult seeded =
      RunCli({"keys", "seed", "--data-dir", data, "--count", "20000", "--owner", "admin",
              "--scopes", "logs:read", "--out", seeded_file});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  const std::string seeded_key = Trimmed(ReadFile(seeded_file));
  ASSERT_FALSE(seeded_key.empty());

  const std::string hold = dir.File("release-load");
  KeywardProcess::Options o;
  o.data_dir = data;
  o.env = {"KEYWARD_TEST_HOLD_INDEX_LOAD=" + hold};
  o.wait_ready = false;
  KeywardProcess server(o);
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  const std::string admin = server.BootstrapKey();
  auto client = server.Client();

  EXPECT_EQ(Call(*client, "GET", "/healthz", "").status, 200);
  ClientResponse r = Call(*client, "GET", "/readyz", "");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(Json(r)["code"], "not_ready");
  EXPECT_NE(Json(r)["detail"].get<std::string>().find("loading"), std::string::npos)
      << r.body;
  r = Call(*client, "POST", "/v1/verify", "", json{{"key", seeded_key}});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Json(r)["code"], "not_ready");
  EXPECT_EQ(r.Header("Retry-After"), "1");
  EXPECT_EQ(r.body.find(seeded_key), std::string::npos);  // never echoed
  r = Call(*client, "GET", "/v1/auth?scope=logs:read", seeded_key);
  EXPECT_EQ(r.status, 503) << r.body;
  r = Call(*client, "GET", "/v1/keys", admin);
  EXPECT_EQ(r.status, 503) << r.body;

  // Committed while the server is not ready: must be valid once it is.
  const std::string late_file = dir.File("late.key");
  CliResult late = RunCli({"keys", "create", "--data-dir", data, "--owner", "admin",
                           "--name", "during load", "--out", late_file});
  ASSERT_EQ(late.exit_code, 0) << late.err;
  const std::string late_key = Trimmed(ReadFile(late_file));

  std::ofstream(hold).put('\n');
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    status = Call(*client, "GET", "/readyz", "").status;
    if (status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(status, 200) << server.log();
  EXPECT_NE(server.log().find("loaded 20002 keys"), std::string::npos) << server.log();

  r = Call(*client, "POST", "/v1/verify", "",
           json{{"key", seeded_key}, {"scopes", json::array({"logs:read"})}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["valid"], true) << r.body;
  EXPECT_EQ(Call(*client, "GET", "/v1/auth?scope=logs:read", seeded_key).status, 200);
  r = Call(*client, "POST", "/v1/verify", "", json{{"key", late_key}});
  EXPECT_EQ(Json(r)["valid"], true) << r.body;
  EXPECT_EQ(Call(*client, "GET", "/v1/keys?limit=1", admin).status, 200);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(StartupTest, StopsCleanlyWhileTheLoadIsHeld) {
  TempDir dir;
  KeywardProcess::Options o;
  o.data_dir = dir.File("data");
  o.env = {"KEYWARD_TEST_HOLD_INDEX_LOAD=" + dir.File("never")};
  o.wait_ready = false;
  KeywardProcess server(o);
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  EXPECT_EQ(Call(*server.Client(), "GET", "/readyz", "").status, 503);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace keyward::testing
