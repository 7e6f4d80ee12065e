// /v1/auth and /v1/auth/*: forward auth for gateways (contract section 4.2).
//
// The gateway sends (a copy of) the client's request with its credential headers;
// the answer is 200 with the key's identity in X-Keyward-* headers, or the denial
// an admin call would get. Gateways differ in what they pass on, and several copy
// the client's own headers along, so a client can add an X-Original-URI of its
// choosing. keyward therefore reads the original method and URI only from the
// headers the configured gateway (`forward_auth.gateway`) sets itself:
//   nginx    X-Original-Method/URI. auth_request turns every status but 2xx/401/403
//            into 500, so other denials (429, 400) are sent as 403; X-Keyward-Status
//            always carries the real status for the nginx config to restore.
//   caddy,   X-Forwarded-Method/Uri (both gateways set these and pass the client's
//   traefik  other headers on).
//   envoy    ext_authz appends the client's own path and query to /v1/auth: the path
//            is the original URI, and the query, being the client's, never chooses
//            the required scope.
//   auto     (default) a per-request name (X-Keyward-Gateway header, ?gateway=)
//            may pick one of the above; without one, X-Original-* or X-Forwarded-*.
//            In auto, a request carrying both forms is refused (400), never guessed.
// In every mode a header read twice is refused (400). The URI is brought to normal
// form (uri_normalizer.h) before route matching; when routes are configured and
// none matches, the answer is 403 no_matching_route (fail closed).
#include <charconv>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyward/api/fast_json.h"
#include "keyward/api/gate.h"
#include "keyward/api/handlers.h"
#include "keyward/api/problem.h"
#include "keyward/api/route_rules.h"
#include "keyward/api/uri_normalizer.h"
#include "keyward/core/scope.h"
#include "keyward/service/app.h"

namespace keyward::api {
namespace {

constexpr std::string_view kAuthPath = "/v1/auth";

std::string Join(const std::vector<std::string>& parts) {
  std::size_t size = parts.size();
  for (const std::string& p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (const std::string& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

size_t HeaderCount(const http::Request& req, std::string_view name) {
  size_t n = 0;
  for (const auto& [k, v] : req.headers) n += http::HeaderNameEquals(k, name) ? 1 : 0;
  return n;
}

bool KnownGateway(std::string_view g) {
  return g == "nginx" || g == "caddy" || g == "traefik" || g == "envoy";
}

Reply BadRequest(std::string detail) { return Problem(400, "bad_request", detail); }

// The original request as the gateway reported it.
struct Original {
  std::string method;
  std::string uri;  // raw, as the header (or the envoy path) carried it; may be empty
};

// Reads the original method and URI for `gateway` (never "auto" here: already
// resolved to a name or ""); nullopt with `error` set when the request is ambiguous.
std::optional<Original> ReadOriginal(const Call& call, std::string_view gateway,
                                     bool auto_mode, Reply& error) {
  static constexpr std::string_view kOriginal[] = {"X-Original-Method", "X-Original-URI"};
  static constexpr std::string_view kForwarded[] = {"X-Forwarded-Method",
                                                    "X-Forwarded-Uri"};
  const http::Request& req = call.req;
  bool has_original = false, has_forwarded = false;
  for (int i = 0; i < 2; ++i) {
    const size_t o = HeaderCount(req, kOriginal[i]), f = HeaderCount(req, kForwarded[i]);
    has_original = has_original || o > 0;
    has_forwarded = has_forwarded || f > 0;
    const bool reads_original = gateway == "nginx" || (gateway.empty() && o > 0);
    const bool reads_forwarded =
        gateway == "caddy" || gateway == "traefik" || (gateway.empty() && f > 0);
    if ((reads_original && o > 1) || (reads_forwarded && f > 1)) {
      error = BadRequest("the original request is named twice (" +
                         std::string(o > 1 ? kOriginal[i] : kForwarded[i]) + ")");
      return std::nullopt;
    }
  }
  if (auto_mode && has_original && has_forwarded) {
    error = BadRequest(
        "the request carries both X-Original-* and X-Forwarded-* headers; set "
        "forward_auth.gateway to say which gateway is in front");
    return std::nullopt;
  }
  Original out;
  const std::string_view* names = nullptr;
  if (gateway == "nginx" || (gateway.empty() && has_original)) {
    names = kOriginal;
  } else if (gateway == "caddy" || gateway == "traefik" ||
             (gateway.empty() && has_forwarded)) {
    names = kForwarded;
  }
  if (names) {
    out.method = std::string(req.Header(names[0]).value_or(""));
    out.uri = std::string(req.Header(names[1]).value_or(""));
  }
  if (out.method.empty()) out.method = req.method;
  if (out.uri.empty() && (gateway == "envoy" || gateway.empty()) &&
      call.target.raw_path.size() > kAuthPath.size()) {
    // Envoy-style: the gateway appended the original path to /v1/auth. The raw
    // (still encoded) path, so the normaliser sees an encoded '/' as such.
    out.uri = call.target.raw_path.substr(kAuthPath.size());
  }
  return out;
}

}  // namespace

bool IsForwardAuthPath(std::string_view path) {
  return path == kAuthPath ||
         (path.starts_with(kAuthPath) && path.size() > kAuthPath.size() &&
          path[kAuthPath.size()] == '/');
}

namespace {

// The scopes a forward-auth request needs: ?scope= (unless the gateway is envoy or
// caddy, which may pass the client's query on), plus the first config route matching
// the original method and URI as `gateway` reports them. nullopt with `error` set
// when the request is malformed, ambiguous or matches no route.
std::optional<QueryValues> ForwardAuthScopes(const Call& call, const service::App& app,
                                             std::string_view gateway, Reply& error) {
  const bool auto_mode = app.config().forward_auth_gateway == "auto";
  // ?scope= of the auth request. Envoy and Caddy may append the client's own query
  // to it, so there it is not read at all; elsewhere it can only add to what the
  // routes require (below), never replace it, so a client-chosen ?scope= gains
  // nothing even where a gateway passes one through.
  QueryValues scopes;
  if (gateway != "envoy" && gateway != "caddy") {
    scopes = call.target.QueryAll("scope");
    for (const std::string& s : scopes) {
      if (!core::IsValidScope(s)) {
        error = BadRequest("scope must be a scope such as logs:read");
        return std::nullopt;
      }
    }
  }
  const auto& routes = app.config().routes;
  if (routes.empty()) return scopes;  // no routes: any valid key with ?scope= passes
  auto original = ReadOriginal(call, gateway, auto_mode, error);
  if (!original) return std::nullopt;
  const config::RouteRule* rule = nullptr;
  if (!original->uri.empty()) {
    NormalizedPath path = NormalizePath(original->uri);
    if (!path.ok) {
      error = BadRequest("the original URI cannot be checked safely: " +
                         std::string(path.error));
      return std::nullopt;
    }
    rule = FindRouteRuleForAnyForm(routes, original->method, path.path);
  }
  if (rule == nullptr) {
    error = Problem(403, "no_matching_route", "no configured route matches this request");
    return std::nullopt;
  }
  scopes.push_back(rule->scope);
  return scopes;
}

}  // namespace

Reply ForwardAuth(Call& call, Services& s) {
  // The configured gateway wins; only in auto may the request name one.
  std::string gateway = s.app.config().forward_auth_gateway;
  Reply resp;
  bool named_ok = true;
  if (gateway == "auto") {
    gateway = std::string(call.req.Header("X-Keyward-Gateway").value_or(""));
    if (gateway.empty()) gateway = call.target.Query("gateway").value_or("");
    // A misspelt gateway must not quietly fall back to reading other headers, and
    // a second name (one the gateway set, one the client added) is not guessed.
    named_ok = (gateway.empty() || KnownGateway(gateway)) &&
               HeaderCount(call.req, "X-Keyward-Gateway") <= 1 &&
               call.target.QueryAll("gateway").size() <= 1;
    if (!named_ok) {
      resp = BadRequest("gateway must be named once, as nginx, caddy, traefik or envoy");
    }
  }
  if (named_ok) {
    if (auto scopes = ForwardAuthScopes(call, s.app, gateway, resp)) {
      if (auto refused = s.gate.AuthenticateKey(
              call, std::span<const std::string>(scopes->data(), scopes->size()))) {
        resp = std::move(*refused);
      } else {
        const KeyRecord& key = *call.decision.key;
        resp = fast_json::RawJson(200, std::string(fast_json::kAuthValidBody));
        // A fresh answer: Add, not Set, as none of these is there yet.
        http::Fields& fields = resp.response.headers;
        fields.Add("X-Keyward-Key-Id", key.id);
        fields.Add("X-Keyward-Owner",
                   key.owner_user_id ? std::string_view(*key.owner_user_id) : "");
        fields.Add("X-Keyward-Org", key.org_id);
        fields.Add("X-Keyward-Scopes", Join(call.decision.effective_scopes));
      }
    }
  }
  char status[12];  // any int
  const auto printed = std::to_chars(status, status + sizeof(status), resp.status());
  resp.Set("X-Keyward-Status",
           std::string_view(status, static_cast<std::size_t>(printed.ptr - status)));
  if (gateway == "nginx" && resp.status() != 200 && resp.status() != 401 &&
      resp.status() != 403) {
    resp.real_status = resp.status();  // what the audit hook reports
    resp.response.status = 403;        // the real status is in X-Keyward-Status
  }
  return resp;
}

}  // namespace keyward::api
