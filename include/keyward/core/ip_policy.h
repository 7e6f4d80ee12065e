// IpPolicy: the before-scope check of a key's IP allow and deny lists
// (FORBIDDEN_IP, contract section 4).
//
// An address on the allow list is admitted even if it is also denied; a non-empty
// allow list admits nothing else; a denied address is refused. A client IP that
// does not parse is refused by any key that has lists (fail closed). The lists come
// pre-parsed from the key's KeyRuntime, so nothing is parsed per request except the
// client address, and only for keys that have lists. Thread-safe.
#ifndef KEYWARD_CORE_IP_POLICY_H_
#define KEYWARD_CORE_IP_POLICY_H_

#include "keyward/core/key_runtime.h"
#include "keyward/core/key_runtime_table.h"
#include "keyward/core/verifier.h"

namespace keyward::core {

// The pure decision: true when `ip` may use a key with these rules.
bool IpAdmitted(const KeyRules& rules, const IpAddress& ip);

class IpPolicy final : public PolicyCheck {
 public:
  explicit IpPolicy(KeyRuntimeTable& table) : table_(table) {}
  Outcome Check(const VerifyInput& input, const KeyRecord& key, UnixSeconds now,
                Decision& decision) const override;

 private:
  KeyRuntimeTable& table_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_IP_POLICY_H_
