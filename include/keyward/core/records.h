// Plain records for the three stored entities: organizations, users and keys.
//
// These are values shared by core/ (verification), store/ (SQLite) and api/ (JSON).
// A KeyRecord held by the in-memory index is immutable once published
// (std::shared_ptr<const KeyRecord>); an update publishes a new record.
// All times are Unix seconds (UTC).
#ifndef KEYWARD_CORE_RECORDS_H_
#define KEYWARD_CORE_RECORDS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyward {

using UnixSeconds = std::int64_t;
using Digest = std::array<std::uint8_t, 32>;  // keyed BLAKE2b-256

enum class Role { kPlatformAdmin, kOrgAdmin, kMember };
enum class KeyKind { kUser, kOrg };

// The names roles and kinds have in JSON and in the database: one table for both.
constexpr std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPlatformAdmin:
      return "platform_admin";
    case Role::kOrgAdmin:
      return "org_admin";
    case Role::kMember:
      return "member";
  }
  return "member";
}
constexpr std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kPlatformAdmin, Role::kOrgAdmin, Role::kMember}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}
constexpr std::string_view KindName(KeyKind kind) {
  return kind == KeyKind::kOrg ? "org" : "user";
}

struct RateLimit {
  std::int64_t limit = 0;           // requests per window
  std::int64_t window_seconds = 0;  // window length
  bool operator==(const RateLimit&) const = default;
};

// How a key's remaining_uses comes back: set to `amount` at every UTC day or
// calendar-month boundary.
enum class RefillInterval { kDaily, kMonthly };

struct QuotaRefill {
  std::int64_t amount = 0;
  RefillInterval interval = RefillInterval::kDaily;
  bool operator==(const QuotaRefill&) const = default;
};

struct OrgRecord {
  std::string id;  // "org_..."
  std::string name;
  bool enabled = true;
  bool api_keys_enabled = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  bool deleted = false;
};

struct UserRecord {
  std::string id;  // "usr_..."
  std::string username;
  std::string org_id;
  Role role = Role::kMember;
  std::vector<std::string> permissions;  // scope patterns the user may hold
  bool enabled = true;
  bool api_keys_enabled = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  bool deleted = false;
};

struct KeyRecord {
  std::string id;              // "key_..."
  std::string display_prefix;  // e.g. "kw_AbCdEfGhI", unique
  Digest hash{};               // keyed BLAKE2b-256 of the whole key string
  std::string name;
  std::string description;
  KeyKind kind = KeyKind::kUser;
  std::optional<std::string> owner_user_id;  // null for org keys
  std::string org_id;
  std::vector<std::string> scopes;
  bool read_only = false;
  bool enabled = true;
  std::optional<UnixSeconds> expires_at;
  std::vector<std::string> ip_allow;
  std::vector<std::string> ip_deny;
  std::optional<RateLimit> rate_limit;  // explicit per-key limit, wins over tier
  std::string tier = "standard";
  // The quota as last persisted; the live count is kept in memory by the verifier's
  // policies and written back in batches (see core/key_runtime.h).
  std::optional<std::int64_t> remaining_uses;
  std::optional<QuotaRefill> refill;
  // Bumped whenever an admin sets the quota (remaining_uses or refill), so a stale
  // in-memory or in-flight count is never mistaken for the new one.
  std::int64_t quota_epoch = 0;
  // When the count in remaining_uses was last set or refilled; with `refill`, the
  // interval containing this time is the one already refilled.
  std::optional<UnixSeconds> quota_refilled_at;
  std::vector<std::string> tags;
  std::string metadata_json = "{}";  // a JSON object, stored verbatim
  UnixSeconds created_at = 0;
  std::string created_by;  // "usr_..."
  UnixSeconds updated_at = 0;
  std::optional<UnixSeconds> last_used_at;
  std::optional<std::string> last_used_ip;
  std::optional<UnixSeconds> revoked_at;
  std::optional<std::string> rotated_to;

  bool operator==(const KeyRecord&) const = default;
};

}  // namespace keyward

#endif  // KEYWARD_CORE_RECORDS_H_
