#include "keyward/api/api.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "keyward/api/json_body.h"
#include "keyward/api/problem.h"
#include "keyward/api/rate_limit_fields.h"
#include "keyward/api/routes.h"
#include "keyward/api/verify_body.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/app.h"

namespace keyward::api {
namespace {

bool Matches(const Route& r, const Target& target, std::string& id) {
  if (r.method == "*") return IsForwardAuthPath(target.path);
  // A pattern without a parameter, against a path without escapes: matching segment
  // by segment is then string equality (the hot routes come before /v1/auth).
  if (r.pattern.find('{') == std::string_view::npos &&
      target.raw_path.find('%') == std::string::npos) {
    return r.pattern == target.raw_path;
  }
  return MatchPattern(r.pattern, target.raw_path, id);
}

// Keys and key metadata must never be cached: every /v1/ answer (as routed, so
// "/%761/keys" too) and any answer to a key presented in the query.
// The console's session answers carry its CSRF token: never cached either.
bool NoStore(const http::Request& req, const Target* target, bool key_from_query) {
  return key_from_query || req.target.starts_with("/v1/") ||
         req.target.starts_with("/console/session") ||
         (target && (target->path.starts_with("/v1/") ||
                     target->path.starts_with("/console/session")));
}

// OPTIONS: 204 with Allow (and the CORS preflight fields for allowed origins).
Reply Options(const Call& call, const CorsPolicy& cors, const std::string& allow) {
  http::Response resp;
  resp.status = 204;
  resp.Set("Allow", allow + ", OPTIONS");
  cors.AddPreflight(call.req, allow + ", OPTIONS", resp);
  return resp;
}

// Runs every request body through ParseJsonBody before a handler sees it: the
// 400/422 to send when it is malformed or nested too deep.
std::optional<Reply> ParseRequestBody(Call& call) {
  if (call.req.body.empty()) return std::nullopt;
  auto parsed = std::make_shared<nlohmann::json>();
  switch (ParseJsonBody(call.req.body, *parsed)) {
    case JsonBodyError::kNone:
      call.body = std::move(parsed);
      return std::nullopt;
    case JsonBodyError::kEmpty:
      return std::nullopt;
    case JsonBodyError::kTooDeep:
      return ErrorResponse(Error::Validation("(body)", "JSON nested deeper than " +
                                                           std::to_string(kMaxJsonDepth) +
                                                           " levels is refused"));
    case JsonBodyError::kMalformed:
      break;
  }
  return Problem(400, "malformed_json", "the request body is not valid JSON");
}

// POST /v1/verify reads its common body shape without a DOM (verify_body.h). Only
// a body the scanner is sure of skips ParseRequestBody, and such a body would have
// parsed there, so every 400/422 and its precedence over the 503 stay as they were.
bool ScanVerifyRequest(const Route& route, Call& call) {
  if (route.open != &Verify) return false;
  call.verify_fields = ScanVerifyBody(call.req.body);
  return call.verify_fields.has_value();
}

// Before the index is loaded only liveness, readiness and open metrics answer: a
// verification would refuse valid keys, and an admin call would act on a partial view.
bool AnswersBeforeReady(const Route& route, bool needs_key) {
  return !needs_key && (route.pattern == "/healthz" || route.pattern == "/readyz" ||
                        route.pattern == "/metrics");
}

}  // namespace

const nlohmann::json* RequireBody(const Call& call, Reply& error) {
  if (!call.body) {
    error = Problem(400, "malformed_json",
                    "the request body is empty; a JSON object is required");
    return nullptr;
  }
  return call.body.get();
}

Api::Api(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics,
         service::AuditSink* audit)
    : app_(app),
      metrics_(metrics),
      audit_(audit ? *audit : log_audit_),
      keys_(app, &audit_),
      users_(app, &audit_),
      orgs_(app, &audit_),
      audit_query_(app),
      console_(app, &audit_),
      gate_(app, usage, metrics, &console_),
      cors_(app.config().cors_allowed_origins),
      services_{app, keys_, users_, orgs_, audit_query_, console_, metrics, gate_} {}

std::vector<Api::RouteInfo> Api::RouteTable() {
  std::vector<RouteInfo> out;
  for (const Route& r : Routes()) out.push_back({r.method, r.pattern});
  return out;
}

bool Api::MayBlock(const http::Request& req) {
  std::string_view path = req.target;
  path = path.substr(0, path.find('?'));
  if (path.find('%') == std::string_view::npos) {
    // The common case, without allocating: no escapes, so raw is decoded.
    for (const Route& r : Routes()) {
      if (!r.inline_path) continue;
      if (r.method == "*" ? IsForwardAuthPath(path) : r.pattern == path) return false;
    }
    return true;
  }
  // Escaped paths are matched exactly as Dispatch will match them ("/v1/%76erify"
  // is /v1/verify and must not wait behind admin work).
  auto target = ParseTarget(req.target);
  if (!target) return false;  // answered 400 at once
  for (const Route& r : Routes()) {
    std::string id;
    if (Matches(r, *target, id)) return !r.inline_path;
  }
  return false;  // 404
}

http::Response Api::Handle(const http::Request& req) {
  const auto start = std::chrono::steady_clock::now();
  std::string_view route_name = "unmatched";
  Reply reply;
  auto target = ParseTarget(req.target);
  if (!target) {
    reply = Problem(400, "bad_request",
                    "malformed request target: a bad percent escape, an escape that "
                    "decodes to NUL or to bytes that are not UTF-8, or more than " +
                        std::to_string(kMaxQueryParams) + " query parameters");
  } else {
    Call call{req,   std::move(*target), {}, gate_.ClientIp(req), {}, nullptr,
              false, std::nullopt};
    try {
      reply = Dispatch(call, route_name);
    } catch (const std::exception& e) {
      reply = ErrorResponse(Error::Internal(std::string("handler threw: ") + e.what()));
    }
    // Every response about a known key tells its rate-limit state.
    if (call.decision.ratelimit) {
      SetRateLimitFields(*call.decision.ratelimit, reply.response);
    }
    if (NoStore(req, &call.target, call.key_from_query)) {
      reply.Set("Cache-Control", "no-store, private");
    }
  }
  http::Response& resp = reply.response;
  if (req.method != "OPTIONS") cors_.AddActual(req, resp);
  if (!target && NoStore(req, nullptr, false)) {
    resp.Set("Cache-Control", "no-store, private");
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.ObserveRequest(route_name, resp.status, secs);
  return std::move(resp);
}

Reply Api::Dispatch(Call& call, std::string_view& route_name) {
  std::string allow;
  for (const Route& r : Routes()) {
    std::string id;
    if (!Matches(r, call.target, id)) continue;
    if (call.req.method == "OPTIONS") route_name = r.pattern;
    if (r.method == "*" || r.method == call.req.method ||
        (r.method == "GET" && call.req.method == "HEAD")) {
      route_name = r.method == "*" ? std::string_view("/v1/auth") : r.pattern;
      call.id = std::move(id);
      // Forward auth judges the key of a copy of the client's request, whose body
      // (a form, a file) is the client's business: it is never parsed.
      if (r.method != "*" && !(verify_fast_path_ && ScanVerifyRequest(r, call))) {
        if (auto bad = ParseRequestBody(call)) return std::move(*bad);
      }
      return Run(r, call);
    }
    allow += (allow.empty() ? "" : ", ") + std::string(r.method);
  }
  // OPTIONS is answered for every route here, before the 405 below, so browsers'
  // CORS preflights reach it.
  if (!allow.empty() && call.req.method == "OPTIONS") return Options(call, cors_, allow);
  if (!allow.empty()) {
    route_name = "method_not_allowed";
    Reply resp = Problem(405, "method_not_allowed",
                         call.req.method + " is not allowed here; allowed: " + allow);
    resp.Set("Allow", allow);
    return resp;
  }
  return Problem(404, "not_found", "no such route");
}

Reply Api::Run(const Route& route, Call& call) {
  const bool needs_key =
      route.access == Access::kKey ||
      (route.access == Access::kMetrics && app_.config().metrics_require_auth);
  if (!app_.ready() && !AnswersBeforeReady(route, needs_key)) {
    Reply loading = Problem(503, "not_ready", "the key index is still loading; retry");
    loading.Set("Retry-After", "1");
    return loading;
  }
  std::optional<service::Actor> actor;
  Reply reply;
  if (needs_key) {
    auto auth = gate_.Authenticate(call, route.scopes);
    if (auto* refused = std::get_if<Reply>(&auth)) {
      reply = std::move(*refused);
    } else {
      actor = std::move(std::get<service::Actor>(auth));
    }
  }
  if (!needs_key || actor) {
    reply =
        route.keyed ? route.keyed(call, *actor, services_) : route.open(call, services_);
  }
  const int status = reply.real_status != 0 ? reply.real_status : reply.status();
  if (status == 401 || status == 403) {
    AuditRefusal(audit_, app_.clock().Now(), call, actor ? &*actor : nullptr, route,
                 reply);
  }
  return reply;
}

}  // namespace keyward::api
