#include "keyward/limits/redis_limiter.h"

#include <algorithm>

namespace keyward::limits {
namespace {

// Microseconds keep Redis's TIME exact and stay below 2^53 (Lua numbers are
// doubles) for centuries; '%.0f' writes them without an exponent.
const RedisScript kRate(R"lua(
local cost = tonumber(ARGV[1])
local window = cost * tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nxt = tat + cost
if nxt - now > window then
  return {0, tat - now, nxt - window - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX',
           math.floor((nxt - now) / 1000) + 1000)
return {1, nxt - now, 0}
)lua");

// ARGV: seed count (-1: none), seed period, current period, refill amount (-1:
// none), ttl seconds. Returns {taken, remaining, period}.
const RedisScript kQuota(R"lua(
local v = redis.call('HMGET', KEYS[1], 'n', 'p')
local n, p
if v[1] then
  n = tonumber(v[1]); p = tonumber(v[2])
else
  if tonumber(ARGV[1]) < 0 then return {0, 0, tonumber(ARGV[3])} end
  n = tonumber(ARGV[1]); p = tonumber(ARGV[2])
end
local period = tonumber(ARGV[3])
local refill = tonumber(ARGV[4])
if refill >= 0 and p < period then n = refill; p = period end
local taken = 0
if n > 0 then n = n - 1; taken = 1 end
redis.call('HSET', KEYS[1], 'n', n, 'p', p)
redis.call('EXPIRE', KEYS[1], ARGV[5])
return {taken, n, p}
)lua");

// ARGV: max failures. Returns {milliseconds to wait, 0 when not blocked}.
const RedisScript kThrottleWait(R"lua(
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n < tonumber(ARGV[1]) then return {0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 1000 end
return {ttl}
)lua");

// ARGV: window milliseconds. The window opens at the first failure.
const RedisScript kThrottleRecord(R"lua(
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {n}
)lua");

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kQuotaTtlSeconds = 35 * 86400;

std::int64_t CeilSeconds(std::int64_t micros) {
  if (micros <= 0) return 0;
  return (micros + kMicrosPerSecond - 1) / kMicrosPerSecond;
}

}  // namespace

RedisLimiter::RedisLimiter(RedisOptions options, RedisPool::StateListener on_state,
                           RedisPool::ErrorListener on_error, std::string prefix)
    : pool_(std::move(options), std::move(on_state), std::move(on_error)),
      prefix_(std::move(prefix)) {}

std::optional<core::RateLimitStatus> RedisLimiter::AcquireRate(std::string_view counter,
                                                               const RateLimit& limit) {
  // The clamps of GcraCell: a hand-edited database cannot overflow the arithmetic.
  const std::int64_t n = std::clamp<std::int64_t>(limit.limit, 1, 1'000'000'000);
  const std::int64_t w = std::clamp<std::int64_t>(limit.window_seconds, 1, 1'000'000'000);
  const std::int64_t cost = std::max<std::int64_t>(1, w * kMicrosPerSecond / n);
  const std::string key = prefix_ + "rl:" + std::string(counter);
  const std::string cost_s = std::to_string(cost), n_s = std::to_string(n);
  const auto r = pool_.Eval(kRate, {key}, {cost_s, n_s});
  if (!r || r->size() != 3) return std::nullopt;
  const std::int64_t debt = std::max<long long>(0, (*r)[1]);
  core::RateLimitStatus s;
  s.limit = n;
  s.window_seconds = w;
  s.remaining = std::max<std::int64_t>(0, (cost * n - debt) / cost);
  s.reset_seconds = CeilSeconds(debt);
  if ((*r)[0] == 0) {
    s.limited = true;
    s.retry_after_seconds = std::max<std::int64_t>(1, CeilSeconds((*r)[2]));
  }
  return s;
}

std::optional<core::LimitBackend::QuotaTake> RedisLimiter::ConsumeQuota(
    std::string_view counter, std::int64_t epoch,
    std::optional<core::QuotaCell::Value> seed, const std::optional<QuotaRefill>& refill,
    std::int64_t period) {
  const std::string key =
      prefix_ + "q:" + std::string(counter) + ":" + std::to_string(epoch);
  const std::string seed_n =
      std::to_string(seed ? std::max<std::int64_t>(0, seed->remaining) : -1);
  const std::string seed_p = std::to_string(seed ? seed->period : 0);
  const std::string now_p = std::to_string(period);
  const std::string refill_n = std::to_string(
      refill ? std::clamp<std::int64_t>(refill->amount, 0, core::kMaxQuota) : -1);
  const std::string ttl = std::to_string(kQuotaTtlSeconds);
  const auto r = pool_.Eval(kQuota, {key}, {seed_n, seed_p, now_p, refill_n, ttl});
  if (!r || r->size() != 3) return std::nullopt;
  QuotaTake take;
  take.taken = (*r)[0] == 1;
  take.value.remaining = (*r)[1];  // never negative: the script stops at 0
  take.value.period = (*r)[2];
  return take;
}

std::optional<std::int64_t> RedisLimiter::ThrottleWait(std::string_view who,
                                                       int max_failures, std::int64_t) {
  const std::string key = prefix_ + "fa:" + std::string(who);
  const std::string max = std::to_string(std::max(1, max_failures));
  const auto r = pool_.Eval(kThrottleWait, {key}, {max});
  if (!r || r->size() != 1) return std::nullopt;
  const long long ms = (*r)[0];
  if (ms <= 0) return 0;
  return std::max<std::int64_t>(1, (ms + 999) / 1000);
}

bool RedisLimiter::ThrottleRecord(std::string_view who, std::int64_t window_seconds) {
  const std::string key = prefix_ + "fa:" + std::string(who);
  const std::string ms = std::to_string(std::max<std::int64_t>(1, window_seconds) * 1000);
  return pool_.Eval(kThrottleRecord, {key}, {ms}).has_value();
}

}  // namespace keyward::limits
