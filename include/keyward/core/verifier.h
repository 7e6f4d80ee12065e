// Verifier: turns a presented key, the scopes a request needs and the client IP
// into a Decision (contract section 4), using only in-memory state.
//
// Checks run in the contract's order and the first failure decides:
//   MALFORMED -> NOT_FOUND -> REVOKED -> EXPIRED -> DISABLED -> OWNER_DISABLED
//   -> [before-scope policies: FORBIDDEN_IP] -> INSUFFICIENT_SCOPE
//   -> [after-scope policies: RATE_LIMITED, USAGE_EXCEEDED] -> VALID
// Policies are the extension point for checks that need their own state; core/
// ships IpPolicy and UsagePolicy (rate limit, quota), bundled by KeyPolicies.
// Once a key is well-formed, exactly one keyed hash and one constant-time compare are
// done whether or not its display prefix exists, so timing does not reveal which
// prefixes exist.
// Thread-safe: Verify() is const and may run on many threads at once, provided the
// policies it was given are thread-safe too.
#ifndef KEYWARD_CORE_VERIFIER_H_
#define KEYWARD_CORE_VERIFIER_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/core/clock.h"
#include "keyward/core/gcra.h"
#include "keyward/core/hasher.h"
#include "keyward/core/key_format.h"
#include "keyward/core/key_index.h"
#include "keyward/core/outcome.h"
#include "keyward/core/principal_directory.h"
#include "keyward/core/quota.h"
#include "keyward/core/records.h"

namespace keyward::core {

struct KeyRuntime;  // key_runtime.h

struct VerifyInput {
  std::string_view key;  // as presented; never copied by the verifier
  std::span<const std::string> required_scopes;
  std::string_view client_ip;  // already resolved through trusted proxies
};

struct Decision {
  Outcome outcome = Outcome::kMalformed;
  // The key record when its display prefix and hash matched (every outcome but
  // MALFORMED and NOT_FOUND); null otherwise.
  std::shared_ptr<const KeyRecord> key;
  // The owning user of a user key once the owner check ran; null for org keys.
  std::shared_ptr<const UserRecord> owner;
  // Set once the owner check passed: the key's scopes its owner still holds,
  // narrowed to "*:read"-style grants for read-only keys.
  std::vector<std::string> effective_scopes;
  std::string missing_scope;  // set for INSUFFICIENT_SCOPE: the first one not granted
  // Set by the policies that ran (or by UsagePolicy::Report for a found key they did
  // not reach): the key's policy state, its rate limit and its live quota.
  std::shared_ptr<const KeyRuntime> runtime;
  std::optional<RateLimitStatus> ratelimit;
  std::optional<QuotaStatus> quota;  // only for keys with remaining_uses
};

// One extra check on a key that has passed the owner check. Implementations must be
// thread-safe; they may record state in the decision (e.g. rate-limit counters).
class PolicyCheck {
 public:
  virtual ~PolicyCheck() = default;
  // Returns Outcome::kValid to let verification continue, or the failing outcome.
  virtual Outcome Check(const VerifyInput& input, const KeyRecord& key, UnixSeconds now,
                        Decision& decision) const = 0;
};

struct VerifierPolicies {
  std::vector<const PolicyCheck*> before_scope;  // e.g. IP allow/deny (FORBIDDEN_IP)
  std::vector<const PolicyCheck*> after_scope;   // e.g. rate limit, remaining uses
};

class Verifier {
 public:
  // All references must outlive the verifier; policies are not owned.
  Verifier(const KeyFormat& format, const Hasher& hasher, const KeyIndex& index,
           const PrincipalDirectory& directory, const Clock& clock,
           VerifierPolicies policies = {});

  Decision Verify(const VerifyInput& input) const;

 private:
  bool OwnerActive(const KeyRecord& key, Decision& decision) const;
  bool OrgActive(std::string_view org_id) const;

  const KeyFormat& format_;
  const Hasher& hasher_;
  const KeyIndex& index_;
  const PrincipalDirectory& directory_;
  const Clock& clock_;
  VerifierPolicies policies_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_VERIFIER_H_
