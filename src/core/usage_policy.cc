#include "keyward/core/usage_policy.h"

namespace keyward::core {
namespace {

QuotaStatus MakeQuotaStatus(const KeyRules& rules, std::int64_t remaining,
                            UnixSeconds now) {
  QuotaStatus q;
  q.remaining = remaining;
  if (rules.refill) {
    const std::int64_t period = RefillPeriod(rules.refill->interval, now);
    q.refill_in_seconds = RefillPeriodStart(rules.refill->interval, period + 1) - now;
  }
  return q;
}

}  // namespace

Outcome UsagePolicy::Check(const VerifyInput&, const KeyRecord&, UnixSeconds now,
                           Decision& decision) const {
  if (!decision.runtime) decision.runtime = table_.Acquire(decision.key);
  const KeyRuntime& runtime = *decision.runtime;
  KeyCounters& counters = *runtime.counters;
  decision.ratelimit = counters.rate.Acquire(runtime.rules.rate_limit, mono_.NowNanos());
  if (decision.ratelimit->limited) {
    if (runtime.rules.has_quota) {
      const std::int64_t left =
          counters.quota.Peek(runtime.rules.refill, runtime.rules.PeriodAt(now));
      decision.quota = MakeQuotaStatus(runtime.rules, left, now);
    }
    return Outcome::kRateLimited;
  }
  if (!runtime.rules.has_quota) return Outcome::kValid;
  const auto left =
      counters.quota.Consume(runtime.rules.refill, runtime.rules.PeriodAt(now));
  decision.quota = MakeQuotaStatus(runtime.rules, left.value_or(0), now);
  return left ? Outcome::kValid : Outcome::kUsageExceeded;
}

void UsagePolicy::Report(Decision& decision) const {
  if (!decision.key || decision.ratelimit) return;
  if (!decision.runtime) decision.runtime = table_.Acquire(decision.key);
  const KeyRuntime& runtime = *decision.runtime;
  decision.ratelimit =
      runtime.counters->rate.Peek(runtime.rules.rate_limit, mono_.NowNanos());
  if (runtime.rules.has_quota && !decision.quota) {
    const UnixSeconds now = clock_.Now();
    const std::int64_t left =
        runtime.counters->quota.Peek(runtime.rules.refill, runtime.rules.PeriodAt(now));
    decision.quota = MakeQuotaStatus(runtime.rules, left, now);
  }
}

std::optional<std::int64_t> UsagePolicy::LiveRemaining(const KeyRecord& key) const {
  if (!key.remaining_uses) return std::nullopt;
  const auto runtime = table_.Find(key.id);
  if (!runtime || !runtime->rules.has_quota ||
      runtime->rules.quota_epoch != key.quota_epoch) {
    return key.remaining_uses;
  }
  return runtime->counters->quota.Peek(runtime->rules.refill,
                                       runtime->rules.PeriodAt(clock_.Now()));
}

}  // namespace keyward::core
