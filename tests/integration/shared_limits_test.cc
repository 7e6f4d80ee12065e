// Shared limits on Redis (contract section 7, limits.backend): three real
// `keyward serve` replicas on the run's PostgreSQL and a private redis-server (each
// test has its own, so it can stop it), driven in parallel through all three.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "keyward_process.h"
#include "support/postgres_server.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

namespace keyward::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kReplicas = 3;
constexpr int kFailedAuthLimit = 6;

class SharedLimitsTest : public ::testing::Test {
 protected:
  virtual std::string OnBackendError() const { return "local"; }
  // The failed-auth throttle's limit. High but for the test of the throttle: the
  // polls of WaitKnown ask for a key a replica may not know yet, each a failed
  // authentication, and on a loaded machine enough of them throttled a replica
  // before the key arrived (it then answered the burst RATE_LIMITED).
  virtual int FailedAuthLimit() const { return 1000000; }

  void SetUp() override {
    std::string error;
    ASSERT_TRUE(redis_.Start(&error)) << error;
    url_ = PostgresServer::CreateDatabase(PostgresServer::SharedUrl(), &error);
    ASSERT_FALSE(url_.empty()) << error;
    const std::string pepper = dir_.File("pepper");
    std::ofstream(pepper, std::ios::binary) << std::string(32, 'p');
    ::chmod(pepper.c_str(), 0600);
    for (int i = 0; i < kReplicas; ++i) {
      KeywardProcess::Options o;
      o.data_dir = dir_.File("data" + std::to_string(i));
      o.env = {"KEYWARD_STORE_URL=" + url_, "KEYWARD_PEPPER_FILE=" + pepper,
               "KEYWARD_LIMITS_BACKEND=" + redis_.Url(0),
               "KEYWARD_LIMITS_ON_BACKEND_ERROR=" + OnBackendError(),
               "KEYWARD_FAILED_AUTH_PER_MINUTE=" + std::to_string(FailedAuthLimit())};
      replicas_.push_back(std::make_unique<KeywardProcess>(o));
      // One after the other: the first bootstraps, the rest find the database ready.
      ASSERT_TRUE(replicas_.back()->Start(&error)) << error;
      std::ifstream key(o.data_dir + "/bootstrap-admin.key");
      if (key) admin_key_ = replicas_.back()->BootstrapKey();
    }
    ASSERT_FALSE(admin_key_.empty());
    for (auto& r : replicas_) clients_.push_back(r->Client());
  }

  // A new key with `fields`, known to every replica when this returns.
  json CreateKey(const json& fields) {
    json body = fields;
    body["name"] = "k" + std::to_string(++created_);
    auto r = Call(*clients_[0], "POST", "/v1/keys", admin_key_, body);
    EXPECT_EQ(r.status, 201) << r.body;
    json key = Json(r);
    for (int i = 0; i < kReplicas; ++i) EXPECT_TRUE(WaitKnown(i, key["key"])) << i;
    return key;
  }

  // Asks for a scope the key lacks: INSUFFICIENT_SCOPE once the replica knows the
  // key, decided before the limiter runs, so waiting consumes nothing.
  bool WaitKnown(int replica, const std::string& secret) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      json v = Verify(replica, secret, json{"absent:scope"});
      if (v.value("code", "") == "INSUFFICIENT_SCOPE") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  json Verify(int replica, const std::string& secret, const json& scopes = nullptr) {
    json body{{"key", secret}};
    if (!scopes.is_null()) body["scopes"] = scopes;
    return Json(Call(*clients_[replica], "POST", "/v1/verify", "", body));
  }

  // `per_replica` verifications of `secret` on every replica, the replicas in
  // parallel (one client each). Returns the outcome codes counted per replica.
  std::vector<std::map<std::string, int>> Burst(const std::string& secret,
                                                int per_replica) {
    std::vector<std::map<std::string, int>> codes(kReplicas);
    std::vector<std::thread> threads;
    for (int i = 0; i < kReplicas; ++i) {
      threads.emplace_back([&, i] {
        auto client = replicas_[i]->Client();
        for (int n = 0; n < per_replica; ++n) {
          json v = Json(Call(*client, "POST", "/v1/verify", "", json{{"key", secret}}));
          ++codes[i][v.value("code", "(no answer)")];
        }
      });
    }
    for (auto& t : threads) t.join();
    return codes;
  }

  static int Total(const std::vector<std::map<std::string, int>>& codes,
                   const std::string& code) {
    int n = 0;
    for (const auto& m : codes) n += m.count(code) ? m.at(code) : 0;
    return n;
  }

  // Until every replica's /metrics says Redis answers again (each is asked to
  // verify meanwhile, which is what probes the circuit).
  bool WaitBackendUp(const std::string& secret) {
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    std::vector<bool> up(kReplicas, false);
    while (Clock::now() < deadline) {
      bool all = true;
      for (int i = 0; i < kReplicas; ++i) {
        if (!up[i]) {
          Verify(i, secret, json{"absent:scope"});
          auto m = Call(*clients_[i], "GET", "/metrics", "");
          up[i] = m.body.find("\nkeyward_limits_backend_up 1\n") != std::string::npos;
        }
        all = all && up[i];
      }
      if (all) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  RedisServer redis_;
  TempDir dir_;
  std::string url_;
  std::vector<std::unique_ptr<KeywardProcess>> replicas_;
  std::vector<std::unique_ptr<HttpsClient>> clients_;
  std::string admin_key_;
  int created_ = 0;
};

TEST_F(SharedLimitsTest, ATenPerMinuteLimitAdmitsTenInTotalAcrossReplicas) {
  json key = CreateKey({{"rate_limit", {{"limit", 10}, {"window_seconds", 60}}}});
  auto codes = Burst(key["key"], 12);
  EXPECT_EQ(Total(codes, "VALID"), 10);
  EXPECT_EQ(Total(codes, "RATE_LIMITED"), 3 * 12 - 10);
}

TEST_F(SharedLimitsTest, ATenUseQuotaHitInParallelAdmitsExactlyTen) {
  json key = CreateKey({{"remaining_uses", 10},
                        {"rate_limit", {{"limit", 1000}, {"window_seconds", 60}}}});
  auto codes = Burst(key["key"], 10);
  EXPECT_EQ(Total(codes, "VALID"), 10);
  EXPECT_EQ(Total(codes, "USAGE_EXCEEDED"), 3 * 10 - 10);
  // Every replica now refuses it.
  for (int i = 0; i < kReplicas; ++i) {
    EXPECT_EQ(Verify(i, key["key"]).value("code", ""), "USAGE_EXCEEDED") << i;
  }
}

class SharedThrottleTest : public SharedLimitsTest {
 protected:
  int FailedAuthLimit() const override { return kFailedAuthLimit; }
};

TEST_F(SharedThrottleTest, TheFailedAuthThrottleIsShared) {
  // Two failures on each replica: six in all, the limit, though no replica saw
  // more than two.
  for (int i = 0; i < kFailedAuthLimit; ++i) {
    auto r =
        Call(*clients_[i % kReplicas], "GET", "/v1/me", "kw_guess" + std::to_string(i));
    EXPECT_EQ(r.status, 401) << r.body;
  }
  for (int i = 0; i < kReplicas; ++i) {
    auto r = Call(*clients_[i], "GET", "/v1/me", admin_key_);
    EXPECT_EQ(r.status, 429) << "replica " << i << ": " << r.body;
  }
}

TEST_F(SharedLimitsTest, RedisDownCountsPerReplicaAndSharedCountingResumes) {
  std::string error;
  ASSERT_TRUE(redis_.Pause(&error)) << error;
  json down = CreateKey({{"rate_limit", {{"limit", 5}, {"window_seconds", 60}}}});
  auto codes = Burst(down["key"], 8);
  // on_backend_error = local: each replica counts alone, so each admits 5.
  for (int i = 0; i < kReplicas; ++i) {
    EXPECT_EQ(codes[i]["VALID"], 5) << "replica " << i;
    EXPECT_EQ(codes[i]["RATE_LIMITED"], 3) << "replica " << i;
  }
  for (int i = 0; i < kReplicas; ++i) {
    auto m = Call(*clients_[i], "GET", "/metrics", "");
    EXPECT_NE(m.body.find("\nkeyward_limits_backend_up 0\n"), std::string::npos) << i;
    EXPECT_NE(replicas_[i]->log().find("unreachable"), std::string::npos) << i;
  }

  ASSERT_TRUE(redis_.Resume(&error)) << error;
  json back = CreateKey({{"rate_limit", {{"limit", 5}, {"window_seconds", 60}}}});
  ASSERT_TRUE(WaitBackendUp(back["key"]));
  codes = Burst(back["key"], 8);
  EXPECT_EQ(Total(codes, "VALID"), 5);
  EXPECT_EQ(Total(codes, "RATE_LIMITED"), 3 * 8 - 5);
}

class SharedLimitsDenyTest : public SharedLimitsTest {
 protected:
  std::string OnBackendError() const override { return "deny"; }
};

TEST_F(SharedLimitsDenyTest, RedisDownAnswers429AndRecovers) {
  json key = CreateKey({{"rate_limit", {{"limit", 1000}, {"window_seconds", 60}}}});
  EXPECT_EQ(Verify(1, key["key"]).value("code", ""), "VALID");
  std::string error;
  ASSERT_TRUE(redis_.Pause(&error)) << error;
  for (int i = 0; i < kReplicas; ++i) {
    json v = Verify(i, key["key"]);
    EXPECT_EQ(v.value("valid", true), false) << i;
    EXPECT_EQ(v.value("code", ""), "RATE_LIMITED") << i;
    auto r = Call(*clients_[i], "GET", "/v1/me", admin_key_);
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_FALSE(r.Header("Retry-After").empty());
  }
  ASSERT_TRUE(redis_.Resume(&error)) << error;
  ASSERT_TRUE(WaitBackendUp(key["key"]));
  for (int i = 0; i < kReplicas; ++i) {
    EXPECT_EQ(Verify(i, key["key"]).value("code", ""), "VALID")
        << "replica " << i << ":\n"
        << replicas_[i]->log();
  }
}

TEST(SharedLimitsConfigTest, ABadBackendUrlStopsStartUpNamingTheField) {
  TempDir dir;
  CliResult r =
      RunCli({"serve", "--data-dir", dir.File("data"), "--listen", "127.0.0.1:0"},
             {"KEYWARD_LIMITS_BACKEND=redis://nohost:notaport"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("limits.backend"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace keyward::testing
