#include "keyward/core/quota.h"

#include <algorithm>

#include "keyward/core/time_util.h"

namespace keyward::core {
namespace {

constexpr int kCountBits = 40;
constexpr std::uint64_t kCountMask = (std::uint64_t{1} << kCountBits) - 1;
constexpr std::int64_t kMaxPeriod = (std::int64_t{1} << (64 - kCountBits)) - 1;
constexpr std::int64_t kSecondsPerDay = 86400;

std::uint64_t Pack(std::int64_t period, std::int64_t remaining) {
  const auto p =
      static_cast<std::uint64_t>(std::clamp<std::int64_t>(period, 0, kMaxPeriod));
  const auto r =
      static_cast<std::uint64_t>(std::clamp<std::int64_t>(remaining, 0, kMaxQuota));
  return (p << kCountBits) | r;
}

std::int64_t PeriodOf(std::uint64_t word) {
  return static_cast<std::int64_t>(word >> kCountBits);
}
std::int64_t CountOf(std::uint64_t word) {
  return static_cast<std::int64_t>(word & kCountMask);
}

// The count at `period`, with a due refill applied.
std::int64_t Effective(std::uint64_t word, const std::optional<QuotaRefill>& refill,
                       std::int64_t period) {
  if (refill && PeriodOf(word) < period)
    return std::clamp<std::int64_t>(refill->amount, 0, kMaxQuota);
  return CountOf(word);
}

}  // namespace

std::int64_t RefillPeriod(RefillInterval interval, UnixSeconds t) {
  const std::int64_t days = std::max<UnixSeconds>(t, 0) / kSecondsPerDay;
  if (interval == RefillInterval::kDaily) return days;
  const CivilDate date = CivilFromDays(days);
  return (date.year - 1970) * 12 + static_cast<std::int64_t>(date.month) - 1;
}

UnixSeconds RefillPeriodStart(RefillInterval interval, std::int64_t period) {
  if (interval == RefillInterval::kDaily) return period * kSecondsPerDay;
  const std::int64_t year = 1970 + period / 12;
  const auto month = static_cast<unsigned>(period % 12 + 1);
  return DaysFromCivil(year, month, 1) * kSecondsPerDay;
}

void QuotaCell::Reset(Value value) {
  word_.store(Pack(value.period, value.remaining), std::memory_order_relaxed);
}

QuotaCell::Value QuotaCell::Load() const {
  const std::uint64_t w = word_.load(std::memory_order_relaxed);
  return Value{CountOf(w), PeriodOf(w)};
}

void QuotaCell::Observe(Value value) {
  const std::uint64_t next = Pack(value.period, value.remaining);
  std::uint64_t w = word_.load(std::memory_order_relaxed);
  while (PeriodOf(next) > PeriodOf(w) ||
         (PeriodOf(next) == PeriodOf(w) && CountOf(next) < CountOf(w))) {
    if (word_.compare_exchange_weak(w, next, std::memory_order_relaxed)) return;
  }
}

std::optional<std::int64_t> QuotaCell::Consume(const std::optional<QuotaRefill>& refill,
                                               std::int64_t period) {
  std::uint64_t w = word_.load(std::memory_order_relaxed);
  for (;;) {
    const bool refilled = refill && PeriodOf(w) < period;
    const std::int64_t count = Effective(w, refill, period);
    const std::int64_t stored_period = refilled ? period : PeriodOf(w);
    if (count == 0) {
      // Record a refill to zero anyway, so it is not redone on every request.
      if (refilled) word_.compare_exchange_strong(w, Pack(stored_period, 0));
      return std::nullopt;
    }
    if (word_.compare_exchange_weak(w, Pack(stored_period, count - 1),
                                    std::memory_order_relaxed)) {
      return count - 1;
    }
  }
}

std::int64_t QuotaCell::Peek(const std::optional<QuotaRefill>& refill,
                             std::int64_t period) const {
  return Effective(word_.load(std::memory_order_relaxed), refill, period);
}

}  // namespace keyward::core
