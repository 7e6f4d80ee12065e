#include "keyward/api/rate_limit_fields.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <string>
#include <string_view>

namespace keyward::api {
namespace {

// `"default";<a>=<x>;<b>=<y>` into `buf`, with no allocation: every answer about
// a key carries two of these.
std::string_view Field(std::span<char, 64> buf, char a, std::int64_t x, char b,
                       std::int64_t y) {
  constexpr std::string_view kName = "\"default\";";
  char* p = std::copy(kName.begin(), kName.end(), buf.data());
  char* const end = buf.data() + buf.size();
  *p++ = a;
  *p++ = '=';
  p = std::to_chars(p, end, x).ptr;  // 20 characters at most, sign included
  *p++ = ';';
  *p++ = b;
  *p++ = '=';
  p = std::to_chars(p, end, y).ptr;
  return {buf.data(), static_cast<std::size_t>(p - buf.data())};
}

}  // namespace

void SetRateLimitFields(const core::RateLimitStatus& s, http::Response& resp) {
  std::array<char, 64> buf;  // 10 + 2 * (3 + 20) at most
  resp.Set("RateLimit-Policy", Field(buf, 'q', s.limit, 'w', s.window_seconds));
  resp.Set("RateLimit", Field(buf, 'r', s.remaining, 't', s.reset_seconds));
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
