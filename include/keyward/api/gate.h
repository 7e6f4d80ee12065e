// Gate: authentication of a presented key, shared by the dispatcher (admin routes),
// /v1/verify and forward auth, so every path verifies a key the same way.
//
// The presented key goes through the core Verifier with the route's scopes; the
// decision is reported to the policies (RateLimit fields), recorded as usage and
// counted in metrics; a 401 counts against the client address for the
// failed-authentication throttle: this process's AuthThrottle, or with
// limits.backend = redis://... the shared one (the local one still counts, for the
// on_backend_error = local fallback). Thread-safe.
#ifndef KEYWARD_API_GATE_H_
#define KEYWARD_API_GATE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "keyward/api/call.h"
#include "keyward/api/credentials.h"
#include "keyward/api/reply.h"
#include "keyward/core/auth_throttle.h"
#include "keyward/core/cidr.h"
#include "keyward/service/actor.h"

namespace keyward::usage {
class UsageWriter;
}
namespace keyward::service {
class ConsoleAuth;
}

namespace keyward::api {

class Gate {
 public:
  // `console` (optional) authenticates console session cookies; it must outlive
  // the Gate.
  Gate(service::App& app, usage::UsageWriter& usage, metrics::Metrics& metrics,
       service::ConsoleAuth* console = nullptr);

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

  // Counts a failed sign-in or key authentication from `ip` (not a trusted proxy).
  void RecordFailure(std::string_view ip);

  // Authenticates the key `call` presents for `required` scopes: the actor it acts
  // as, or the refusal to send (400 two keys, 401, 403, 429). Sets call.decision.
  // With no key, a console session cookie authenticates as its user instead: the
  // user's permissions must cover `required` (403 insufficient_scope), and a request
  // that changes something must carry the session's X-CSRF-Token (403
  // csrf_failed). A presented key always wins; a cookie is then ignored.
  std::variant<service::Actor, Reply> Authenticate(Call& call,
                                                   std::span<const std::string> required);

  // The same checks for forward auth, which judges only the key a request presents
  // (contract 4.2: credentials from the request's headers, or its query when
  // allowed) and acts as nobody: a console cookie is not read. nullopt when the key
  // is valid for `required` (call.decision then holds it), else the refusal.
  std::optional<Reply> AuthenticateKey(Call& call, std::span<const std::string> required);

 private:
  static constexpr std::int64_t kThrottleWindowSeconds = 60;  // "per minute"

  void CountFailure(const core::IpAddress& addr);
  // Throttle, verification and owner check of a presented key (`cred.present`).
  std::optional<Reply> CheckKey(Call& call, std::span<const std::string> required,
                                const Credential& cred);
  // The session branch of Authenticate; nullopt when no live session is presented.
  std::optional<std::variant<service::Actor, Reply>> AuthenticateSession(
      Call& call, std::span<const std::string> required);

  service::App& app_;
  usage::UsageWriter& usage_;
  metrics::Metrics& metrics_;
  core::CidrList trusted_proxies_;
  core::AuthThrottle throttle_;
  service::ConsoleAuth* console_;
};

}  // namespace keyward::api

#endif  // KEYWARD_API_GATE_H_
