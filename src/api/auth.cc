// Authentication of admin calls: the presented key goes through the same Verifier
// as /v1/verify, with the endpoint's scope as the required scope. Also the
// failed-authentication throttle, shared by both paths.
#include <nlohmann/json.hpp>

#include "keyward/api/api.h"
#include "keyward/api/credentials.h"
#include "keyward/api/encode.h"
#include "keyward/api/problem.h"
#include "keyward/api/rate_limit_fields.h"

namespace keyward::api {
namespace {

std::string_view ProblemCode(core::Outcome o) {
  switch (o) {
    case core::Outcome::kInsufficientScope:
      return "insufficient_scope";
    case core::Outcome::kForbiddenIp:
      return "forbidden_ip";
    case core::Outcome::kRateLimited:
      return "rate_limited";
    case core::Outcome::kUsageExceeded:
      return "usage_exceeded";
    default:
      return "invalid_token";
  }
}

std::string_view Detail(core::Outcome o) {
  switch (o) {
    case core::Outcome::kMalformed:
      return "the API key is malformed";
    case core::Outcome::kNotFound:
      return "the API key is not known";
    case core::Outcome::kRevoked:
      return "the API key has been revoked";
    case core::Outcome::kExpired:
      return "the API key has expired";
    case core::Outcome::kDisabled:
      return "the API key is disabled";
    case core::Outcome::kOwnerDisabled:
      return "the key's owner or organization is disabled";
    case core::Outcome::kForbiddenIp:
      return "the client IP is not allowed for this key";
    case core::Outcome::kInsufficientScope:
      return "the API key lacks a required scope";
    case core::Outcome::kRateLimited:
      return "the key's rate limit is exceeded";
    case core::Outcome::kUsageExceeded:
      return "the key has no remaining uses";
    case core::Outcome::kValid:
      break;
  }
  return "";
}

std::string_view Title(int status) {
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 429:
      return "Too Many Requests";
    default:
      return "Error";
  }
}

}  // namespace

bool Api::IsTrustedProxy(std::string_view ip) const {
  if (trusted_proxies_.empty()) return false;
  auto addr = core::IpAddress::Parse(ip);
  return addr && trusted_proxies_.Contains(*addr);
}

std::string Api::ClientIp(const http::Request& req) const {
  if (!IsTrustedProxy(req.peer_ip)) return req.peer_ip;
  // Walk X-Forwarded-For from the right: the first address that is not one of our
  // own proxies is the client. Addresses left of it could be forged by the client.
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : req.headers) {
    if (!http::HeaderNameEquals(name, "X-Forwarded-For")) continue;
    std::string_view v = value;
    while (!v.empty()) {
      size_t comma = v.find(',');
      std::string_view hop = v.substr(0, comma);
      while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
      while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
      if (!hop.empty()) hops.push_back(hop);
      v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto addr = core::IpAddress::Parse(*it);
    if (!addr) break;  // garbage: stop trusting the header here
    if (!trusted_proxies_.Contains(*addr)) return addr->ToString();
  }
  return req.peer_ip;
}

std::int64_t Api::ThrottleWait(std::string_view ip) const {
  const auto addr = core::IpAddress::Parse(ip);
  // A trusted proxy speaks for many clients: throttling it would lock them all out.
  if (!addr || trusted_proxies_.Contains(*addr)) return 0;
  return throttle_.Blocked(*addr);
}

core::Decision Api::VerifyAndRecord(std::string_view key,
                                    std::span<const std::string> scopes,
                                    const std::string& ip) {
  core::Decision d = app_.verifier().Verify({key, scopes, ip});
  app_.policies().Report(d);  // RateLimit fields for keys refused before the limiter
  RecordUsage(d, ip);
  if (core::OutcomeHttpStatus(d.outcome) == 401) {
    const auto addr = core::IpAddress::Parse(ip);
    if (addr && !trusted_proxies_.Contains(*addr)) throttle_.RecordFailure(*addr);
  }
  return d;
}

nlohmann::json Api::KeyObject(const KeyRecord& key, UnixSeconds now) const {
  nlohmann::json out = KeyJson(key, now, app_.policies().table().tiers());
  if (key.remaining_uses) out["remaining_uses"] = *app_.policies().LiveRemaining(key);
  return out;
}

void Api::RecordUsage(const core::Decision& d, const std::string& ip) {
  metrics_.CountVerification(core::OutcomeName(d.outcome));
  if (!d.key) return;
  usage_.Record(store::UsageEvent{d.key->id, app_.clock().Now(), ip,
                                  std::string(core::OutcomeName(d.outcome))});
}

http::Response Api::Denial(const core::Decision& d, bool credential_presented) {
  const int status = core::OutcomeHttpStatus(d.outcome);
  http::Response resp =
      Problem(status, ProblemCode(d.outcome), Title(status), Detail(d.outcome),
              core::OutcomeName(d.outcome), {},
              status == 429 ? kQuotaExceededType : std::string_view("about:blank"));
  if (status == 429) {
    resp.Set("Retry-After", std::to_string(RetryAfterSeconds(d)));
  } else if (status == 401) {
    resp.Set("WWW-Authenticate", credential_presented
                                     ? "Bearer realm=\"keyward\", error=\"invalid_token\""
                                     : "Bearer realm=\"keyward\"");
  } else if (d.outcome == core::Outcome::kInsufficientScope) {
    resp.Set("WWW-Authenticate",
             "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"" +
                 d.missing_scope + "\"");
  }
  return resp;
}

std::optional<http::Response> Api::Authenticate(Call& call,
                                                std::span<const std::string> required) {
  Credential cred;
  ExtractCredential(call.req, call.target, app_.config().allow_query_keys, cred);
  if (cred.conflict) {
    return Problem(400, "conflicting_credentials", "Bad Request",
                   "the request presents two different API keys");
  }
  if (!cred.present) {
    http::Response resp = Problem(401, "missing_token", "Unauthorized",
                                  "an API key is required (Authorization: Bearer <key>)");
    resp.Set("WWW-Authenticate", "Bearer realm=\"keyward\"");
    return resp;
  }
  if (const std::int64_t wait = ThrottleWait(call.client_ip); wait > 0) {
    http::Response resp =
        Problem(429, "rate_limited", "Too Many Requests",
                "too many failed authentications from this address; retry later",
                core::OutcomeName(core::Outcome::kRateLimited), {}, kQuotaExceededType);
    resp.Set("Retry-After", std::to_string(wait));
    return resp;
  }
  call.decision = VerifyAndRecord(cred.key, required, call.client_ip);
  if (call.decision.outcome != core::Outcome::kValid) return Denial(call.decision, true);

  service::Actor actor;
  actor.key = call.decision.key;
  actor.key_scopes = call.decision.effective_scopes;
  actor.ip = call.client_ip;
  const KeyRecord& key = *call.decision.key;
  if (key.kind == KeyKind::kUser) {
    actor.user = call.decision.owner;
  } else {
    // An organization key acts as an org admin of its org, bounded by its scopes.
    auto synthetic = std::make_shared<UserRecord>();
    synthetic->id = key.created_by;
    synthetic->username = "org-key:" + key.display_prefix;
    synthetic->org_id = key.org_id;
    synthetic->role = Role::kOrgAdmin;
    synthetic->permissions = key.scopes;
    actor.user = std::move(synthetic);
  }
  if (!actor.user) {
    core::Decision owner_gone;
    owner_gone.outcome = core::Outcome::kOwnerDisabled;
    return Denial(owner_gone, true);
  }
  call.actor = std::move(actor);
  return std::nullopt;
}

}  // namespace keyward::api
