// Authentication of a presented key (gate.h): the same Verifier as /v1/verify,
// with the route's scopes as the required scopes; and the failed-authentication
// throttle, shared by every path that reads a key.
#include "keyward/api/gate.h"

#include "keyward/api/console_session.h"
#include "keyward/api/credentials.h"
#include "keyward/api/problem.h"
#include "keyward/api/rate_limit_fields.h"
#include "keyward/core/scope.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/app.h"
#include "keyward/service/console_auth.h"
#include "keyward/usage/usage_writer.h"

namespace keyward::api {

Gate::Gate(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics,
           service::ConsoleAuth* console)
    : app_(app),
      usage_(usage),
      metrics_(metrics),
      trusted_proxies_(
          core::CidrList::Parse(app.config().trusted_proxies).value_or(core::CidrList())),
      throttle_(app.config().failed_auth_per_minute,
                kThrottleWindowSeconds * core::kNanosPerSecond, app.mono_clock()),
      console_(console) {}

void Gate::RecordFailure(std::string_view ip) {
  const auto addr = core::IpAddress::Parse(ip);
  if (addr && !trusted_proxies_.Contains(*addr)) CountFailure(*addr);
}

void Gate::CountFailure(const core::IpAddress& addr) {
  // Counted here too, so a fallback to local counting starts from what this
  // replica saw rather than from nothing.
  throttle_.RecordFailure(addr);
  if (core::LimitBackend* shared = app_.policies().shared()) {
    shared->ThrottleRecord(core::AuthThrottle::BlockName(addr), kThrottleWindowSeconds);
  }
}

std::optional<std::variant<service::Actor, Reply>> Gate::AuthenticateSession(
    Call& call, std::span<const std::string> required) {
  if (!console_ || !app_.config().console_enabled) return std::nullopt;
  const auto token = SessionCookie(call.req);
  if (!token) return std::nullopt;
  auto session = console_->Resolve(*token);
  if (!session.ok()) return Reply(session.error());
  if (!*session) {
    Reply resp =
        Problem(401, "session_expired", "the console session has ended; sign in again");
    return resp;
  }
  const service::ConsoleSession& live = **session;
  // The same scope matching as a key's: the user's permissions play the key's
  // effective scopes, so the console never grants more than the user holds.
  if (auto missing = core::FirstMissingScope(live.user->permissions, required)) {
    Reply resp =
        Problem(403, "insufficient_scope", "your permissions do not include " + *missing,
                core::OutcomeName(core::Outcome::kInsufficientScope));
    return resp;
  }
  if (!IsSafeMethod(call.req.method) && !CsrfMatches(call.req, live.csrf_token)) {
    return Reply(Problem(403, "csrf_failed",
                         "a console request that changes something needs the "
                         "session's X-CSRF-Token header"));
  }
  return service::ConsoleAuth::ActorFor(live, call.client_ip);
}

bool Gate::IsTrustedProxy(std::string_view ip) const {
  if (trusted_proxies_.empty()) return false;
  auto addr = core::IpAddress::Parse(ip);
  return addr && trusted_proxies_.Contains(*addr);
}

std::string Gate::ClientIp(const http::Request& req) const {
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

std::int64_t Gate::ThrottleWait(std::string_view ip) const {
  const auto addr = core::IpAddress::Parse(ip);
  // A trusted proxy speaks for many clients: throttling it would lock them all out.
  if (!addr || trusted_proxies_.Contains(*addr)) return 0;
  if (core::LimitBackend* shared = app_.policies().shared()) {
    const auto wait = shared->ThrottleWait(core::AuthThrottle::BlockName(*addr),
                                           app_.config().failed_auth_per_minute,
                                           kThrottleWindowSeconds);
    if (wait) return *wait;
    if (app_.policies().shared_error_mode() == core::BackendErrorMode::kDeny) return 1;
  }
  return throttle_.Blocked(*addr);
}

core::Decision Gate::VerifyAndRecord(std::string_view key,
                                     std::span<const std::string> scopes,
                                     const std::string& ip) {
  core::Decision d = app_.verifier().Verify({key, scopes, ip});
  app_.policies().Report(d);  // RateLimit fields for keys refused before the limiter
  metrics_.CountVerification(core::OutcomeName(d.outcome));
  if (d.key) {
    const UnixSeconds now = app_.clock().Now();
    usage_.Record(d.key->id, now, ip, core::OutcomeName(d.outcome));
    // What the store records as the last use (only VALID ones), live: answers
    // rendered from the record show it before the batch is written (last_use_cell.h).
    if (d.outcome == core::Outcome::kValid && d.runtime && d.runtime->last_use) {
      d.runtime->last_use->Note(now, ip);
    }
  }
  if (core::OutcomeHttpStatus(d.outcome) == 401) {
    const auto addr = core::IpAddress::Parse(ip);
    if (addr && !trusted_proxies_.Contains(*addr)) CountFailure(*addr);
  }
  return d;
}

namespace {

Reply MissingToken() {
  Reply resp = Problem(401, "missing_token",
                       "an API key is required (Authorization: Bearer <key>)");
  resp.Set("WWW-Authenticate", "Bearer realm=\"keyward\"");
  return resp;
}

}  // namespace

std::optional<Reply> Gate::CheckKey(Call& call, std::span<const std::string> required,
                                    const Credential& cred) {
  if (const std::int64_t wait = ThrottleWait(call.client_ip); wait > 0) {
    Reply resp =
        Problem(429, "rate_limited",
                "too many failed authentications from this address; retry later",
                core::OutcomeName(core::Outcome::kRateLimited), {}, kQuotaExceededType);
    resp.Set("Retry-After", std::to_string(wait));
    return resp;
  }
  call.key_from_query = cred.from_query;
  call.decision = VerifyAndRecord(cred.key, required, call.client_ip);
  if (call.decision.outcome != core::Outcome::kValid) {
    return OutcomeProblem(call.decision.outcome, call.decision.missing_scope,
                          RetryAfterSeconds(call.decision));
  }
  // A user key acts as its owner, whom the verifier found active; without one it
  // cannot act at all (fail closed).
  if (call.decision.key->kind == KeyKind::kUser && !call.decision.owner) {
    return OutcomeProblem(core::Outcome::kOwnerDisabled, {}, 0);
  }
  return std::nullopt;
}

std::optional<Reply> Gate::AuthenticateKey(Call& call,
                                           std::span<const std::string> required) {
  Credential cred;
  ExtractCredential(call.req, call.target, app_.config().allow_query_keys, cred);
  if (cred.conflict) {
    return Problem(400, "conflicting_credentials",
                   "the request presents two different API keys");
  }
  if (!cred.present) return MissingToken();
  return CheckKey(call, required, cred);
}

std::variant<service::Actor, Reply> Gate::Authenticate(
    Call& call, std::span<const std::string> required) {
  Credential cred;
  ExtractCredential(call.req, call.target, app_.config().allow_query_keys, cred);
  if (cred.conflict) {
    return Problem(400, "conflicting_credentials",
                   "the request presents two different API keys");
  }
  if (!cred.present) {
    if (auto by_session = AuthenticateSession(call, required)) return *by_session;
    return MissingToken();
  }
  if (auto refused = CheckKey(call, required, cred)) return std::move(*refused);

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
  return actor;
}

}  // namespace keyward::api
