// KeyFields: the settable members of a key, as a create or patch request names them.
// Each member here has an entry in the key field table (key_schema.h), which reads,
// validates, applies and names it.
//
// A member that is absent stays unchanged; for nullable members the inner optional
// distinguishes "set to null" from "set to a value". Plain value; thread-compatible.
#ifndef KEYWARD_SERVICE_KEY_FIELDS_H_
#define KEYWARD_SERVICE_KEY_FIELDS_H_

#include <optional>
#include <string>
#include <vector>

#include "keyward/core/records.h"

namespace keyward::service {

struct KeyFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> scopes;
  std::optional<bool> read_only;
  std::optional<bool> enabled;
  // Outer optional: member present; inner: null (clear) vs a time.
  std::optional<std::optional<UnixSeconds>> expires_at;
  std::optional<std::vector<std::string>> ip_allow;
  std::optional<std::vector<std::string>> ip_deny;
  std::optional<std::optional<RateLimit>> rate_limit;
  std::optional<std::string> tier;
  std::optional<std::optional<std::int64_t>> remaining_uses;
  std::optional<std::optional<QuotaRefill>> refill;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> metadata_json;
  std::optional<std::optional<std::string>> owner_user_id;  // create only
  std::optional<KeyKind> kind;                              // create only
  // Create only: the org of an organization key (platform admins: any org; others:
  // their own); for a user key it must be the owner's org.
  std::optional<std::string> org_id;
};

// Copies every present member onto `key` (owner, kind and org are the caller's job).
// Quota bookkeeping (quota_epoch, quota_refilled_at) is KeyService's job. Walks the
// field table (key_schema.h).
void ApplyKeyFields(const KeyFields& fields, KeyRecord& key);

// True when the fields set the quota count (the table's Changeable::kQuotaCount
// members: remaining_uses, refill).
bool SetsQuota(const KeyFields& fields);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_KEY_FIELDS_H_
