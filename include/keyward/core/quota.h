// QuotaCell: one key's live remaining_uses, with optional periodic refill.
//
// The count and the refill period it belongs to are packed into one 64-bit word
// (period in the top 24 bits, count in the low 40), so "refill if a new UTC day or
// month began, then take one use" is a single compare-exchange: concurrent
// verifications of one key never take more uses than there are and never see a
// half-done refill. Counts are therefore capped at kMaxQuota (about 1.1 * 10^12).
//
// Periods: day number since 1970-01-01 (daily) or months since January 1970
// (monthly), both UTC. Thread-safe and lock-free.
#ifndef KEYWARD_CORE_QUOTA_H_
#define KEYWARD_CORE_QUOTA_H_

#include <atomic>
#include <cstdint>
#include <optional>

#include "keyward/core/records.h"

namespace keyward::core {

inline constexpr std::int64_t kMaxQuota = (std::int64_t{1} << 40) - 1;

// The refill period containing `t` (clamped to 1970 and later).
std::int64_t RefillPeriod(RefillInterval interval, UnixSeconds t);
// The first second of `period`.
UnixSeconds RefillPeriodStart(RefillInterval interval, std::int64_t period);

// What a client is told about a key's quota.
struct QuotaStatus {
  std::int64_t remaining = 0;                     // after this verification
  std::optional<std::int64_t> refill_in_seconds;  // set when the key refills
};

class QuotaCell {
 public:
  struct Value {
    std::int64_t remaining = 0;
    std::int64_t period = 0;  // refill period of `remaining`; 0 without refill
    bool operator==(const Value&) const = default;
  };

  QuotaCell() = default;
  QuotaCell(const QuotaCell&) = delete;
  QuotaCell& operator=(const QuotaCell&) = delete;

  // Replaces the value (an admin set the quota, or it was loaded from the store).
  // Remaining is clamped to 0..kMaxQuota.
  void Reset(Value value);
  Value Load() const;
  // Takes in a count decided elsewhere (the shared backend, limits.backend): keeps
  // the lower count of one refill period, or the newer period's, so concurrent
  // answers arriving out of order never raise the copy the quota flusher persists.
  void Observe(Value value);

  // Takes one use at `period` (the current refill period; pass 0 without refill).
  // With `refill`, a value from an earlier period first becomes refill->amount.
  // Returns the remaining count after taking the use, or nullopt when none was left.
  std::optional<std::int64_t> Consume(const std::optional<QuotaRefill>& refill,
                                      std::int64_t period);

  // The count Consume would start from at `period`, consuming nothing.
  std::int64_t Peek(const std::optional<QuotaRefill>& refill, std::int64_t period) const;

 private:
  std::atomic<std::uint64_t> word_{0};
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_QUOTA_H_
