// /v1/auth and /v1/auth/*: forward auth for gateways (contract section 4.2).
//
// The gateway sends (a copy of) the client's request with its credential headers;
// the answer is 200 with the key's identity in X-Keyward-* headers, or the denial
// an admin call would get. Gateways differ in what they pass on and in what the
// client can smuggle through them, so the gateway names itself (X-Keyward-Gateway
// header, else ?gateway=) and keyward reads the original request only from what
// that gateway itself sets (docs/gateways.md):
//   nginx    X-Original-Method/URI. auth_request turns every status but 2xx/401/403
//            into 500, so other denials (429, 400) are sent as 403; X-Keyward-Status
//            always carries the real status for the nginx config to restore.
//   traefik  X-Forwarded-Method/Uri.
//   envoy    ext_authz appends the client's own path and query to /v1/auth: the path
//            is the original URI, and the query, being the client's, never chooses
//            the required scope.
//   (none)   X-Original-*, else X-Forwarded-*, else the path below /v1/auth.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyward/api/api.h"
#include "keyward/api/problem.h"
#include "keyward/api/route_rules.h"
#include "keyward/core/scope.h"

namespace keyward::api {
namespace {

constexpr std::string_view kAuthPath = "/v1/auth";

std::string_view HeaderOr(const http::Request& req, std::string_view first,
                          std::string_view second) {
  if (auto v = req.Header(first)) return *v;
  if (!second.empty()) {
    if (auto v = req.Header(second)) return *v;
  }
  return {};
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

}  // namespace

bool Api::IsForwardAuthPath(std::string_view path) {
  return path == kAuthPath ||
         (path.starts_with(kAuthPath) && path.size() > kAuthPath.size() &&
          path[kAuthPath.size()] == '/');
}

std::optional<std::vector<std::string>> Api::ForwardAuthScopes(const Call& call,
                                                               std::string_view gateway,
                                                               http::Response& error) {
  const bool envoy = gateway == "envoy";
  if (!envoy) {
    std::vector<std::string> scopes = call.target.QueryAll("scope");
    for (const std::string& s : scopes) {
      if (!core::IsValidScope(s)) {
        error = Problem(400, "bad_request", "Bad Request",
                        "scope must be a scope such as logs:read");
        return std::nullopt;
      }
    }
    if (!scopes.empty()) return scopes;
  }
  // No explicit scope: the first config route matching the original request.
  std::string_view method, uri_header;
  if (gateway == "nginx") {
    method = HeaderOr(call.req, "X-Original-Method", {});
    uri_header = HeaderOr(call.req, "X-Original-URI", {});
  } else if (gateway == "traefik") {
    method = HeaderOr(call.req, "X-Forwarded-Method", {});
    uri_header = HeaderOr(call.req, "X-Forwarded-Uri", {});
  } else if (!envoy) {
    method = HeaderOr(call.req, "X-Original-Method", "X-Forwarded-Method");
    uri_header = HeaderOr(call.req, "X-Original-URI", "X-Forwarded-Uri");
  }
  if (method.empty()) method = call.req.method;
  std::string uri(uri_header);
  if (uri.empty() && call.target.path.size() > kAuthPath.size()) {
    // Envoy-style: the gateway appended the original path to /v1/auth. (Without a
    // URI at all, as on plain /v1/auth, no route can match.)
    uri = call.target.path.substr(kAuthPath.size());
  }
  const config::RouteRule* rule =
      uri.empty() ? nullptr : FindRouteRule(app_.config().routes, method, uri);
  // Nothing matched: any valid key passes (documented in docs/gateways.md).
  if (!rule) return std::vector<std::string>();
  return std::vector<std::string>{rule->scope};
}

http::Response Api::ForwardAuth(Call& call) {
  std::string gateway(call.req.Header("X-Keyward-Gateway").value_or(""));
  if (gateway.empty()) gateway = call.target.Query("gateway").value_or("");
  http::Response resp;
  std::optional<std::vector<std::string>> scopes;
  if (gateway.empty() || gateway == "nginx" || gateway == "traefik" ||
      gateway == "envoy") {
    scopes = ForwardAuthScopes(call, gateway, resp);
  } else {
    // A misspelt gateway must not quietly fall back to reading other headers.
    resp = Problem(400, "bad_request", "Bad Request",
                   "gateway must be nginx, traefik or envoy");
  }
  if (scopes) {
    if (auto denied = Authenticate(call, *scopes)) {
      resp = std::move(*denied);
    } else {
      const KeyRecord& key = *call.decision.key;
      resp = JsonResponse(200, {{"valid", true}, {"code", "VALID"}});
      resp.Set("X-Keyward-Key-Id", key.id);
      resp.Set("X-Keyward-Owner", key.owner_user_id.value_or(""));
      resp.Set("X-Keyward-Org", key.org_id);
      resp.Set("X-Keyward-Scopes", Join(call.decision.effective_scopes));
    }
  }
  if (resp.status == 401 || resp.status == 403) AuditRefusal(call, kAuthPath, resp);
  resp.Set("X-Keyward-Status", std::to_string(resp.status));
  if (gateway == "nginx" && resp.status != 200 && resp.status != 401 &&
      resp.status != 403) {
    resp.status = 403;  // the real status is in X-Keyward-Status
  }
  return resp;
}

}  // namespace keyward::api
