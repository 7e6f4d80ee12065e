// KeyRuntime: what the verification policies need about one key beyond its record —
// its rules in a form the hot path can use without parsing (CIDR lists, the
// effective rate limit) and its live counters (rate limiter, remaining uses).
//
// KeyRules are compiled once per published record and never change; a changed key
// gets new rules. KeyCounters outlive rule changes (a rename must not reset a rate
// limit), so successive KeyRuntimes of one key share them; see KeyRuntimeTable.
// Thread-safety: KeyRules and Tiers are immutable values; KeyCounters' cells are
// lock-free atomics, and quota_epoch is guarded by the owning table's shard lock.
#ifndef KEYWARD_CORE_KEY_RUNTIME_H_
#define KEYWARD_CORE_KEY_RUNTIME_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "keyward/core/cidr.h"
#include "keyward/core/gcra.h"
#include "keyward/core/last_use_cell.h"
#include "keyward/core/quota.h"
#include "keyward/core/records.h"

namespace keyward::core {

// The configured rate-limit tiers.
struct Tiers {
  std::map<std::string, RateLimit> by_name;
  std::string default_tier = "standard";

  // The key's own rate_limit; else its tier; else (a tier since removed from the
  // configuration) the default tier; else 60 per 60 s.
  RateLimit Resolve(const KeyRecord& key) const;
};

struct KeyRules {
  std::shared_ptr<const KeyRecord> source;  // the record these were compiled from
  CidrList ip_allow;
  CidrList ip_deny;
  // A stored list entry did not parse (the database was edited by hand): every
  // request is refused as FORBIDDEN_IP rather than guessing what was meant.
  bool ip_lists_corrupt = false;
  RateLimit rate_limit;  // effective limit, always positive
  bool has_quota = false;
  std::optional<QuotaRefill> refill;
  std::int64_t quota_epoch = 0;

  bool has_ip_lists() const {
    return ip_lists_corrupt || !ip_allow.empty() || !ip_deny.empty();
  }
  // The refill period `now` falls in; 0 for keys without refill.
  std::int64_t PeriodAt(UnixSeconds now) const {
    return refill ? RefillPeriod(refill->interval, now) : 0;
  }
};

KeyRules CompileRules(std::shared_ptr<const KeyRecord> record, const Tiers& tiers);

struct KeyCounters {
  GcraCell rate;
  QuotaCell quota;
  // The record quota_epoch `quota` was last reset from. Guarded by the table lock.
  std::int64_t quota_epoch = 0;
  // The value last written to the store (only the quota flusher reads or writes
  // these), so unchanged counters are not rewritten.
  std::atomic<std::uint64_t> flushed_remaining{0};
  std::atomic<std::int64_t> flushed_period{0};
  std::atomic<std::int64_t> flushed_epoch{-1};
};

struct KeyRuntime {
  KeyRules rules;
  std::shared_ptr<KeyCounters> counters;
  // The key's own, kept across its rule changes like the counters but never shared
  // with a rotation's successor (each key has its own last use).
  std::shared_ptr<LastUseCell> last_use;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_KEY_RUNTIME_H_
