// Issue 8, item 5: admin calls wait on SQLite on their own pool, never on the I/O
// threads. A sqlite3 process holds the database's write lock while more admin
// writes than there are I/O threads wait; verification, forward auth and new TLS
// handshakes must still be answered before any of those writes returns.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

// `sqlite3 DB` holding BEGIN IMMEDIATE until Release().
class WriteLockHolder {
 public:
  WriteLockHolder(const std::string& db, const std::string& out) : out_(out) {
    pipe_ = ::popen(("sqlite3 '" + db + "' > '" + out + "' 2>&1").c_str(), "w");
  }
  ~WriteLockHolder() { Release(); }
  bool Lock() {
    if (!pipe_) return false;
    std::fputs("BEGIN IMMEDIATE;\n.print locked\n", pipe_);
    std::fflush(pipe_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ReadFile(out_).find("locked") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  void Release() {
    if (!pipe_) return;
    std::fputs("ROLLBACK;\n.quit\n", pipe_);
    ::pclose(pipe_);
    pipe_ = nullptr;
  }

 private:
  std::string out_;
  FILE* pipe_ = nullptr;
};

class AdminOffloadTest : public ConfiguredServerTest {
 protected:
  json Config() override {
    return {
        {"routes", {{{"method", "GET"}, {"path", "/api/*"}, {"scope", "logs:read"}}}}};
  }
};

TEST_F(AdminOffloadTest, VerificationAnswersWhileAdminWritesWaitOnTheStore) {
  const std::string key = CreateKey({{"name", "v"}, {"scopes", {"logs:read"}}})["key"];
  WriteLockHolder lock(data_dir() + "/keyward.db", dir_.File("sqlite3.out"));
  ASSERT_TRUE(lock.Lock()) << ReadFile(dir_.File("sqlite3.out"));

  constexpr int kWriters = 16;  // more than the server's I/O threads
  std::atomic<int> finished{0}, created{0}, busy{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      auto client = server_->Client();
      auto r = Call(*client, "POST", "/v1/keys", admin_key_,
                    {{"name", "w" + std::to_string(i)}});
      created += r.status == 201;
      busy += r.status == 503;
      ++finished;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let them queue up

  // Fresh connections (new TLS handshakes) on the hot paths.
  for (int i = 0; i < 5; ++i) {
    auto client = server_->Client();
    auto v = Call(*client, "POST", "/v1/verify", "",
                  {{"key", key}, {"scopes", {"logs:read"}}});
    EXPECT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(Json(v)["code"], "VALID");
    auto a =
        Call(*client, "GET", "/v1/auth", key, nullptr, {{"X-Original-URI", "/api/x"}});
    EXPECT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(Call(*client, "GET", "/healthz", "").status, 200);
    // Escaped forms are routed to the same hot paths, so they run inline too.
    auto escaped = Call(*client, "POST", "/v1/%76erify", "",
                        {{"key", key}, {"scopes", {"logs:read"}}});
    EXPECT_EQ(escaped.status, 200) << escaped.body;
    auto escaped_auth =
        Call(*client, "GET", "/v1/%61uth", key, nullptr, {{"X-Original-URI", "/api/x"}});
    EXPECT_EQ(escaped_auth.status, 200) << escaped_auth.body;
  }
  // All of that was answered while every admin write was still waiting.
  EXPECT_EQ(finished.load(), 0);

  lock.Release();
  for (auto& t : writers) t.join();
  EXPECT_EQ(created + busy, kWriters);  // each finished, or was told to retry
  EXPECT_GT(created.load(), 0);
}

}  // namespace
}  // namespace keyward::testing
