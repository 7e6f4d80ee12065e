#include "keyward/service/org_service.h"

#include "keyward/service/visibility.h"

namespace keyward::service {
namespace {

Error NoSuchOrg() { return Error::NotFound("no such organization"); }

Error Refused(std::string why) {
  return Error{ErrorKind::kPermissionDenied, std::move(why), {}};
}

bool IsOwnOrg(const Actor& actor, const std::string& org_id) {
  const UserRecord* self = actor.Self();
  return self && self->org_id == org_id;
}

}  // namespace

void OrgService::Audit(const Actor& actor, const char* action, const std::string& id,
                       std::map<std::string, std::string> details) {
  if (!audit_) return;
  AuditEvent e = WriteEvent(actor, app_.clock().Now(), action, "org", id, id);
  e.details.merge(details);
  audit_->Record(e);
}

Result<OrgRecord> OrgService::Create(const Actor& actor, const OrgFields& f) {
  if (!actor.IsPlatformAdmin())
    return Refused("only platform admins create organizations");
  if (!f.name) return Error::Validation("name", "is required");
  OrgRecord org;
  org.id = core::RandomId(app_.random(), "org_");
  org.name = *f.name;
  org.enabled = f.enabled.value_or(true);
  org.api_keys_enabled = f.api_keys_enabled.value_or(true);
  org.created_at = org.updated_at = app_.clock().Now();
  std::lock_guard lock(app_.write_mutex());
  if (auto s = app_.store().InsertOrg(org); !s.ok()) {
    if (s.error().Is(ErrorCause::kDuplicateOrgName)) {
      return Error::Conflict("an organization named '" + org.name + "' already exists",
                             ErrorCause::kDuplicateOrgName);
    }
    return s.error();
  }
  app_.Publish(org);
  Audit(actor, "org.create", org.id, {});
  return org;
}

Result<OrgRecord> OrgService::Get(const Actor& actor, const std::string& id) {
  auto org = app_.store().GetOrg(id);
  if (!org.ok())
    return org.error().kind == ErrorKind::kNotFound ? NoSuchOrg() : org.error();
  if (!CanSeeOrg(actor, *org)) {
    if (audit_)
      audit_->Record(DeniedEvent(actor, app_.clock().Now(), "org", id, "not_visible"));
    return NoSuchOrg();
  }
  return org;
}

Result<OrgRecord> OrgService::GetLocked(const Actor& actor, const std::string& id) {
  auto org = Get(actor, id);
  if (!org.ok()) return org;
  if (!actor.IsPlatformAdmin())
    return Refused("only platform admins change organizations");
  return org;
}

Result<store::Page<OrgRecord>> OrgService::List(const Actor& actor,
                                                const OrgListQuery& q) {
  if (actor.IsPlatformAdmin()) {
    store::OrgFilter filter;
    filter.after_seqno = q.after;
    filter.limit = q.limit;
    return app_.store().ListOrgs(filter);
  }
  // Everyone else sees exactly one org, on the first page.
  store::Page<OrgRecord> page;
  if (q.after != 0 || !actor.user) return page;
  auto own = app_.store().GetOrg(actor.user->org_id);
  if (own.ok()) {
    page.items.push_back(std::move(*own));
  } else if (own.error().kind != ErrorKind::kNotFound) {
    return own.error();
  }
  return page;
}

Result<OrgRecord> OrgService::Update(const Actor& actor, const std::string& id,
                                     const OrgFields& f) {
  std::lock_guard lock(app_.write_mutex());  // read-modify-write must not interleave
  auto cur = GetLocked(actor, id);
  if (!cur.ok()) return cur;
  OrgRecord next = *cur;
  if (f.name) next.name = *f.name;
  if (f.enabled) next.enabled = *f.enabled;
  if (f.api_keys_enabled) next.api_keys_enabled = *f.api_keys_enabled;
  const bool turns_off = (cur->enabled && !next.enabled) ||
                         (cur->api_keys_enabled && !next.api_keys_enabled);
  if (turns_off && IsOwnOrg(actor, id)) {
    return Refused(
        "you cannot turn off your own organization; ask another platform admin");
  }
  next.updated_at = app_.clock().Now();
  if (auto s = app_.store().UpdateOrg(next); !s.ok()) {
    if (s.error().Is(ErrorCause::kDuplicateOrgName)) {
      return Error::Conflict("an organization named '" + next.name + "' already exists",
                             ErrorCause::kDuplicateOrgName);
    }
    return s.error();
  }
  app_.Publish(next);
  std::string fields;
  for (const auto& [set, name] : {std::pair{f.name.has_value(), "name"},
                                  {f.enabled.has_value(), "enabled"},
                                  {f.api_keys_enabled.has_value(), "api_keys_enabled"}}) {
    if (set) fields += (fields.empty() ? "" : ",") + std::string(name);
  }
  Audit(actor, "org.update", id, {{"fields", fields}});
  return next;
}

Status OrgService::Delete(const Actor& actor, const std::string& id, bool force) {
  std::lock_guard lock(app_.write_mutex());
  auto cur = GetLocked(actor, id);
  RETURN_IF_ERROR(cur);
  if (IsOwnOrg(actor, id)) {
    return Refused("you cannot delete your own organization; ask another platform admin");
  }
  auto deleted = app_.store().DeleteOrgWithMembers(id, app_.clock().Now(), force);
  if (!deleted.ok()) {
    if (deleted.error().Is(ErrorCause::kNotEmpty)) {
      return Error::Conflict(deleted.error().message +
                                 "; delete with ?force=true to revoke "
                                 "its keys and delete its users",
                             ErrorCause::kNotEmpty);
    }
    return deleted.error();
  }
  // The org, its users and its keys changed in one transaction: publish them all.
  Status published = app_.PublishCommitted();
  Audit(actor, "org.delete", id,
        {{"force", force ? "true" : "false"},
         {"revoked_keys", std::to_string(deleted->revoked_key_ids.size())},
         {"deleted_users", std::to_string(deleted->deleted_user_ids.size())}});
  return published;
}

}  // namespace keyward::service
