// AuditService: reads the audit trail for GET /v1/audit, narrowed to what the actor
// may see (docs/api.md, "Audit"):
// * platform admins (and the local CLI) see every event;
// * org admins, and organization keys, see events whose actor or target belongs to
//   their org;
// * members see events they performed and events that target keys they own.
// Thread-safe.
#ifndef KEYWARD_SERVICE_AUDIT_SERVICE_H_
#define KEYWARD_SERVICE_AUDIT_SERVICE_H_

#include "keyward/core/result.h"
#include "keyward/service/actor.h"
#include "keyward/service/app.h"
#include "keyward/store/store.h"

namespace keyward::service {

class AuditService {
 public:
  explicit AuditService(App& app) : app_(app) {}

  // `filter` carries the caller's filters and paging; visibility is added here and
  // cannot be widened by it.
  Result<store::Page<store::AuditRecord>> List(const Actor& actor,
                                               store::AuditFilter filter);

 private:
  App& app_;
};

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_AUDIT_SERVICE_H_
