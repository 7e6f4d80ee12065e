// UserService: create, read, list, update and delete users on behalf of an Actor
// (contract section 5, /v1/users), within the rules of visibility.h.
//
// Granting is bounded: nobody grants a role above their own (kPermissionDenied) or a
// permission they do not hold themselves (kValidation naming it). A role change
// without explicit permissions resets them to the new role's default (["*"] for
// admins, [] for members), so demoting a platform admin to member empties the
// effective scopes of all their user keys at once. Nobody lowers their own access
// (role, permissions, enabled, api_keys_enabled) or deletes themselves: that takes
// another admin, so the last admin cannot lock everyone out by mistake.
//
// Writes go to SQLite first and are published to the in-memory directory (and, on
// delete, the revoked keys to the index) under the App's write mutex before
// returning, so they apply to the very next verification. Thread-safe.
#ifndef KEYWARD_SERVICE_USER_SERVICE_H_
#define KEYWARD_SERVICE_USER_SERVICE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/actor.h"
#include "keyward/service/app.h"
#include "keyward/service/audit.h"
#include "keyward/service/principal_fields.h"
#include "keyward/store/store_types.h"

namespace keyward::service {

struct UserListQuery {
  std::optional<std::string> org_id;
  std::optional<Role> role;
  std::int64_t after = 0;  // seqno from a cursor
  int limit = 50;
};

class UserService {
 public:
  // `audit` (optional) must outlive the service.
  explicit UserService(App& app, AuditSink* audit = nullptr) : app_(app), audit_(audit) {}

  // org_id defaults to the caller's org. kConflict when the username is taken.
  Result<UserRecord> Create(const Actor& actor, const UserFields& fields);
  Result<UserRecord> Get(const Actor& actor, const std::string& id);
  Result<store::Page<UserRecord>> List(const Actor& actor, const UserListQuery& query);
  Result<UserRecord> Update(const Actor& actor, const std::string& id,
                            const UserFields& fields);
  // Soft-deletes the user and revokes their user keys; organization keys they
  // created stay valid (they belong to the org).
  Status Delete(const Actor& actor, const std::string& id);
  // Sets the user's web console password (password.h rules; kValidation naming
  // "password") and ends their sessions. Only an admin who may manage the user, and
  // only when the user's permissions are all within the actor's bounds (a password
  // signs in as that user, so setting it grants what they hold). Audited as
  // user.password; the password itself never is.
  Status SetPassword(const Actor& actor, const std::string& id,
                     std::string_view password);

 private:
  // Get() for a write: kPermissionDenied when visible but not the actor's to manage.
  Result<UserRecord> GetForWrite(const Actor& actor, const std::string& id);
  // kPermissionDenied for a role above the actor's; kValidation for a permission
  // the actor does not hold. `explicit_permissions` says whether the request named
  // them (for the message when a role default is what exceeds).
  Status CheckGrant(const Actor& actor, const UserRecord& next,
                    bool explicit_permissions) const;

  // Records a successful write on `user`.
  void Audit(const Actor& actor, const char* action, const UserRecord& user,
             std::map<std::string, std::string> details);

  App& app_;
  AuditSink* audit_;
};

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_USER_SERVICE_H_
