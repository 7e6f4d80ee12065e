// RedisLimiter against a real redis-server (the run's, one database per test):
// several limiters on one database stand for several replicas.
#include "keyward/limits/redis_limiter.h"

#include <gtest/gtest.h>
#include <hiredis.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/redis_server.h"

namespace keyward::limits {
namespace {

using testing::RedisServer;

RedisOptions OptionsFor(int port, int db) {
  RedisOptions o;
  o.endpoint = {"127.0.0.1", port, db};
  return o;
}

class RedisLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = RedisServer::NewDatabase();
    for (int i = 0; i < 3; ++i) {
      replicas_.push_back(
          std::make_unique<RedisLimiter>(OptionsFor(RedisServer::SharedPort(), db_)));
    }
  }

  // Runs `calls` calls of `fn(replica)` on 6 threads spread over the replicas;
  // returns how many answered true.
  template <typename Fn>
  int Hammer(int calls, Fn fn) {
    std::atomic<int> next{0}, yes{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        RedisLimiter& r = *replicas_[t % replicas_.size()];
        while (next.fetch_add(1) < calls) {
          if (fn(r)) yes.fetch_add(1);
        }
      });
    }
    for (auto& th : threads) th.join();
    return yes.load();
  }

  int db_ = 0;
  std::vector<std::unique_ptr<RedisLimiter>> replicas_;
};

TEST_F(RedisLimiterTest, RateAdmitsExactlyTheLimitAcrossReplicas) {
  const RateLimit limit{10, 60};
  std::atomic<int> errors{0};
  const int admitted = Hammer(60, [&](RedisLimiter& r) {
    auto s = r.AcquireRate("key_rate1", limit);
    if (!s) errors.fetch_add(1);
    return s && !s->limited;
  });
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(admitted, 10);
}

TEST_F(RedisLimiterTest, RateReportsRemainingAndRetryAfter) {
  const RateLimit limit{3, 60};
  for (int want = 2; want >= 0; --want) {
    auto s = replicas_[want % 3]->AcquireRate("key_rate2", limit);
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->limited);
    EXPECT_EQ(s->remaining, want);
    EXPECT_EQ(s->limit, 3);
    EXPECT_EQ(s->window_seconds, 60);
  }
  auto s = replicas_[0]->AcquireRate("key_rate2", limit);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->limited);
  EXPECT_EQ(s->remaining, 0);
  // One request comes back every 20 s.
  EXPECT_GE(s->retry_after_seconds, 19);
  EXPECT_LE(s->retry_after_seconds, 20);
  // Another counter is not affected.
  auto other = replicas_[1]->AcquireRate("key_rate3", limit);
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->limited);
}

TEST_F(RedisLimiterTest, QuotaTakesExactlyTheSeedAcrossReplicasAndNeverGoesNegative) {
  std::atomic<int> errors{0};
  const int taken = Hammer(50, [&](RedisLimiter& r) {
    // Every replica offers its own copy as the seed; only the first one counts.
    auto t = r.ConsumeQuota("key_q1", 0, core::QuotaCell::Value{10, 0}, std::nullopt, 0);
    if (!t) errors.fetch_add(1);
    if (t) {
      EXPECT_GE(t->value.remaining, 0);
    }
    return t && t->taken;
  });
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(taken, 10);
  // A larger seed later does not refill it.
  auto t = replicas_[2]->ConsumeQuota("key_q1", 0, core::QuotaCell::Value{100, 0},
                                      std::nullopt, 0);
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->taken);
  EXPECT_EQ(t->value.remaining, 0);
}

TEST_F(RedisLimiterTest, QuotaOfANewEpochStartsFromItsSeed) {
  auto a = replicas_[0]->ConsumeQuota("key_q2", 1, core::QuotaCell::Value{1, 0},
                                      std::nullopt, 0);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->taken);
  EXPECT_EQ(a->value.remaining, 0);
  auto b = replicas_[1]->ConsumeQuota("key_q2", 2, core::QuotaCell::Value{5, 0},
                                      std::nullopt, 0);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->taken);
  EXPECT_EQ(b->value.remaining, 4);
}

TEST_F(RedisLimiterTest, QuotaWithoutSeedTakesNothingUntilSeeded) {
  auto a = replicas_[0]->ConsumeQuota("key_q3", 0, std::nullopt, std::nullopt, 0);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->taken);
  auto b = replicas_[1]->ConsumeQuota("key_q3", 0, core::QuotaCell::Value{2, 0},
                                      std::nullopt, 0);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->taken);
  auto c = replicas_[0]->ConsumeQuota("key_q3", 0, std::nullopt, std::nullopt, 0);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->taken);  // now shared: the unseeded caller draws on it
  EXPECT_EQ(c->value.remaining, 0);
}

TEST_F(RedisLimiterTest, QuotaRefillsInALaterPeriod) {
  const QuotaRefill refill{3, RefillInterval::kDaily};
  auto a = replicas_[0]->ConsumeQuota("key_q4", 0, core::QuotaCell::Value{1, 100}, refill,
                                      100);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->taken);
  auto empty = replicas_[1]->ConsumeQuota("key_q4", 0, std::nullopt, refill, 100);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->taken);
  auto next_day = replicas_[2]->ConsumeQuota("key_q4", 0, std::nullopt, refill, 101);
  ASSERT_TRUE(next_day);
  EXPECT_TRUE(next_day->taken);
  EXPECT_EQ(next_day->value.remaining, 2);
  EXPECT_EQ(next_day->value.period, 101);
}

TEST_F(RedisLimiterTest, ThrottleIsSharedAcrossReplicas) {
  const std::string who = "0a000001000000000000000000000004";
  for (int i = 0; i < 4; ++i) {
    auto w = replicas_[i % 3]->ThrottleWait(who, 5, 60);
    ASSERT_TRUE(w);
    EXPECT_EQ(*w, 0);
    ASSERT_TRUE(replicas_[i % 3]->ThrottleRecord(who, 60));
  }
  ASSERT_TRUE(replicas_[1]->ThrottleRecord(who, 60));  // the fifth failure
  for (auto& r : replicas_) {
    auto w = r->ThrottleWait(who, 5, 60);
    ASSERT_TRUE(w);
    EXPECT_GE(*w, 59);
    EXPECT_LE(*w, 60);
  }
  auto other = replicas_[0]->ThrottleWait("0a000002000000000000000000000004", 5, 60);
  ASSERT_TRUE(other);
  EXPECT_EQ(*other, 0);
}

TEST_F(RedisLimiterTest, FallsBackToEvalWhenRedisForgotTheScript) {
  const RateLimit limit{5, 60};
  ASSERT_TRUE(replicas_[0]->AcquireRate("key_s1", limit));
  timeval tv{2, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", RedisServer::SharedPort(), tv);
  ASSERT_TRUE(c != nullptr && c->err == 0);
  auto* r = static_cast<redisReply*>(redisCommand(c, "SCRIPT FLUSH"));
  ASSERT_NE(r, nullptr);
  freeReplyObject(r);
  redisFree(c);
  auto s = replicas_[0]->AcquireRate("key_s1", limit);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->remaining, 3);
}

TEST(RedisLimiterOutageTest, FailsFastWhileDownAndRecovers) {
  RedisServer server;
  std::string error;
  ASSERT_TRUE(server.Start(&error)) << error;
  std::vector<bool> states;
  std::mutex mu;
  std::atomic<int> errors{0};
  RedisOptions o = OptionsFor(server.port(), 0);
  o.max_backoff = std::chrono::milliseconds(200);
  RedisLimiter limiter(
      o,
      [&](bool up) {
        std::lock_guard lock(mu);
        states.push_back(up);
      },
      [&] { errors.fetch_add(1); });
  const RateLimit limit{100, 60};
  ASSERT_TRUE(limiter.AcquireRate("key_o1", limit));
  EXPECT_TRUE(limiter.pool().up());
  ASSERT_TRUE(server.Pause(&error)) << error;
  EXPECT_FALSE(limiter.AcquireRate("key_o1", limit));
  EXPECT_FALSE(limiter.pool().up());
  // While the circuit is open calls fail without trying.
  for (int i = 0; i < 100; ++i)
    EXPECT_FALSE(
        limiter.ConsumeQuota("key_o1", 0, core::QuotaCell::Value{5, 0}, std::nullopt, 0));
  EXPECT_EQ(errors.load(), 101);
  ASSERT_TRUE(server.Resume(&error)) << error;
  // Within a few backoffs the probe reconnects.
  bool back = false;
  for (int i = 0; i < 200 && !back; ++i) {
    back = limiter.AcquireRate("key_o1", limit).has_value();
    if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(back);
  EXPECT_TRUE(limiter.pool().up());
  std::lock_guard lock(mu);
  EXPECT_EQ(states, (std::vector<bool>{false, true}));
}

TEST(RedisLimiterOutageTest, NothingListeningIsAnErrorNotAnAdmission) {
  RedisOptions o;
  o.endpoint = {"127.0.0.1", 1, 0};  // nothing listens on port 1
  RedisLimiter limiter(o);
  EXPECT_FALSE(limiter.AcquireRate("key_x", RateLimit{1, 60}));
  EXPECT_FALSE(limiter.ThrottleWait("00", 1, 60));
  EXPECT_FALSE(limiter.ThrottleRecord("00", 60));
}

}  // namespace
}  // namespace keyward::limits
