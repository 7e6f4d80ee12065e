// The domain rules of a key's settable members: what makes a name, a scope list, an
// IP list, a tier or an expiry acceptable. Shared by every way in — request bodies
// (through the field table in key_schema.h) and the CLI, which fills KeyFields
// directly — so both refuse exactly the same things with the same messages.
// Pure functions; thread-safe.
#ifndef KEYWARD_SERVICE_KEY_RULES_H_
#define KEYWARD_SERVICE_KEY_RULES_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "keyward/core/records.h"
#include "keyward/core/result.h"

namespace keyward::service {

inline constexpr std::size_t kMaxListEntries = 100;  // scopes, IP lists, tags
inline constexpr std::size_t kMaxTagChars = 64;
inline constexpr std::size_t kMaxMetadataBytes = 4096;

// Shared text rules: min–max characters, no control characters (C0, DEL, C1).
// Returns an error message, or nullopt when `text` is acceptable.
std::optional<std::string> CheckText(const std::string& text, std::size_t min_chars,
                                     std::size_t max_chars);

// "must be an integer from 0 to <kMaxQuota>": remaining_uses and refill.amount.
const std::string& QuotaCountMessage();
bool IsQuotaCount(std::int64_t n);

// The expiry `seconds` from `now` (what expires_in means), or nullopt when `seconds`
// is not positive or further than a hundred years away.
std::optional<UnixSeconds> ExpiryAfter(std::optional<std::int64_t> seconds,
                                       UnixSeconds now);
// ExpiryAfter a duration such as "90d", "12h" or "3600"; kValidation on
// "expires_in" otherwise.
Result<UnixSeconds> ExpiryIn(const std::string& duration, UnixSeconds now);
inline constexpr const char* kExpiresInMessage =
    "must be a positive duration such as \"90d\", \"12h\" or seconds";

// "must name a configured tier (high, standard)".
std::string TierMessage(const std::map<std::string, RateLimit>& tiers);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_KEY_RULES_H_
