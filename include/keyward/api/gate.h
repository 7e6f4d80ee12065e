// Gate: authentication of a presented key, shared by the dispatcher (admin routes),
// /v1/verify and forward auth, so every path verifies a key the same way.
//
// The presented key goes through the core Verifier with the route's scopes; the
// decision is reported to the policies (RateLimit fields), recorded as usage and
// counted in metrics; a 401 counts against the client address for the
// failed-authentication throttle. Thread-safe.
#ifndef KEYWARD_API_GATE_H_
#define KEYWARD_API_GATE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "keyward/api/call.h"
#include "keyward/api/reply.h"
#include "keyward/core/auth_throttle.h"
#include "keyward/core/cidr.h"
#include "keyward/service/actor.h"

namespace keyward::usage {
class UsageWriter;
}

namespace keyward::api {

class Gate {
 public:
  Gate(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics);

  // The client address: the peer, or the X-Forwarded-For hop a trusted proxy names.
  std::string ClientIp(const http::Request& req) const;
  bool IsTrustedProxy(std::string_view ip) const;
  // Seconds `ip` must wait before presenting credentials again; 0 when it may now
  // (always 0 for a trusted proxy or an address that does not parse).
  std::int64_t ThrottleWait(std::string_view ip) const;

  // Verifies `key` for `scopes` from `ip`, reports and records the decision.
  core::Decision VerifyAndRecord(std::string_view key,
                                 std::span<const std::string> scopes,
                                 const std::string& ip);

  // Authenticates the key `call` presents for `required` scopes: the actor it acts
  // as, or the refusal to send (400 two keys, 401, 403, 429). Sets call.decision.
  std::variant<service::Actor, Reply> Authenticate(Call& call,
                                                   std::span<const std::string> required);

 private:
  service::App& app_;
  usage::UsageWriter& usage_;
  metrics::Metrics& metrics_;
  core::CidrList trusted_proxies_;
  core::AuthThrottle throttle_;
};

}  // namespace keyward::api

#endif  // KEYWARD_API_GATE_H_
