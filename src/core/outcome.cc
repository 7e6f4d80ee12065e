#include "keyward/core/outcome.h"

namespace keyward::core {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kValid:
      return "VALID";
    case Outcome::kMalformed:
      return "MALFORMED";
    case Outcome::kNotFound:
      return "NOT_FOUND";
    case Outcome::kRevoked:
      return "REVOKED";
    case Outcome::kExpired:
      return "EXPIRED";
    case Outcome::kDisabled:
      return "DISABLED";
    case Outcome::kOwnerDisabled:
      return "OWNER_DISABLED";
    case Outcome::kForbiddenIp:
      return "FORBIDDEN_IP";
    case Outcome::kInsufficientScope:
      return "INSUFFICIENT_SCOPE";
    case Outcome::kRateLimited:
      return "RATE_LIMITED";
    case Outcome::kUsageExceeded:
      return "USAGE_EXCEEDED";
  }
  return "UNKNOWN";  // unreachable for valid enum values
}

int OutcomeHttpStatus(Outcome outcome) {
  switch (outcome) {
    case Outcome::kValid:
      return 200;
    case Outcome::kMalformed:
    case Outcome::kNotFound:
    case Outcome::kRevoked:
    case Outcome::kExpired:
    case Outcome::kDisabled:
    case Outcome::kOwnerDisabled:
      return 401;
    case Outcome::kForbiddenIp:
    case Outcome::kInsufficientScope:
      return 403;
    case Outcome::kRateLimited:
    case Outcome::kUsageExceeded:
      return 429;
  }
  return 500;  // unreachable for valid enum values
}

}  // namespace keyward::core
