// UserService::SetPassword: console passwords, set by an admin or the local CLI.
#include "keyward/service/authz.h"
#include "keyward/service/password.h"
#include "keyward/service/user_service.h"

namespace keyward::service {

Status UserService::SetPassword(const Actor& actor, const std::string& id,
                                std::string_view password) {
  ASSIGN_OR_RETURN(UserRecord user, GetForWrite(actor, id));
  if (!actor.local_cli) {
    // Whoever can sign in as this user holds their permissions: the same bound as
    // granting those permissions (a key holding only users:write cannot take over
    // an admin by resetting the admin's password).
    Status grant = CheckGrantable(actor, user.permissions, "permissions");
    if (!grant.ok()) {
      return Error::PermissionDenied(
          "this user holds permissions beyond yours; you cannot set their password");
    }
  }
  RETURN_IF_ERROR(CheckCredentialGrant(actor));
  RETURN_IF_ERROR(CheckPasswordRules(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  RETURN_IF_ERROR(app_.store().SetPasswordHash(user.id, hash));
  Audit(actor, "user.password", user, {});
  return OkStatus();
}

}  // namespace keyward::service
