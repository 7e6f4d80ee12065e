// Visibility and management rules of contract section 5 ("Roles and visibility"):
// who may see, and who may change, which organizations, users and keys.
//
//   platform_admin  sees and manages everything.
//   org_admin       sees its own org, the users and the keys of that org; manages
//                   the users of that org that are not platform admins and whose
//                   permissions are within its own, their keys, and the org's keys.
//   member          sees its own org, itself and its own keys; manages only its
//                   own keys.
//
// "See" failing means the resource does not exist for the caller (404, so ids
// cannot be probed); "manage" failing on a visible resource is a 403. Deleted users
// and orgs are never visible; callers filter them before asking.
// Pure functions; thread-safe.
#ifndef KEYWARD_SERVICE_VISIBILITY_H_
#define KEYWARD_SERVICE_VISIBILITY_H_

#include "keyward/core/records.h"
#include "keyward/service/actor.h"

namespace keyward::service {

bool CanSeeOrg(const Actor& actor, const OrgRecord& org);
bool CanSeeUser(const Actor& actor, const UserRecord& user);
bool CanSeeKey(const Actor& actor, const KeyRecord& key);

// Change, delete, or mint keys for `user`. Implies CanSeeUser.
bool CanManageUser(const Actor& actor, const UserRecord& user);

enum class KeyIntent { kChange, kRevoke };  // kChange: patch or rotate

// Change, revoke or rotate a key the actor can see. `owner` is the current record
// of a user key's owner, or null (org key, or an owner that no longer exists). An
// org admin may change or rotate an organization key only when its scopes are
// within the admin's own permissions.
bool CanManageKey(const Actor& actor, const KeyRecord& key, const UserRecord* owner,
                  KeyIntent intent = KeyIntent::kChange);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_VISIBILITY_H_
