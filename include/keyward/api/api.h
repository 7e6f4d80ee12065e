// Api: the REST surface of contract sections 3–5 as one http::Handler.
//
// Handle() routes a request, authenticates the presented key through the core
// Verifier (the same path /v1/verify uses), runs the handler and records metrics and
// usage; it also answers CORS preflights, adds the RateLimit fields of the key a
// request presented, and throttles addresses with too many failed authentications.
// Handlers never touch sockets and never throw. Thread-safe: Handle() is
// called concurrently by the transport's worker threads.
#ifndef KEYWARD_API_API_H_
#define KEYWARD_API_API_H_

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "keyward/api/cors.h"
#include "keyward/api/target.h"
#include "keyward/core/auth_throttle.h"
#include "keyward/core/cidr.h"
#include "keyward/core/verifier.h"
#include "keyward/http/message.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/app.h"
#include "keyward/service/audit.h"
#include "keyward/service/audit_service.h"
#include "keyward/service/key_service.h"
#include "keyward/service/org_service.h"
#include "keyward/service/user_service.h"
#include "keyward/usage/usage_writer.h"

namespace keyward::api {

// Everything a handler needs about one request.
struct Call {
  const http::Request& req;
  Target target;
  std::string id;                       // the {id} path segment, when the route has one
  std::string client_ip;                // peer, or X-Forwarded-For via a trusted proxy
  std::optional<service::Actor> actor;  // set by Authenticate
  core::Decision decision{};            // the caller's (or verified) key decision
  // The request body, parsed once by the bounded parser (json_body.h) before any
  // handler runs; null when the request had no body.
  std::shared_ptr<const nlohmann::json> body;
};

class Api {
 public:
  // `audit` receives an auth.denied event for every refused call (401/403, and 404
  // for a resource outside the caller's visibility) and an event for every admin
  // write; it must outlive the Api. When null, events are logged at debug level
  // (GET /v1/audit then reads whatever the store holds).
  Api(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics,
      service::AuditSink* audit = nullptr);

  http::Response Handle(const http::Request& req);

  // True for requests that may wait on the store (admin routes), which the
  // transport runs off its I/O threads; false for the hot paths that answer from
  // memory (/v1/verify, /v1/auth*, health, readiness, metrics) and run inline.
  static bool MayBlock(const http::Request& req);

 private:
  using Method = http::Response (Api::*)(Call&);
  struct Route {
    std::string_view method;
    std::string_view pattern;  // "/v1/keys/{id}"
    Method handler;
  };

  http::Response Dispatch(Call& call, std::string_view& route_name);
  // OPTIONS: 204 with Allow (and the CORS preflight fields for allowed origins).
  http::Response Options(const Call& call, const std::string& allow) const;

  // Verifies the presented key for `required` scopes. On success fills call.actor
  // and returns nullopt; otherwise the response to send (401/403/429/400).
  std::optional<http::Response> Authenticate(Call& call,
                                             std::span<const std::string> required);
  std::string ClientIp(const http::Request& req) const;
  bool IsTrustedProxy(std::string_view ip) const;
  // Verifies through the core Verifier, completes the rate-limit report of a found
  // key, records usage and counts a 401 against `ip` for the throttle.
  core::Decision VerifyAndRecord(std::string_view key,
                                 std::span<const std::string> scopes,
                                 const std::string& ip);
  void RecordUsage(const core::Decision& d, const std::string& ip);
  http::Response Denial(const core::Decision& d, bool credential_presented);
  // Reports a 401/403 answer to the audit sink as auth.denied (audit_hook.cc).
  void AuditRefusal(const Call& call, std::string_view route, const http::Response& resp);
  // Seconds `ip` must wait before presenting credentials again; 0 when it may now
  // (always 0 for a trusted proxy or an address that does not parse).
  std::int64_t ThrottleWait(std::string_view ip) const;
  // The key object with its live remaining_uses.
  nlohmann::json KeyObject(const KeyRecord& key, UnixSeconds now) const;

  // The body the dispatcher parsed; nullopt with `error` set to the 400 response
  // when the request has none.
  std::optional<nlohmann::json> ParseBody(const Call& call, http::Response& error) const;
  // Runs every request body through ParseJsonBody before routing reaches a handler:
  // the 400/422 to send when it is malformed or nested too deep, else nullopt.
  std::optional<http::Response> ParseRequestBody(Call& call) const;

  // Handlers, grouped by file: system_handlers.cc, forward_auth.cc,
  // key_handlers.cc, org_handlers.cc, user_handlers.cc.
  http::Response Healthz(Call& call);
  http::Response Readyz(Call& call);
  http::Response MetricsText(Call& call);
  http::Response Verify(Call& call);
  http::Response Me(Call& call);
  // Forward auth for gateways, any method (forward_auth.cc).
  static bool IsForwardAuthPath(std::string_view path);
  http::Response ForwardAuth(Call& call);
  // The scopes a forward-auth request needs: ?scope= (unless the gateway is envoy),
  // else the first config route matching the original method and URI as `gateway`
  // reports them, else none. nullopt with `error` set when a ?scope= is malformed.
  std::optional<std::vector<std::string>> ForwardAuthScopes(const Call& call,
                                                            std::string_view gateway,
                                                            http::Response& error);
  http::Response CreateKey(Call& call);
  http::Response ListKeys(Call& call);
  http::Response GetKey(Call& call);
  http::Response PatchKey(Call& call);
  http::Response RevokeKey(Call& call);
  http::Response RotateKey(Call& call);
  http::Response KeyUsage(Call& call);
  http::Response CreateOrg(Call& call);
  http::Response ListOrgs(Call& call);
  http::Response GetOrg(Call& call);
  http::Response PatchOrg(Call& call);
  http::Response DeleteOrg(Call& call);
  http::Response CreateUser(Call& call);
  http::Response ListUsers(Call& call);
  http::Response GetUser(Call& call);
  http::Response PatchUser(Call& call);
  http::Response DeleteUser(Call& call);
  http::Response ListAudit(Call& call);  // audit_handlers.cc

  service::App& app_;
  usage::UsageWriter& usage_;
  metrics::Metrics& metrics_;
  service::LogAuditSink log_audit_;
  service::AuditSink& audit_;
  service::KeyService keys_;
  service::UserService users_;
  service::OrgService orgs_;
  service::AuditService audit_query_;
  core::CidrList trusted_proxies_;
  core::AuthThrottle throttle_;
  CorsPolicy cors_;
  std::vector<Route> routes_;
};

}  // namespace keyward::api

#endif  // KEYWARD_API_API_H_
