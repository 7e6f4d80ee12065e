// Audit hook: the events admin calls leave behind, shaped like the contract's audit
// event (section 5, GET /v1/audit), and the sink they are handed to.
//
// For now only refusals are reported (action "auth.denied": 401/403 from
// authentication, 404 because a resource is outside the caller's visibility, 403
// for role refusals); the audit issue persists them and adds the write actions.
// An event never carries key material: at most a key id.
// Thread-safety: AuditSink::Record() is called concurrently from request threads;
// implementations must be thread-safe. LogAuditSink is.
#ifndef KEYWARD_SERVICE_AUDIT_H_
#define KEYWARD_SERVICE_AUDIT_H_

#include <map>
#include <optional>
#include <string>

#include "keyward/core/records.h"
#include "keyward/service/actor.h"

namespace keyward::service {

inline constexpr char kAuthDenied[] = "auth.denied";

struct AuditEvent {
  UnixSeconds at = 0;
  std::optional<std::string> actor_user_id;
  std::optional<std::string> actor_key_id;
  std::string action;       // "auth.denied", later "key.create", "user.delete", ...
  std::string target_type;  // "key" | "user" | "org" | "route"
  std::string target_id;    // resource id, or the route for refused requests
  std::string ip;
  std::string outcome;  // "denied" | "success"
  std::map<std::string, std::string> details;
};

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Must not block for long: it runs on the request path.
  virtual void Record(const AuditEvent& event) = 0;
};

// Logs every event at debug level; the default until events are stored.
class LogAuditSink final : public AuditSink {
 public:
  void Record(const AuditEvent& event) override;
};

// An auth.denied event for `actor` on a resource; `reason` goes into details.
AuditEvent DeniedEvent(const Actor& actor, UnixSeconds at, std::string target_type,
                       std::string target_id, std::string reason);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_AUDIT_H_
