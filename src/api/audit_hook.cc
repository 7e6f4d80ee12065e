// The audit hook for refused calls: every 401/403 answer of a routed request (from
// authentication, or a role refusal by a service) becomes an auth.denied event.
// 404s because of visibility are reported by the services themselves, which alone
// know whether the resource exists.
#include <nlohmann/json.hpp>

#include "keyward/api/api.h"

namespace keyward::api {
namespace {

std::string_view TargetType(std::string_view route) {
  if (route.starts_with("/v1/keys")) return "key";
  if (route.starts_with("/v1/users")) return "user";
  if (route.starts_with("/v1/orgs")) return "org";
  return "route";
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

void Api::AuditRefusal(const Call& call, std::string_view route,
                       const http::Response& resp) {
  service::AuditEvent e;
  if (call.actor) {
    e = service::DeniedEvent(*call.actor, app_.clock().Now(), "", "", "forbidden");
  } else {
    e.at = app_.clock().Now();
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
  e.target_type = TargetType(route);
  e.target_id = call.id.empty() ? std::string(route) : call.id;
  e.details["method"] = call.req.method;
  e.details["route"] = std::string(route);
  e.details["status"] = std::to_string(resp.status);
  auto body = nlohmann::json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    for (const char* member : {"code", "outcome"}) {
      if (body.contains(member) && body[member].is_string()) {
        e.details[member] = body[member].get<std::string>();
      }
    }
  }
  if (!call.actor && !call.decision.key && resp.status == 403 &&
      e.details.contains("code")) {
    e.details["reason"] = e.details["code"];  // refused before any key was read
  }
  audit_.Record(e);
}

}  // namespace keyward::api
