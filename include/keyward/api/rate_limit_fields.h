// How a key's rate-limit and quota state is shown to clients: the IETF RateLimit
// header fields (draft-ietf-httpapi-ratelimit-headers-11 syntax), the "ratelimit"
// member of /v1/verify, and Retry-After for 429 outcomes. Pure functions;
// thread-safe.
#ifndef KEYWARD_API_RATE_LIMIT_FIELDS_H_
#define KEYWARD_API_RATE_LIMIT_FIELDS_H_

#include <cstdint>

#include <nlohmann/json.hpp>

#include "keyward/core/verifier.h"
#include "keyward/http/message.h"

namespace keyward::api {

// Without a refill, a spent quota never comes back by itself; clients are told to
// wait a day (an admin may raise it sooner).
inline constexpr std::int64_t kSpentQuotaRetryAfterSeconds = 86400;

// RateLimit-Policy: "default";q=60;w=60 and RateLimit: "default";r=59;t=41
void SetRateLimitFields(const core::RateLimitStatus& status, http::Response& resp);

// {"limit": 60, "remaining": 59, "reset_seconds": 41}
nlohmann::json RateLimitJson(const core::RateLimitStatus& status);

// Seconds a client should wait after a RATE_LIMITED or USAGE_EXCEEDED decision
// (>= 1); 0 for any other outcome.
std::int64_t RetryAfterSeconds(const core::Decision& decision);

}  // namespace keyward::api

#endif  // KEYWARD_API_RATE_LIMIT_FIELDS_H_
