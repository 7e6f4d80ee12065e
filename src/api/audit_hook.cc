// The audit hook for refused calls: every 401/403 answer of a routed request (from
// authentication, or a role refusal by a service) becomes an auth.denied event.
// 404s because of visibility are reported by the services themselves, which alone
// know whether the resource exists.
#include <algorithm>

#include "keyward/api/api.h"
#include "keyward/api/routes.h"
#include "keyward/core/utf8.h"

namespace keyward::api {
namespace {

// An id from the path as the audit trail may keep it: one of our ids
// ("key_AbC...", "usr_...", "org_...") as it is; anything else — which could be a
// key pasted (or split with a '-') into the URL — only as its first 12 characters,
// what a display prefix shows.
std::string RecordableId(const std::string& id) {
  constexpr size_t kShown = 12;
  auto base62 = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  };
  const bool ours =
      id.size() > 4 && id.size() <= 44 &&
      (id.starts_with("key_") || id.starts_with("usr_") || id.starts_with("org_")) &&
      std::all_of(id.begin() + 4, id.end(), base62);
  if (ours) return id;
  // Anything else came from the path: cut it (a key may have been pasted there) and
  // scrub it, so bytes the store cannot hold (%FF, NUL) never reach the audit queue.
  if (id.size() <= kShown) return core::ScrubText(id);
  return core::ScrubText(std::string_view(id).substr(0, kShown)) + "...";
}

// The method as the audit trail may keep it: forward auth takes any method, so an
// unknown one could be anything (a key pasted there).
std::string RecordableMethod(const std::string& method) {
  for (std::string_view m :
       {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == m) return method;
  }
  return "(other)";
}

std::string ReasonFor(const Call& call) {
  if (!call.decision.key) return "unauthenticated";
  switch (call.decision.outcome) {
    case core::Outcome::kForbiddenIp:
      return "forbidden_ip";
    case core::Outcome::kInsufficientScope:
      return "insufficient_scope";
    case core::Outcome::kRateLimited:
      return "rate_limited";
    case core::Outcome::kUsageExceeded:
      return "usage_exceeded";
    case core::Outcome::kValid:
      return "forbidden";  // valid key, refused after authentication (e.g. routes)
    default:
      return "unauthenticated";  // revoked, expired, disabled, owner disabled
  }
}

}  // namespace

void AuditRefusal(service::AuditSink& sink, UnixSeconds now, const Call& call,
                  const service::Actor* actor, const Route& route, const Reply& reply) {
  service::AuditEvent e;
  if (actor) {
    e = service::DeniedEvent(*actor, now, "", "", "forbidden");
  } else {
    e.at = now;
    e.action = service::kAuthDenied;
    e.outcome = "denied";
    e.ip = call.client_ip;
    // A key that authenticated but was refused later (IP list, scope, limits) is
    // not "unauthenticated": say what refused it.
    e.details["reason"] = ReasonFor(call);
    // The key id is known once the display prefix and hash matched; never more of
    // the presented key than that.
    if (const auto& key = call.decision.key) {
      e.actor_key_id = key->id;
      e.actor_org_id = key->org_id;  // so the org's admins see attempts with it
      if (key->owner_user_id) e.actor_user_id = *key->owner_user_id;
    }
  }
  e.target_type = std::string(route.target_type);
  e.target_id = call.id.empty() ? std::string(route.pattern) : RecordableId(call.id);
  e.details["method"] = RecordableMethod(call.req.method);
  e.details["route"] = std::string(route.pattern);
  const int status = reply.real_status != 0 ? reply.real_status : reply.status();
  e.details["status"] = std::to_string(status);
  if (!reply.code.empty()) e.details["code"] = std::string(reply.code);
  if (!reply.outcome.empty()) e.details["outcome"] = std::string(reply.outcome);
  if (!actor && !call.decision.key && status == 403 && !reply.code.empty()) {
    e.details["reason"] = std::string(reply.code);  // refused before any key was read
  }
  sink.Record(e);
}

}  // namespace keyward::api
