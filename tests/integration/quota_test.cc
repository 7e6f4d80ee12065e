// remaining_uses over HTTPS: USAGE_EXCEEDED, live counts, patch resets, refill,
// exact counting under concurrency, and durability across a clean restart.
#include <atomic>
#include <thread>
#include <vector>

#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

// Generous enough that the rate limit never interferes with a quota test.
const json kNoRateLimit = {{"limit", 1'000'000}, {"window_seconds", 1}};

class QuotaTest : public ServerTest {
 protected:
  json GetKey(const json& k) {
    auto r = Do("GET", "/v1/keys/" + k["id"].get<std::string>(), admin_key_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }
};

TEST_F(QuotaTest, UsesCountDownThenUsageExceeded) {
  json k =
      CreateKey({{"name", "q"}, {"remaining_uses", 2}, {"rate_limit", kNoRateLimit}});
  EXPECT_EQ(k["remaining_uses"], 2);
  EXPECT_TRUE(k["refill"].is_null());
  json v = VerifyKey(k["key"]);
  EXPECT_EQ(v["code"], "VALID");
  EXPECT_EQ(v["key"]["remaining_uses"], 1);
  EXPECT_EQ(GetKey(k)["remaining_uses"], 1);  // the live count, not the last flush
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);
  auto r = Do("GET", "/v1/me", k["key"]);
  ASSERT_EQ(r.status, 429) << r.body;
  json p = Json(r);
  EXPECT_EQ(p["type"], "https://iana.org/assignments/http-problem-types#quota-exceeded");
  EXPECT_EQ(p["code"], "usage_exceeded");
  EXPECT_EQ(p["outcome"], "USAGE_EXCEEDED");
  EXPECT_GE(std::stoi(r.Header("Retry-After")), 1);
  EXPECT_FALSE(r.Header("RateLimit").empty());
  v = VerifyKey(k["key"]);
  EXPECT_EQ(v["code"], "USAGE_EXCEEDED");
  EXPECT_EQ(v["key"]["remaining_uses"], 0);
  EXPECT_EQ(GetKey(k)["remaining_uses"], 0);  // refusals never take it below zero
}

TEST_F(QuotaTest, OnlyFullyValidRequestsTakeAUse) {
  json k = CreateKey({{"name", "q"},
                      {"scopes", {"logs:read"}},
                      {"remaining_uses", 5},
                      {"rate_limit", kNoRateLimit}});
  EXPECT_EQ(VerifyKey(k["key"], {"logs:write"})["code"], "INSUFFICIENT_SCOPE");
  EXPECT_EQ(Do("GET", "/v1/keys", k["key"]).status, 403);  // needs keys:read
  EXPECT_EQ(GetKey(k)["remaining_uses"], 5);
  EXPECT_EQ(VerifyKey(k["key"], {"logs:read"})["key"]["remaining_uses"], 4);
}

TEST_F(QuotaTest, PatchingRemainingUsesResetsTheLiveCountEvenToTheSameValue) {
  json k =
      CreateKey({{"name", "q"}, {"remaining_uses", 3}, {"rate_limit", kNoRateLimit}});
  const std::string path = "/v1/keys/" + k["id"].get<std::string>();
  VerifyKey(k["key"]);
  EXPECT_EQ(GetKey(k)["remaining_uses"], 2);
  // A patch of something else keeps the live count.
  auto r = Do("PATCH", path, admin_key_, {{"name", "renamed"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["remaining_uses"], 2);
  EXPECT_EQ(VerifyKey(k["key"])["key"]["remaining_uses"], 1);
  // Setting it to the value it was created with starts over from that value.
  r = Do("PATCH", path, admin_key_, {{"remaining_uses", 3}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["remaining_uses"], 3);
  EXPECT_EQ(VerifyKey(k["key"])["key"]["remaining_uses"], 2);
  // null lifts the quota.
  r = Do("PATCH", path, admin_key_, {{"remaining_uses", nullptr}});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Json(r)["remaining_uses"].is_null());
  json v = VerifyKey(k["key"]);
  EXPECT_EQ(v["code"], "VALID");
  EXPECT_TRUE(v["key"]["remaining_uses"].is_null());
}

TEST_F(QuotaTest, RefillStartsFullAndIsShownAndPatchable) {
  json k = CreateKey({{"name", "q"},
                      {"refill", {{"amount", 2}, {"interval", "daily"}}},
                      {"rate_limit", kNoRateLimit}});
  EXPECT_EQ(k["remaining_uses"], 2);
  EXPECT_EQ(k["refill"], json({{"amount", 2}, {"interval", "daily"}}));
  VerifyKey(k["key"]);
  VerifyKey(k["key"]);
  auto r = Do("GET", "/v1/me", k["key"]);
  ASSERT_EQ(r.status, 429);
  // Spent until the next UTC midnight: Retry-After says when, at most a day.
  const int retry = std::stoi(r.Header("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 86400);
  // Changing only the refill keeps the (spent) count; it comes back at midnight.
  const std::string path = "/v1/keys/" + k["id"].get<std::string>();
  r = Do("PATCH", path, admin_key_,
         {{"refill", {{"amount", 9}, {"interval", "monthly"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["refill"]["interval"], "monthly");
  EXPECT_EQ(Json(r)["remaining_uses"], 0);
  EXPECT_EQ(VerifyKey(k["key"])["code"], "USAGE_EXCEEDED");
  r = Do("PATCH", path, admin_key_, {{"refill", nullptr}});
  EXPECT_TRUE(Json(r)["refill"].is_null());
}

TEST_F(QuotaTest, CountsSurviveACleanRestart) {
  json k =
      CreateKey({{"name", "q"}, {"remaining_uses", 10}, {"rate_limit", kNoRateLimit}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(VerifyKey(k["key"])["code"], "VALID");
  ASSERT_EQ(StopServer(), 0);
  StartServer();
  EXPECT_EQ(GetKey(k)["remaining_uses"], 7);
  EXPECT_EQ(VerifyKey(k["key"])["key"]["remaining_uses"], 6);
}

TEST_F(QuotaTest, ConcurrentVerificationsTakeExactlyTheQuota) {
  json k =
      CreateKey({{"name", "q"}, {"remaining_uses", 1000}, {"rate_limit", kNoRateLimit}});
  const std::string key = k["key"];
  std::atomic<int> valid{0}, exceeded{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto client = server_->Client();
      for (int i = 0; i < 200; ++i) {
        auto r = Call(*client, "POST", "/v1/verify", "", {{"key", key}});
        const json body = Json(r);
        if (r.status == 200 && body["code"] == "VALID") {
          valid.fetch_add(1);
        } else if (r.status == 200 && body["code"] == "USAGE_EXCEEDED") {
          exceeded.fetch_add(1);
        } else {
          other.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(valid.load(), 1000);
  EXPECT_EQ(exceeded.load(), 600);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(GetKey(k)["remaining_uses"], 0);
  ASSERT_EQ(StopServer(), 0);
  StartServer();
  EXPECT_EQ(GetKey(k)["remaining_uses"], 0);
  EXPECT_EQ(VerifyKey(key)["code"], "USAGE_EXCEEDED");
}

}  // namespace
}  // namespace keyward::testing
