#include "keyward/api/rate_limit_fields.h"

#include <algorithm>
#include <string>

namespace keyward::api {

void SetRateLimitFields(const core::RateLimitStatus& s, http::Response& resp) {
  resp.Set("RateLimit-Policy", "\"default\";q=" + std::to_string(s.limit) +
                                   ";w=" + std::to_string(s.window_seconds));
  resp.Set("RateLimit", "\"default\";r=" + std::to_string(s.remaining) +
                            ";t=" + std::to_string(s.reset_seconds));
}

nlohmann::json RateLimitJson(const core::RateLimitStatus& s) {
  return {
      {"limit", s.limit}, {"remaining", s.remaining}, {"reset_seconds", s.reset_seconds}};
}

std::int64_t RetryAfterSeconds(const core::Decision& d) {
  if (d.outcome == core::Outcome::kRateLimited) {
    return d.ratelimit ? std::max<std::int64_t>(1, d.ratelimit->retry_after_seconds) : 1;
  }
  if (d.outcome == core::Outcome::kUsageExceeded) {
    if (d.quota && d.quota->refill_in_seconds) {
      return std::max<std::int64_t>(1, *d.quota->refill_in_seconds);
    }
    return kSpentQuotaRetryAfterSeconds;
  }
  return 0;
}

}  // namespace keyward::api
