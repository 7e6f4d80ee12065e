#include "keyward/service/audit_service.h"

namespace keyward::service {

Result<store::Page<store::AuditRecord>> AuditService::List(const Actor& actor,
                                                           store::AuditFilter filter) {
  filter.org_id.reset();
  filter.user_id.reset();
  if (!actor.IsPlatformAdmin()) {
    if (!actor.user) return store::Page<store::AuditRecord>{};
    if (actor.user->role == Role::kOrgAdmin) {
      filter.org_id = actor.user->org_id;
    } else {
      filter.user_id = actor.user->id;
    }
  }
  return app_.store().ListAuditEvents(filter);
}

}  // namespace keyward::service
