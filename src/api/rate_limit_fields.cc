#include "keyward/api/rate_limit_fields.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

namespace keyward::api {
namespace {

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

// `"default";<a>=<x>;<b>=<y>` in one allocation: every answer about a key carries
// two of these, and concatenating std::to_string temporaries cost several each.
std::string Field(char a, std::int64_t x, char b, std::int64_t y) {
  std::string out;
  out.reserve(56);  // the longest: 10 + 2 * (3 + 20 for a number and its sign)
  out += "\"default\";";
  out += a;
  out += '=';
  AppendInt(out, x);
  out += ';';
  out += b;
  out += '=';
  AppendInt(out, y);
  return out;
}

}  // namespace

void SetRateLimitFields(const core::RateLimitStatus& s, http::Response& resp) {
  resp.Set("RateLimit-Policy", Field('q', s.limit, 'w', s.window_seconds));
  resp.Set("RateLimit", Field('r', s.remaining, 't', s.reset_seconds));
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
