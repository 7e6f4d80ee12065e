// A replica on PostgreSQL while the database is down (contract section 7, degraded
// store): verification goes on from memory, /readyz and admin writes answer 503 at
// once, and everything resumes by itself when the database is back. The outage
// needs a PostgreSQL of its own, not the run's shared one.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "keyward_process.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace keyward::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

TEST(StoreOutageTest, VerifiesFromMemoryRefusesWritesAndResyncs) {
  PostgresServer pg;
  std::string error;
  ASSERT_TRUE(pg.Start(&error)) << error;
  const std::string url = PostgresServer::CreateDatabase(pg.admin_url(), &error);
  ASSERT_FALSE(url.empty()) << error;

  TempDir dir;
  KeywardProcess::Options o;
  o.data_dir = dir.File("data");
  o.env = {"KEYWARD_STORE_URL=" + url};
  KeywardProcess server(o);
  ASSERT_TRUE(server.Start(&error)) << error;
  const std::string admin = server.BootstrapKey();
  auto client = server.Client();
  auto r = Call(*client, "POST", "/v1/keys", admin, json{{"name", "before"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string key = Json(r)["key"];
  ASSERT_EQ(Call(*client, "GET", "/readyz", "").status, 200);

  ASSERT_TRUE(pg.Pause(&error)) << error;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Json(Call(*client, "POST", "/v1/verify", "", json{{"key", key}}))["valid"],
              true);
  }
  EXPECT_EQ(Call(*client, "GET", "/readyz", "").status, 503);
  const auto t0 = Clock::now();
  r = Call(*client, "POST", "/v1/keys", admin, json{{"name", "during"}});
  const double write_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  EXPECT_EQ(r.status, 503) << r.body;
  std::printf("[ outage ] admin write answered %d in %.1f ms\n", r.status, write_ms);

  ASSERT_TRUE(pg.Resume(&error)) << error;
  // Back by itself: poll (the contract gives no bound here; 30 s is generous).
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (Clock::now() < deadline) {
    r = Call(*client, "POST", "/v1/keys", admin, json{{"name", "after"}});
    status = r.status;
    if (status == 201) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status, 201) << r.body;
  EXPECT_EQ(Json(Call(*client, "POST", "/v1/verify", "",
                      json{{"key", Json(r)["key"]}}))["valid"],
            true);
  EXPECT_EQ(Call(*client, "GET", "/readyz", "").status, 200);
  server.Stop();
  pg.Stop();
}

}  // namespace
}  // namespace keyward::testing
