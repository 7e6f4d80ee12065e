#include "keyward/service/visibility.h"

#include "keyward/core/scope.h"

namespace keyward::service {
namespace {

bool SameOrg(const Actor& actor, const std::string& org_id) {
  return actor.user && actor.user->org_id == org_id;
}

bool IsOrgAdmin(const Actor& actor) {
  return actor.user && actor.user->role == Role::kOrgAdmin;
}

}  // namespace

bool CanSeeOrg(const Actor& actor, const OrgRecord& org) {
  // Members may read their own org: GET /v1/me shows it to them anyway.
  return actor.IsPlatformAdmin() || SameOrg(actor, org.id);
}

bool CanSeeUser(const Actor& actor, const UserRecord& user) {
  if (actor.IsPlatformAdmin()) return true;
  if (IsOrgAdmin(actor)) return SameOrg(actor, user.org_id);
  const UserRecord* self = actor.Self();
  return self && self->id == user.id;
}

bool CanSeeKey(const Actor& actor, const KeyRecord& key) {
  if (actor.IsPlatformAdmin()) return true;
  if (IsOrgAdmin(actor)) return SameOrg(actor, key.org_id);
  const UserRecord* self = actor.Self();
  return self && key.kind == KeyKind::kUser && key.owner_user_id == self->id;
}

bool CanManageUser(const Actor& actor, const UserRecord& user) {
  if (actor.IsPlatformAdmin()) return true;
  if (!IsOrgAdmin(actor) || !SameOrg(actor, user.org_id)) return false;
  // An org admin must not be able to lock out, or mint keys for, someone with more
  // authority: that would let it use (or deny) rights it does not hold itself.
  return user.role != Role::kPlatformAdmin &&
         core::ScopesCover(actor.user->permissions, user.permissions);
}

bool CanManageKey(const Actor& actor, const KeyRecord& key, const UserRecord* owner,
                  KeyIntent intent) {
  if (!CanSeeKey(actor, key)) return false;
  if (actor.IsPlatformAdmin()) return true;
  const UserRecord* self = actor.Self();
  if (self && key.kind == KeyKind::kUser && key.owner_user_id == self->id) return true;
  if (!IsOrgAdmin(actor)) return false;
  if (key.kind == KeyKind::kOrg) {
    // An org key acts as an org admin with its scopes as permissions: an org admin
    // whose own permissions are narrower must not enable, change or rotate it, or it
    // could use (through the key) rights it does not hold itself. Revoking only
    // takes rights away, so any org admin of the org may revoke.
    return intent == KeyIntent::kRevoke ||
           core::ScopesCover(actor.user->permissions, key.scopes);
  }
  if (owner == nullptr) return true;
  return CanManageUser(actor, *owner);
}

}  // namespace keyward::service
