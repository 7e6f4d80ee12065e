// Outcome: the closed set of verification results (contract section 4), never a bool.
//
// The names are the contract's stable codes ("VALID", "NOT_FOUND", ...) and the HTTP
// statuses follow the contract table. Pure functions, thread-safe.
#ifndef KEYWARD_CORE_OUTCOME_H_
#define KEYWARD_CORE_OUTCOME_H_

#include <array>
#include <cstddef>
#include <string_view>

namespace keyward::core {

// In the order the checks run; the first failing check decides.
enum class Outcome {
  kValid,
  kMalformed,
  kNotFound,
  kRevoked,
  kExpired,
  kDisabled,
  kOwnerDisabled,
  kForbiddenIp,
  kInsufficientScope,
  kRateLimited,
  kUsageExceeded,
};

inline constexpr std::size_t kOutcomeCount = 11;

// Every outcome, e.g. to pre-create one counter per code.
inline constexpr std::array<Outcome, kOutcomeCount> kAllOutcomes = {
    Outcome::kValid,         Outcome::kMalformed,     Outcome::kNotFound,
    Outcome::kRevoked,       Outcome::kExpired,       Outcome::kDisabled,
    Outcome::kOwnerDisabled, Outcome::kForbiddenIp,   Outcome::kInsufficientScope,
    Outcome::kRateLimited,   Outcome::kUsageExceeded,
};

// The contract code: "VALID", "MALFORMED", ..., "USAGE_EXCEEDED".
std::string_view OutcomeName(Outcome outcome);

// 200 for VALID; 401 up to OWNER_DISABLED; 403 for FORBIDDEN_IP and
// INSUFFICIENT_SCOPE; 429 for RATE_LIMITED and USAGE_EXCEEDED.
int OutcomeHttpStatus(Outcome outcome);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_OUTCOME_H_
