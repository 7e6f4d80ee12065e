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
  // One predictable branch: the local path is what it always was.
  if (shared_ != nullptr) return CheckShared(*decision.runtime, now, decision);
  return CheckLocal(*decision.runtime, now, decision);
}

Outcome UsagePolicy::CheckLocal(const KeyRuntime& runtime, UnixSeconds now,
                                Decision& decision) const {
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

Outcome UsagePolicy::CheckShared(const KeyRuntime& runtime, UnixSeconds now,
                                 Decision& decision) const {
  const KeyRecord& record = *runtime.rules.source;
  // A rotated key's grace period draws on its successor's budget, as
  // KeyRuntimeTable::ShareCounters arranges for the local cells.
  const std::string_view counter =
      record.rotated_to ? std::string_view(*record.rotated_to) : record.id;
  const auto rate = shared_->AcquireRate(counter, runtime.rules.rate_limit);
  if (!rate) {
    return mode_ == BackendErrorMode::kDeny ? Deny(runtime, decision)
                                            : CheckLocal(runtime, now, decision);
  }
  decision.ratelimit = *rate;
  KeyCounters& counters = *runtime.counters;
  if (rate->limited) {
    if (runtime.rules.has_quota) {
      const std::int64_t left =
          counters.quota.Peek(runtime.rules.refill, runtime.rules.PeriodAt(now));
      decision.quota = MakeQuotaStatus(runtime.rules, left, now);
    }
    return Outcome::kRateLimited;
  }
  if (!runtime.rules.has_quota) return Outcome::kValid;
  const std::int64_t period = runtime.rules.PeriodAt(now);
  // The local copy may seed the shared count only when it is the successor's own
  // (the rotation happened here); a predecessor compiled afresh holds 0, which must
  // not become its successor's count.
  std::optional<QuotaCell::Value> seed = counters.quota.Load();
  if (record.rotated_to) {
    const auto successor = table_.Find(*record.rotated_to);
    if (!successor || successor->counters != runtime.counters) seed.reset();
  }
  const auto take = shared_->ConsumeQuota(counter, runtime.rules.quota_epoch, seed,
                                          runtime.rules.refill, period);
  if (!take) {
    if (mode_ == BackendErrorMode::kDeny) return Deny(runtime, decision);
    const auto left = counters.quota.Consume(runtime.rules.refill, period);
    decision.quota = MakeQuotaStatus(runtime.rules, left.value_or(0), now);
    return left ? Outcome::kValid : Outcome::kUsageExceeded;
  }
  counters.quota.Observe(take->value);
  decision.quota = MakeQuotaStatus(runtime.rules, take->value.remaining, now);
  return take->taken ? Outcome::kValid : Outcome::kUsageExceeded;
}

Outcome UsagePolicy::Deny(const KeyRuntime& runtime, Decision& decision) const {
  RateLimitStatus s;
  s.limit = runtime.rules.rate_limit.limit;
  s.window_seconds = runtime.rules.rate_limit.window_seconds;
  s.remaining = 0;
  s.reset_seconds = 1;
  s.limited = true;
  s.retry_after_seconds = 1;
  decision.ratelimit = s;
  return Outcome::kRateLimited;
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
