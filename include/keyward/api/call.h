// Call: one routed request as handlers see it, and Services: what they may use.
#ifndef KEYWARD_API_CALL_H_
#define KEYWARD_API_CALL_H_

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "keyward/api/target.h"
#include "keyward/api/verify_body.h"
#include "keyward/core/verifier.h"
#include "keyward/http/message.h"

namespace keyward::metrics {
class Metrics;
}
namespace keyward::service {
class App;
class AuditService;
class ConsoleAuth;
class KeyService;
class OrgService;
class UserService;
}  // namespace keyward::service

namespace keyward::api {

class CorsPolicy;
class Gate;

struct Call {
  const http::Request& req;
  Target target;
  std::string id;         // the {id} path segment, when the route has one
  std::string client_ip;  // peer, or X-Forwarded-For via a trusted proxy
  // The decision about the key this request presented (set by authentication, or by
  // /v1/verify for the key it verified): the dispatcher adds its RateLimit fields
  // and the audit hook its identity.
  core::Decision decision{};
  // The request body, parsed once by the bounded parser (json_body.h) before any
  // handler runs; null when the request had no body.
  std::shared_ptr<const nlohmann::json> body;
  // The key came from the query string (allow_query_keys): the answer must not be
  // cached anywhere, whatever the route.
  bool key_from_query = false;
  // POST /v1/verify's body as the fast scanner read it (verify_body.h), instead of
  // `body`: set only when the scanner was sure, and then `body` stays null.
  std::optional<VerifyFields> verify_fields;
};

// The services a handler works through. Every change goes through a service, which
// makes the one authorization decision (service/authz.h) and writes the audit event.
struct Services {
  service::App& app;
  service::KeyService& keys;
  service::UserService& users;
  service::OrgService& orgs;
  service::AuditService& audit_query;
  service::ConsoleAuth& console;
  metrics::Metrics& metrics;
  Gate& gate;
};

}  // namespace keyward::api

#endif  // KEYWARD_API_CALL_H_
