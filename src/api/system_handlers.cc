// Handlers that are not key management: health, readiness, metrics, /v1/verify,
// /v1/me.
#include <nlohmann/json.hpp>

#include "keyward/api/encode.h"
#include "keyward/api/fast_json.h"
#include "keyward/api/gate.h"
#include "keyward/api/handlers.h"
#include "keyward/api/problem.h"
#include "keyward/api/rate_limit_fields.h"
#include "keyward/api/verify_body.h"
#include "keyward/core/scope.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/app.h"

namespace keyward::api {

using nlohmann::json;

Reply Healthz(Call&, Services&) {
  return fast_json::RawJson(200, std::string(fast_json::kHealthyBody));
}

Reply Readyz(Call&, Services& s) {
  if (!s.app.ready()) {
    return Problem(503, "not_ready",
                   "the key index is loading (" + std::to_string(s.app.index().Size()) +
                       " keys so far)");
  }
  if (!s.app.store().Ping().ok()) {
    return Problem(503, "not_ready", "the store does not answer");
  }
  return JsonResponse(200, {{"status", "ready"}});
}

// Needs a metrics:read key when metrics.require_auth is set (Access::kMetrics).
Reply MetricsText(Call&, Services& s) {
  http::Response r;
  r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.body = s.metrics.Render();
  return r;
}

namespace {

// Validates what either reader found in a /v1/verify body (verify_body.h) and
// answers it: one place for the checks and their wording, so the scanned and the
// parsed body cannot drift apart. Errors keep the DOM path's order: unknown members,
// key, each scope, ip.
Reply VerifyRequest(Call& call, Services& s, const VerifyFields& body) {
  using Type = VerifyFields::Type;
  std::vector<FieldError> errors;
  for (std::string_view name : body.unknown) {
    errors.push_back({std::string(name), "unknown field"});
  }
  if (body.key == Type::kAbsent) {
    errors.push_back({"key", "is required"});
  } else if (body.key != Type::kString) {
    errors.push_back({"key", "must be a string"});
  }
  std::vector<std::string> scopes;
  if (body.scopes == Type::kArray) {
    for (size_t i = 0; i < body.scope_items.size(); ++i) {
      const std::optional<std::string_view>& item = body.scope_items[i];
      if (!item || !core::IsValidScope(*item)) {
        errors.push_back(
            {"scopes[" + std::to_string(i) + "]", "must be a scope such as logs:read"});
      } else {
        scopes.emplace_back(*item);
      }
    }
  } else if (body.scopes != Type::kAbsent) {
    errors.push_back({"scopes", "must be an array of scope strings"});
  }
  std::string ip = call.client_ip;
  if (body.ip != Type::kAbsent) {
    auto parsed =
        body.ip == Type::kString ? core::IpAddress::Parse(body.ip_text) : std::nullopt;
    if (!parsed) {
      errors.push_back({"ip", "must be an IPv4 or IPv6 address"});
    } else if (s.gate.IsTrustedProxy(call.req.peer_ip)) {
      ip = parsed->ToString();  // only a trusted proxy may speak for its client
    }
  }
  if (!errors.empty()) {
    return ErrorResponse(
        Error{ErrorKind::kValidation, "validation failed", std::move(errors)});
  }
  // Throttled addresses learn nothing about the key: it is not even looked at.
  if (const std::int64_t wait = s.gate.ThrottleWait(ip); wait > 0) {
    http::Response resp =
        JsonResponse(200, {{"valid", false},
                           {"code", core::OutcomeName(core::Outcome::kRateLimited)},
                           {"effective_scopes", json::array()}});
    resp.Set("Retry-After", std::to_string(wait));
    return resp;
  }
  // The key is verified where it lies (the request body or its DOM): no copy of it
  // is made here, so there is none to zero.
  core::Decision d = s.gate.VerifyAndRecord(body.key_text, scopes, ip);
  // The count this very verification left, not a later one; else KeyObject's.
  std::optional<std::int64_t> remaining;
  if (d.quota) {
    remaining = d.quota->remaining;
  } else if (d.key && d.key->remaining_uses) {
    remaining = *s.app.policies().LiveRemaining(*d.key);
  }
  // Written directly (fast_json.h): the same bytes as the DOM, without building it.
  http::Response resp = fast_json::RawJson(
      200, fast_json::VerifyAnswer(d, s.app.clock().Now(),
                                   s.app.policies().table().tiers(), remaining));
  // Still 200 (the body carries the answer), but a gateway may pass this on.
  if (const std::int64_t retry = RetryAfterSeconds(d); retry > 0) {
    resp.Set("Retry-After", std::to_string(retry));
  }
  call.decision = std::move(d);  // Handle() adds the key's RateLimit fields
  return resp;
}

}  // namespace

// The dispatcher scanned the common body shape already (api.cc); any other body
// was parsed into a DOM and is read from it.
Reply Verify(Call& call, Services& s) {
  if (call.verify_fields) return VerifyRequest(call, s, *call.verify_fields);
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  if (!body->is_object())
    return ErrorResponse(Error::Validation("(body)", "must be a JSON object"));
  return VerifyRequest(call, s, ReadVerifyJson(*body));
}

Reply Me(Call&, const service::Actor& who, Services& s) {
  const auto now = s.app.clock().Now();
  if (!who.key) {
    // A console session: the user, with their permissions as the effective scopes.
    json out{{"key", nullptr},
             {"effective_scopes", who.key_scopes.value_or(std::vector<std::string>{})},
             {"user", UserJson(*who.user)}};
    if (auto org = s.app.directory().FindOrg(who.user->org_id))
      out["org"] = OrgJson(*org);
    return JsonResponse(200, out);
  }
  const KeyRecord& key = *who.key;
  json out{{"key", KeyObject(key, now, s.app)},
           {"effective_scopes", who.key_scopes.value_or(std::vector<std::string>{})}};
  auto user =
      key.owner_user_id ? s.app.directory().FindUser(*key.owner_user_id) : nullptr;
  out["user"] = user ? UserJson(*user) : json(nullptr);
  if (auto org = s.app.directory().FindOrg(key.org_id)) out["org"] = OrgJson(*org);
  return JsonResponse(200, out);
}

}  // namespace keyward::api
