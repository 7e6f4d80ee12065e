#include "keyward/core/key_runtime.h"

#include <utility>

namespace keyward::core {

RateLimit Tiers::Resolve(const KeyRecord& key) const {
  if (key.rate_limit && key.rate_limit->limit > 0 && key.rate_limit->window_seconds > 0) {
    return *key.rate_limit;
  }
  if (auto it = by_name.find(key.tier); it != by_name.end()) return it->second;
  if (auto it = by_name.find(default_tier); it != by_name.end()) return it->second;
  return RateLimit{60, 60};
}

KeyRules CompileRules(std::shared_ptr<const KeyRecord> record, const Tiers& tiers) {
  KeyRules rules;
  const KeyRecord& key = *record;
  auto allow = CidrList::Parse(key.ip_allow);
  auto deny = CidrList::Parse(key.ip_deny);
  if (allow && deny) {
    rules.ip_allow = std::move(*allow);
    rules.ip_deny = std::move(*deny);
  } else {
    rules.ip_lists_corrupt = true;
  }
  rules.rate_limit = tiers.Resolve(key);
  rules.has_quota = key.remaining_uses.has_value();
  rules.refill = key.refill;
  rules.quota_epoch = key.quota_epoch;
  rules.source = std::move(record);
  return rules;
}

}  // namespace keyward::core
