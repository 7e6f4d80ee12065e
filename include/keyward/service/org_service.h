// OrgService: create, read, list, update and delete organizations on behalf of an
// Actor (contract section 5, /v1/orgs).
//
// Only platform admins write; everyone else reads the org they belong to, and any
// other org answers kNotFound (audited as auth.denied). Writes go to SQLite first
// and are published to the in-memory directory under the App's write mutex before
// returning, so turning an org (or its API keys) off refuses every key of the org
// as OWNER_DISABLED from the very next request. Thread-safe.
#ifndef KEYWARD_SERVICE_ORG_SERVICE_H_
#define KEYWARD_SERVICE_ORG_SERVICE_H_

#include <cstdint>
#include <map>
#include <string>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/actor.h"
#include "keyward/service/app.h"
#include "keyward/service/audit.h"
#include "keyward/service/principal_fields.h"
#include "keyward/store/store_types.h"

namespace keyward::service {

struct OrgListQuery {
  std::int64_t after = 0;  // seqno from a cursor
  int limit = 50;
};

class OrgService {
 public:
  // `audit` (optional) must outlive the service.
  explicit OrgService(App& app, AuditSink* audit = nullptr) : app_(app), audit_(audit) {}

  // kPermissionDenied unless a platform admin; kConflict when the name is taken.
  Result<OrgRecord> Create(const Actor& actor, const OrgFields& fields);
  Result<OrgRecord> Get(const Actor& actor, const std::string& id);
  Result<store::Page<OrgRecord>> List(const Actor& actor, const OrgListQuery& query);
  // kPermissionDenied unless a platform admin, or when it would turn off the
  // caller's own org (which would lock the caller out).
  Result<OrgRecord> Update(const Actor& actor, const std::string& id,
                           const OrgFields& fields);
  // Without `force`, kConflict while the org has live users or unrevoked keys; with
  // it, revokes every key of the org and deletes its users in the same transaction.
  // The caller's own org cannot be deleted (kPermissionDenied).
  Status Delete(const Actor& actor, const std::string& id, bool force);

 private:
  Result<OrgRecord> GetLocked(const Actor& actor, const std::string& id);

  // Records a successful write on org `id`.
  void Audit(const Actor& actor, const char* action, const std::string& id,
             std::map<std::string, std::string> details);

  App& app_;
  AuditSink* audit_;
};

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_ORG_SERVICE_H_
