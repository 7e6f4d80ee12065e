// The one authorization decision for everything that grants (contract section 4,
// "A key never grants more than itself"). Every path that creates or changes a key
// (create, patch, rotate — REST, CLI and, later, the console) or a user's
// permissions asks here, and nowhere else decides what may be granted.
//
// A grant is bounded twice:
//   1. by the acting user's role and permissions, and
//   2. by the effective scopes of the key that makes the call,
// and a user key's scopes also by its owner's permissions. The local CLI (operator
// on the data dir) is bounded only by the owner. A pattern not covered answers
// kValidation (422) naming the offending element, e.g. "scopes[1]".
//
// Quota controls (tier, rate_limit, remaining_uses, refill) may only be loosened by
// an org admin or a platform admin; a member may tighten them on their own keys.
// Pure functions over immutable snapshots; thread-safe.
#ifndef KEYWARD_SERVICE_AUTHZ_H_
#define KEYWARD_SERVICE_AUTHZ_H_

#include <string>
#include <string_view>
#include <vector>

#include "keyward/core/key_runtime.h"
#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/actor.h"

namespace keyward::service {

// Every pattern of `grants` is covered by both bounds of `actor` (role-holder's
// permissions, calling key's effective scopes). `field` is the JSON member named in
// the error ("scopes", "permissions").
Status CheckGrantable(const Actor& actor, const std::vector<std::string>& grants,
                      std::string_view field);

// A key record about to be written (created, changed or rotated): its scopes are
// within `owner`'s permissions (user keys; null for org keys) and grantable by
// `actor`.
Status CheckKeyGrant(const Actor& actor, const KeyRecord& key, const UserRecord* owner);

// True when `after`'s quota controls are no looser than `before`'s (pass null for
// `before` on create: the defaults of a new key, i.e. the default tier and no use
// limit). `live_remaining` is `before`'s live count when it has one.
bool QuotaNotLoosened(const KeyRecord* before, std::optional<std::int64_t> live_remaining,
                      const KeyRecord& after, const core::Tiers& tiers);

// kPermissionDenied unless `actor` may loosen quota controls, when `after` loosens
// them relative to `before`.
Status CheckQuotaChange(const Actor& actor, const KeyRecord* before,
                        std::optional<std::int64_t> live_remaining,
                        const KeyRecord& after, const core::Tiers& tiers);

// kPermissionDenied when a key with IP lists, an expiry or a use limit makes the
// call: setting a user's password hands out a credential (a console session) that
// carries none of those (attack review 2: a restricted users:write key set a
// member's password, signed in, and minted an unrestricted key).
Status CheckCredentialGrant(const Actor& actor);

// A key never hands out more than it has (attack review: a member's key limited to
// 100 uses from 127.0.0.0/8 minted an unlimited key usable from anywhere, and
// lifted its own allow-list). When a key makes the call (whoever holds it, for IP
// lists and expiry: an admin loosens those through the console or an unrestricted
// key; quota controls only for a member's or an organization key, as the contract
// lets admins loosen those), `after` must be restricted at least as tightly as
// that key: each allowed range within one the key
// allows, each range the key denies denied, an expiry no later than the key's, and on
// create
// (`before` null) quota controls no looser than the key's (`caller_remaining`: its
// live count). A change that loosens none of these relative to `before` (renaming
// a key that was looser already) passes. kPermissionDenied otherwise.
// A rotation passes `before` null: its successor is a new secret.
Status CheckBoundByCallingKey(const Actor& actor, const KeyRecord* before,
                              const KeyRecord& after,
                              std::optional<std::int64_t> caller_remaining,
                              const core::Tiers& tiers);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_AUTHZ_H_
