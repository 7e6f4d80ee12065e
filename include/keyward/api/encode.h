// JSON encoders for the contract's objects (key, user, org) — contract section 5.
//
// The key object never carries the hash or the secret: those members simply do not
// exist on the way out. Pure functions; thread-safe.
#ifndef KEYWARD_API_ENCODE_H_
#define KEYWARD_API_ENCODE_H_

#include <string_view>

#include <nlohmann/json.hpp>

#include "keyward/core/key_runtime.h"
#include "keyward/core/records.h"

namespace keyward::api {

// "active" | "disabled" | "expired" | "revoked", as of `now`.
std::string_view KeyStatus(const KeyRecord& key, UnixSeconds now);

// `tiers` resolve the rate limit in force: the key's own, else its tier's
// (contract section 5: rate_limit is the limit in force).
nlohmann::json KeyJson(const KeyRecord& key, UnixSeconds now, const core::Tiers& tiers);
nlohmann::json UserJson(const UserRecord& user);
nlohmann::json OrgJson(const OrgRecord& org);

}  // namespace keyward::api

#endif  // KEYWARD_API_ENCODE_H_
