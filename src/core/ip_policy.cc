#include "keyward/core/ip_policy.h"

namespace keyward::core {

bool IpAdmitted(const KeyRules& rules, const IpAddress& ip) {
  if (rules.ip_lists_corrupt) return false;
  if (rules.ip_allow.Contains(ip)) return true;
  if (!rules.ip_allow.empty()) return false;
  return !rules.ip_deny.Contains(ip);
}

Outcome IpPolicy::Check(const VerifyInput& input, const KeyRecord&, UnixSeconds,
                        Decision& decision) const {
  if (!decision.runtime) decision.runtime = table_.Acquire(decision.key);
  const KeyRules& rules = decision.runtime->rules;
  if (!rules.has_ip_lists()) return Outcome::kValid;
  const auto ip = IpAddress::Parse(input.client_ip);
  if (!ip || !IpAdmitted(rules, *ip)) return Outcome::kForbiddenIp;
  return Outcome::kValid;
}

}  // namespace keyward::core
