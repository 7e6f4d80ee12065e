#include "keyward/service/user_service.h"

#include "keyward/core/scope.h"
#include "keyward/service/authz.h"
#include "keyward/service/visibility.h"

namespace keyward::service {
namespace {

Error NoSuchUser() { return Error::NotFound("no such user"); }

Error Refused(std::string why) {
  return Error{ErrorKind::kPermissionDenied, std::move(why), {}};
}

Error UsernameTaken(const std::string& username) {
  return Error::Conflict("username '" + username + "' is already taken",
                         ErrorCause::kDuplicateUsername);
}

bool IsSelf(const Actor& actor, const UserRecord& user) {
  const UserRecord* self = actor.Self();
  return self && self->id == user.id;
}

// Would `next` turn `cur` off, or change its role or permissions at all?
bool ChangesAccess(const UserRecord& cur, const UserRecord& next) {
  return (cur.enabled && !next.enabled) ||
         (cur.api_keys_enabled && !next.api_keys_enabled) || cur.role != next.role ||
         cur.permissions != next.permissions;
}

}  // namespace

void UserService::Audit(const Actor& actor, const char* action, const UserRecord& user,
                        std::map<std::string, std::string> details) {
  if (!audit_) return;
  AuditEvent e =
      WriteEvent(actor, app_.clock().Now(), action, "user", user.id, user.org_id);
  e.details.merge(details);
  audit_->Record(e);
}

Status UserService::CheckGrant(const Actor& actor, const UserRecord& next,
                               bool explicit_permissions) const {
  if (actor.local_cli) return OkStatus();
  if (RoleRank(next.role) > RoleRank(actor.user->role)) {
    return Refused("you cannot grant a role above your own");
  }
  Status s = CheckGrantable(actor, next.permissions, "permissions");
  if (!s.ok() && !explicit_permissions) {
    // The caller did not name these permissions: say where they came from.
    return Error::Validation("permissions",
                             "the role's default permissions exceed what "
                             "you may grant; set permissions explicitly");
  }
  return s;
}

Result<UserRecord> UserService::Create(const Actor& actor, const UserFields& f) {
  if (!actor.IsAdmin()) return Refused("members cannot create users");
  if (!f.username) return Error::Validation("username", "is required");
  UserRecord user;
  user.id = core::RandomId(app_.random(), "usr_");
  user.username = *f.username;
  if (f.org_id) {
    user.org_id = *f.org_id;
  } else if (actor.user) {
    user.org_id = actor.user->org_id;
  } else {
    return Error::Validation("org_id", "is required");
  }
  auto org = app_.directory().FindOrg(user.org_id);
  if (!org || org->deleted || !CanSeeOrg(actor, *org)) {
    return Error::Validation("org_id", "no such organization");
  }
  user.role = f.role.value_or(Role::kMember);
  user.permissions = f.permissions ? *f.permissions : DefaultPermissions(user.role);
  user.enabled = f.enabled.value_or(true);
  user.api_keys_enabled = f.api_keys_enabled.value_or(true);
  RETURN_IF_ERROR(CheckGrant(actor, user, f.permissions.has_value()));
  user.created_at = user.updated_at = app_.clock().Now();
  std::lock_guard lock(app_.write_mutex());
  if (auto s = app_.store().InsertUser(user); !s.ok()) {
    if (s.error().Is(ErrorCause::kDuplicateUsername)) return UsernameTaken(user.username);
    return s.error();
  }
  app_.Publish(user);
  Audit(actor, "user.create", user, {{"role", std::string(RoleName(user.role))}});
  return user;
}

Result<UserRecord> UserService::Get(const Actor& actor, const std::string& id) {
  auto user = app_.store().GetUser(id);
  if (!user.ok()) {
    return user.error().kind == ErrorKind::kNotFound ? NoSuchUser() : user.error();
  }
  if (!CanSeeUser(actor, *user)) {
    if (audit_) {
      audit_->Record(DeniedEvent(actor, app_.clock().Now(), "user", id, "not_visible"));
    }
    return NoSuchUser();
  }
  return user;
}

Result<UserRecord> UserService::GetForWrite(const Actor& actor, const std::string& id) {
  auto user = Get(actor, id);
  if (!user.ok()) return user;
  if (!actor.IsAdmin()) return Refused("members cannot change users");
  if (!CanManageUser(actor, *user)) {
    return Refused("this user has a role or permissions beyond yours");
  }
  return user;
}

Result<store::Page<UserRecord>> UserService::List(const Actor& actor,
                                                  const UserListQuery& q) {
  store::UserFilter filter;
  filter.org_id = q.org_id;
  filter.role = q.role;
  filter.after_seqno = q.after;
  filter.limit = q.limit;
  if (actor.IsPlatformAdmin()) return app_.store().ListUsers(filter);
  const UserRecord& me = *actor.user;
  if (me.role == Role::kOrgAdmin) {
    // Narrow the query to the caller's org; asking for another yields nothing.
    if (q.org_id && *q.org_id != me.org_id) return store::Page<UserRecord>{};
    filter.org_id = me.org_id;
    return app_.store().ListUsers(filter);
  }
  // A member sees only themselves, on the first page.
  store::Page<UserRecord> page;
  const bool matches =
      (!q.org_id || *q.org_id == me.org_id) && (!q.role || *q.role == me.role);
  if (q.after == 0 && matches) page.items.push_back(me);
  return page;
}

Result<UserRecord> UserService::Update(const Actor& actor, const std::string& id,
                                       const UserFields& f) {
  if (f.org_id) return Error::Validation("org_id", "cannot be changed");
  std::lock_guard lock(app_.write_mutex());  // read-modify-write must not interleave
  auto cur = GetForWrite(actor, id);
  if (!cur.ok()) return cur;
  UserRecord next = *cur;
  if (f.username) next.username = *f.username;
  if (f.enabled) next.enabled = *f.enabled;
  if (f.api_keys_enabled) next.api_keys_enabled = *f.api_keys_enabled;
  if (f.role) next.role = *f.role;
  if (f.permissions) {
    next.permissions = *f.permissions;
  } else if (next.role != cur->role) {
    // A new role brings that role's default permissions, unless the request says
    // otherwise: demotion must narrow the user's keys, not keep an admin's "*".
    next.permissions = DefaultPermissions(next.role);
  }
  if (IsSelf(actor, *cur) && ChangesAccess(*cur, next)) {
    return Refused(
        "you cannot change your own role, permissions or access; ask another admin");
  }
  // Every change, not only one to the role or permissions: re-enabling a user, or
  // turning their API keys back on, hands their permissions out again.
  RETURN_IF_ERROR(
      CheckGrant(actor, next, f.permissions.has_value() || next.role == cur->role));
  next.updated_at = app_.clock().Now();
  if (auto s = app_.store().UpdateUser(next); !s.ok()) {
    if (s.error().Is(ErrorCause::kDuplicateUsername)) return UsernameTaken(next.username);
    return s.error();
  }
  app_.Publish(next);
  std::string fields;
  for (const auto& [set, name] : {std::pair{f.username.has_value(), "username"},
                                  {f.enabled.has_value(), "enabled"},
                                  {f.api_keys_enabled.has_value(), "api_keys_enabled"},
                                  {f.role.has_value(), "role"},
                                  {f.permissions.has_value(), "permissions"}}) {
    if (set) fields += (fields.empty() ? "" : ",") + std::string(name);
  }
  Audit(actor, "user.update", next, {{"fields", fields}});
  return next;
}

Status UserService::Delete(const Actor& actor, const std::string& id) {
  std::lock_guard lock(app_.write_mutex());
  auto cur = GetForWrite(actor, id);
  RETURN_IF_ERROR(cur);
  if (IsSelf(actor, *cur))
    return Refused("you cannot delete yourself; ask another admin");
  auto revoked = app_.store().DeleteUser(id, app_.clock().Now());
  RETURN_IF_ERROR(revoked);
  // The user and their revoked keys changed in one transaction: publish them all,
  // so those keys answer REVOKED from the very next request.
  Status published = app_.PublishCommitted();
  Audit(actor, "user.delete", *cur, {{"revoked_keys", std::to_string(revoked->size())}});
  return published;
}

}  // namespace keyward::service
