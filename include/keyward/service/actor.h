// Actor: who is acting on an admin call — the user behind the presented key, an
// organization key standing in for an org admin, or the local CLI.
//
// Plain value; thread-compatible. The records it points to are immutable snapshots
// taken when the call was authenticated.
#ifndef KEYWARD_SERVICE_ACTOR_H_
#define KEYWARD_SERVICE_ACTOR_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keyward/core/records.h"

namespace keyward::service {

struct Actor {
  // The acting user; null only for the local CLI. For an organization key this is a
  // synthetic org_admin of the key's org whose permissions are the key's scopes.
  std::shared_ptr<const UserRecord> user;
  std::shared_ptr<const KeyRecord> key;  // the key used, if any
  // The effective scopes of `key` at the moment of the call (its scopes its owner
  // still holds, narrowed for read-only keys). Every grant is bounded by them
  // (authz.h); unset only when no key made the call (the local CLI).
  std::optional<std::vector<std::string>> key_scopes;
  std::string ip;
  bool local_cli = false;  // full rights, like a platform admin
  // Signed in to the web console (no key): `key` is null and `key_scopes` holds the
  // user's own permissions, so every grant is still bounded twice (authz.h).
  bool console = false;

  bool IsPlatformAdmin() const;
  // True for platform and org admins (an organization key counts as an org admin).
  bool IsAdmin() const;
  // The real user acting, or null when the caller is the local CLI or an
  // organization key: a synthetic org-key actor is never "self" for any user, so
  // "own resource" rules never apply to the user who happened to create the key.
  const UserRecord* Self() const;
};

// Roles ordered by authority: member < org_admin < platform_admin.
int RoleRank(Role role);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_ACTOR_H_
