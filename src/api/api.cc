#include "keyward/api/api.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "keyward/api/json_body.h"
#include "keyward/api/problem.h"
#include "keyward/api/rate_limit_fields.h"

namespace keyward::api {

Api::Api(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics,
         service::AuditSink* audit)
    : app_(app),
      usage_(usage),
      metrics_(metrics),
      audit_(audit ? *audit : log_audit_),
      keys_(app, &audit_),
      users_(app, &audit_),
      orgs_(app, &audit_),
      audit_query_(app),
      trusted_proxies_(
          core::CidrList::Parse(app.config().trusted_proxies).value_or(core::CidrList())),
      throttle_(app.config().failed_auth_per_minute, 60 * core::kNanosPerSecond,
                app.mono_clock()),
      cors_(app.config().cors_allowed_origins) {
  routes_ = {
      {"GET", "/healthz", &Api::Healthz},
      {"GET", "/readyz", &Api::Readyz},
      {"GET", "/metrics", &Api::MetricsText},
      {"POST", "/v1/verify", &Api::Verify},
      {"GET", "/v1/me", &Api::Me},
      {"POST", "/v1/keys", &Api::CreateKey},
      {"GET", "/v1/keys", &Api::ListKeys},
      {"GET", "/v1/keys/{id}", &Api::GetKey},
      {"PATCH", "/v1/keys/{id}", &Api::PatchKey},
      {"DELETE", "/v1/keys/{id}", &Api::RevokeKey},
      {"POST", "/v1/keys/{id}/rotate", &Api::RotateKey},
      {"GET", "/v1/keys/{id}/usage", &Api::KeyUsage},
      {"POST", "/v1/orgs", &Api::CreateOrg},
      {"GET", "/v1/orgs", &Api::ListOrgs},
      {"GET", "/v1/orgs/{id}", &Api::GetOrg},
      {"PATCH", "/v1/orgs/{id}", &Api::PatchOrg},
      {"DELETE", "/v1/orgs/{id}", &Api::DeleteOrg},
      {"POST", "/v1/users", &Api::CreateUser},
      {"GET", "/v1/users", &Api::ListUsers},
      {"GET", "/v1/users/{id}", &Api::GetUser},
      {"PATCH", "/v1/users/{id}", &Api::PatchUser},
      {"DELETE", "/v1/users/{id}", &Api::DeleteUser},
      {"GET", "/v1/audit", &Api::ListAudit},
  };
}

namespace {

// Matches "/v1/keys/{id}" against a raw (still encoded) path, segment by segment;
// each segment is decoded on its own, so "a%2Frotate" is one segment "a/rotate".
// `id` receives the decoded {id} segment.
bool MatchPattern(std::string_view pattern, std::string_view path, std::string& id) {
  while (!pattern.empty() && !path.empty()) {
    if (pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pe = pattern.find('/');
    const size_t se = path.find('/');
    std::string_view pseg = pattern.substr(0, pe);
    const auto seg = PercentDecode(path.substr(0, se), false);
    if (!seg) return false;
    if (pseg == "{id}") {
      if (seg->empty()) return false;
      id = *seg;
    } else if (pseg != *seg) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view() : path.substr(se);
  }
  return pattern.empty() && path.empty();
}

}  // namespace

bool Api::MayBlock(const http::Request& req) {
  std::string_view path = req.target;
  path = path.substr(0, path.find('?'));
  if (path == "/v1/verify" || path == "/healthz" || path == "/readyz" ||
      path == "/metrics") {
    return false;
  }
  return !IsForwardAuthPath(path);
}

http::Response Api::Handle(const http::Request& req) {
  const auto start = std::chrono::steady_clock::now();
  std::string_view route_name = "unmatched";
  http::Response resp;
  auto target = ParseTarget(req.target);
  if (!target) {
    resp = Problem(400, "bad_request", "Bad Request", "malformed request target");
  } else {
    Call call{req, std::move(*target), {}, ClientIp(req), std::nullopt, {}, nullptr};
    try {
      resp = Dispatch(call, route_name);
    } catch (const std::exception& e) {
      resp = ErrorResponse(Error::Internal(std::string("handler threw: ") + e.what()));
    }
    // Every response about a known key tells its rate-limit state.
    if (call.decision.ratelimit) SetRateLimitFields(*call.decision.ratelimit, resp);
  }
  if (req.method != "OPTIONS") cors_.AddActual(req, resp);
  if (req.target.rfind("/v1/", 0) == 0) {
    // Responses may carry key material or key metadata: never cache them.
    resp.Set("Cache-Control", "no-store, private");
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.ObserveRequest(route_name, resp.status, secs);
  return resp;
}

http::Response Api::Dispatch(Call& call, std::string_view& route_name) {
  // Forward auth takes any method and any path below it, so it is not in routes_.
  if (IsForwardAuthPath(call.target.path)) {
    route_name = "/v1/auth";
    return ForwardAuth(call);
  }
  std::string allow;
  for (const Route& r : routes_) {
    std::string id;
    if (!MatchPattern(r.pattern, call.target.raw_path, id)) continue;
    if (call.req.method == "OPTIONS") route_name = r.pattern;
    if (r.method == call.req.method || (r.method == "GET" && call.req.method == "HEAD")) {
      route_name = r.pattern;
      call.id = std::move(id);
      if (auto bad = ParseRequestBody(call)) return std::move(*bad);
      http::Response resp = (this->*r.handler)(call);
      if (resp.status == 401 || resp.status == 403) AuditRefusal(call, r.pattern, resp);
      return resp;
    }
    allow += (allow.empty() ? "" : ", ") + std::string(r.method);
  }
  // OPTIONS is answered for every route here, before the 405 below, so browsers'
  // CORS preflights reach it.
  if (!allow.empty() && call.req.method == "OPTIONS") return Options(call, allow);
  if (!allow.empty()) {
    route_name = "method_not_allowed";
    http::Response resp =
        Problem(405, "method_not_allowed", "Method Not Allowed",
                call.req.method + " is not allowed here; allowed: " + allow);
    resp.Set("Allow", allow);
    return resp;
  }
  return Problem(404, "not_found", "Not Found", "no such route");
}

http::Response Api::Options(const Call& call, const std::string& allow) const {
  http::Response resp;
  resp.status = 204;
  resp.Set("Allow", allow + ", OPTIONS");
  cors_.AddPreflight(call.req, allow + ", OPTIONS", resp);
  return resp;
}

std::optional<nlohmann::json> Api::ParseBody(const Call& call,
                                             http::Response& error) const {
  if (!call.body) {
    error = Problem(400, "malformed_json", "Bad Request",
                    "the request body is empty; a JSON object is required");
    return std::nullopt;
  }
  return *call.body;
}

std::optional<http::Response> Api::ParseRequestBody(Call& call) const {
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
  return Problem(400, "malformed_json", "Bad Request",
                 "the request body is not valid JSON");
}

}  // namespace keyward::api
