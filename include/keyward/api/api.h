// Api: the REST surface of contract sections 3–6 as one http::Handler.
//
// Handle() matches the route table (routes.h), parses the body with the one bounded
// parser (or, for /v1/verify's common shape, its scanner: verify_body.h), authenticates
// for the route's scopes through the Gate, calls the handler, hands refusals to the audit
// hook, and adds what every answer carries (RateLimit fields of the presented key, CORS,
// no-store, metrics). Thread-safe: Handle() is called concurrently by the transport's
// worker threads.
#ifndef KEYWARD_API_API_H_
#define KEYWARD_API_API_H_

#include <string_view>
#include <vector>

#include "keyward/api/call.h"
#include "keyward/api/cors.h"
#include "keyward/api/gate.h"
#include "keyward/api/reply.h"
#include "keyward/http/message.h"
#include "keyward/service/audit.h"
#include "keyward/service/audit_service.h"
#include "keyward/service/console_auth.h"
#include "keyward/service/key_service.h"
#include "keyward/service/org_service.h"
#include "keyward/service/user_service.h"

namespace keyward::api {

struct Route;

class Api {
 public:
  // `audit` receives an auth.denied event for every refused call (401/403, and 404
  // for a resource outside the caller's visibility) and an event for every admin
  // write; it must outlive the Api. When null, events are logged at debug level
  // (GET /v1/audit then reads whatever the store holds).
  Api(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics,
      service::AuditSink* audit = nullptr);

  http::Response Handle(const http::Request& req);

  // What the server routes, for the OpenAPI check: method ("*" for any) and path
  // pattern ("/v1/keys/{id}"); "/v1/auth/{path}" stands for every path below it.
  struct RouteInfo {
    std::string_view method;
    std::string_view pattern;
  };
  static std::vector<RouteInfo> RouteTable();

  // True for requests that may wait on the store (admin routes), which the
  // transport runs off its I/O threads; false for the routes that answer from
  // memory (/v1/verify, /v1/auth*, health, readiness, metrics) and run inline.
  static bool MayBlock(const http::Request& req);

  // Off: every /v1/verify body takes the DOM path, as before the fast scanner. For
  // the test that compares the two paths' answers; not thread-safe with Handle().
  void set_verify_fast_path(bool on) { verify_fast_path_ = on; }

 private:
  Reply Dispatch(Call& call, std::string_view& route_name);
  // Authenticates when the route needs a key, then runs its handler.
  Reply Run(const Route& route, Call& call);

  service::App& app_;
  metrics::Metrics& metrics_;
  service::LogAuditSink log_audit_;
  service::AuditSink& audit_;
  service::KeyService keys_;
  service::UserService users_;
  service::OrgService orgs_;
  service::AuditService audit_query_;
  service::ConsoleAuth console_;
  Gate gate_;
  CorsPolicy cors_;
  Services services_;
  bool verify_fast_path_ = true;
};

// Reports a refused call (its reply is a 401 or 403) to `sink` as auth.denied
// (audit_hook.cc). `actor` is the authenticated caller, when there was one.
void AuditRefusal(service::AuditSink& sink, UnixSeconds now, const Call& call,
                  const service::Actor* actor, const Route& route, const Reply& reply);

}  // namespace keyward::api

#endif  // KEYWARD_API_API_H_
