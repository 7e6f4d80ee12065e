// RedisLimiter: core::LimitBackend on one Redis (limits.backend = redis://...).
//
// Each decision is one Lua script, run atomically by Redis, so N replicas together
// admit no more than a limit and a quota never goes below zero:
//   rate     KEYS kw:rl:<counter>          GCRA on Redis's own clock (TIME), so
//            replicas' clocks do not matter; the same arithmetic as GcraCell.
//   quota    KEYS kw:q:<counter>:<epoch>   hash {n: remaining, p: refill period},
//            created from the caller's seed only when absent; refills like QuotaCell.
//   throttle KEYS kw:fa:<block>            failure count, expiring with the window.
// Key names hold key ids and address blocks only, never key material. Every key
// expires (a rate cell when its debt is paid, a quota 35 days after its last use,
// a throttle with its window), so Redis needs no persistence: a lost quota is
// re-seeded from the store's copy (see docs/scale-out.md for what that allows).
// Thread-safe (RedisPool).
#ifndef KEYWARD_LIMITS_REDIS_LIMITER_H_
#define KEYWARD_LIMITS_REDIS_LIMITER_H_

#include <string>

#include "keyward/core/limit_backend.h"
#include "keyward/limits/redis_pool.h"

namespace keyward::limits {

class RedisLimiter final : public core::LimitBackend {
 public:
  // `prefix` starts every key name ("kw:"); tests give each case its own.
  explicit RedisLimiter(RedisOptions options, RedisPool::StateListener on_state = {},
                        RedisPool::ErrorListener on_error = {},
                        std::string prefix = "kw:");

  std::optional<core::RateLimitStatus> AcquireRate(std::string_view counter,
                                                   const RateLimit& limit) override;
  std::optional<QuotaTake> ConsumeQuota(std::string_view counter, std::int64_t epoch,
                                        std::optional<core::QuotaCell::Value> seed,
                                        const std::optional<QuotaRefill>& refill,
                                        std::int64_t period) override;
  std::optional<std::int64_t> ThrottleWait(std::string_view who, int max_failures,
                                           std::int64_t window_seconds) override;
  bool ThrottleRecord(std::string_view who, std::int64_t window_seconds) override;

  RedisPool& pool() { return pool_; }

 private:
  RedisPool pool_;
  const std::string prefix_;
};

}  // namespace keyward::limits

#endif  // KEYWARD_LIMITS_REDIS_LIMITER_H_
