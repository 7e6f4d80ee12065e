// Audit hook: the events admin calls leave behind, shaped like the contract's audit
// event (section 5, GET /v1/audit), and the sink they are handed to.
//
// Refusals are reported as "auth.denied" (401/403 from authentication, 404 because a
// resource is outside the caller's visibility, 403 for role refusals); every
// successful admin write as its action ("key.create", "org.delete", ...).
// An event never carries key material: at most a key id or display prefix.
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
  // For visibility in GET /v1/audit: the org of the acting user (or org key), the
  // org the target belongs to, and the owner of a target key.
  std::optional<std::string> actor_org_id, target_org_id, target_owner_user_id;
};

// The longest target_id and detail value an event keeps (contract section 5).
inline constexpr size_t kMaxAuditFieldChars = 64;

// Brings an event within the audit trail's bounds, in place: every string that came
// from the request (target_id, details, ip) is cut to kMaxAuditFieldChars, and any
// run that could be a key secret (40 or more base62 characters, such as a full key
// pasted into a URL) keeps only what a display prefix shows. Idempotent.
void BoundAuditEvent(AuditEvent& event);

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Runs on the request path. A write event (any action but auth.denied) must be
  // durable when Record() returns: the admin call is acknowledged right after.
  // auth.denied events may be queued (and dropped under load) instead, so refused
  // calls can never turn into unbounded synchronous writes. Every event is passed
  // through BoundAuditEvent first, whichever sink receives it.
  void Record(AuditEvent event) {
    BoundAuditEvent(event);
    Write(event);
  }

 protected:
  virtual void Write(const AuditEvent& event) = 0;
};

// Logs every event at debug level; the default until events are stored.
class LogAuditSink final : public AuditSink {
 protected:
  void Write(const AuditEvent& event) override;
};

// An auth.denied event for `actor` on a resource; `reason` goes into details.
AuditEvent DeniedEvent(const Actor& actor, UnixSeconds at, std::string target_type,
                       std::string target_id, std::string reason);

// A successful write `action` by `actor` on a target; the local CLI is marked with
// details {"via": "cli"} (and no actor user).
AuditEvent WriteEvent(const Actor& actor, UnixSeconds at, std::string action,
                      std::string target_type, std::string target_id,
                      std::optional<std::string> target_org_id);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_AUDIT_H_
