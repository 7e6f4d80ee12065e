#include "keyward/service/actor.h"

namespace keyward::service {

bool Actor::IsPlatformAdmin() const {
  return local_cli || (user && user->role == Role::kPlatformAdmin);
}

bool Actor::IsAdmin() const { return local_cli || (user && user->role != Role::kMember); }

const UserRecord* Actor::Self() const {
  if (local_cli || !user) return nullptr;
  if (key && key->kind == KeyKind::kOrg) return nullptr;
  return user.get();
}

int RoleRank(Role role) {
  switch (role) {
    case Role::kPlatformAdmin:
      return 2;
    case Role::kOrgAdmin:
      return 1;
    case Role::kMember:
      return 0;
  }
  return 0;
}

}  // namespace keyward::service
