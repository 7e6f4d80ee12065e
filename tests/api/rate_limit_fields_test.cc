#include "keyward/api/rate_limit_fields.h"

#include <gtest/gtest.h>

namespace keyward::api {
namespace {

std::string Get(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (http::HeaderNameEquals(k, name)) return std::string(v);
  }
  return "";
}

TEST(RateLimitFieldsTest, DraftElevenSyntax) {
  core::RateLimitStatus s;
  s.limit = 60;
  s.window_seconds = 60;
  s.remaining = 59;
  s.reset_seconds = 41;
  http::Response resp;
  SetRateLimitFields(s, resp);
  EXPECT_EQ(Get(resp, "RateLimit-Policy"), "\"default\";q=60;w=60");
  EXPECT_EQ(Get(resp, "RateLimit"), "\"default\";r=59;t=41");
  EXPECT_EQ(RateLimitJson(s),
            nlohmann::json({{"limit", 60}, {"remaining", 59}, {"reset_seconds", 41}}));
}

TEST(RateLimitFieldsTest, RetryAfterByOutcome) {
  struct Case {
    core::Outcome outcome;
    std::int64_t limiter_retry;          // in ratelimit, when set
    std::optional<std::int64_t> refill;  // quota refill_in_seconds
    std::int64_t expected;
  };
  const Case cases[] = {
      {core::Outcome::kRateLimited, 20, std::nullopt, 20},
      {core::Outcome::kRateLimited, 0, std::nullopt, 1},  // never 0 on a 429
      {core::Outcome::kUsageExceeded, 0, 3600, 3600},
      {core::Outcome::kUsageExceeded, 0, std::nullopt, kSpentQuotaRetryAfterSeconds},
      {core::Outcome::kValid, 20, std::nullopt, 0},
      {core::Outcome::kForbiddenIp, 0, std::nullopt, 0},
  };
  for (const auto& c : cases) {
    core::Decision d;
    d.outcome = c.outcome;
    d.ratelimit = core::RateLimitStatus{};
    d.ratelimit->retry_after_seconds = c.limiter_retry;
    d.quota = core::QuotaStatus{0, c.refill};
    EXPECT_EQ(RetryAfterSeconds(d), c.expected) << core::OutcomeName(c.outcome);
  }
}

}  // namespace
}  // namespace keyward::api
