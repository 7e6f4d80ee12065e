// ConsoleAuth: web console sign-in, sessions and sign-out (contract section 8).
//
// A session is a random 32-byte token in the browser's cookie; the store keeps only
// its BLAKE2b-256 (store/session_types.h), with the user, a CSRF token, and the
// times idle and absolute expiry count from. Resolve() is what authenticates a
// console request: it ends the session once either expiry has passed, and refuses
// it at once when its user (or their organization) is disabled or deleted, because
// it reads the user from the live in-memory directory on every request.
//
// Sign-in answers one outcome for a wrong password, an unknown user and a user
// without a password, after the same Argon2id work. Failed sign-ins count per
// username and address, and per username from every address at a higher limit
// (the per-address count is the API's failed-authentication throttle, which the
// caller applies). Sign-in and sign-out are audited here; a refused sign-in
// is the caller's 401, audited as auth.denied like any refused call. Passwords and
// tokens never reach an event, a log line or an error. Thread-safe.
#ifndef KEYWARD_SERVICE_CONSOLE_AUTH_H_
#define KEYWARD_SERVICE_CONSOLE_AUTH_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "keyward/core/auth_throttle.h"
#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/actor.h"
#include "keyward/service/app.h"
#include "keyward/service/audit.h"

namespace keyward::service {

inline constexpr char kInvalidCredentials[] = "Invalid username or password";

struct ConsoleSession {
  std::string id;  // hash of the token, for sign-out
  std::shared_ptr<const UserRecord> user;
  std::string csrf_token;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;  // the earlier of idle and absolute expiry, as of now
};

struct SignInResult {
  enum class Status { kSignedIn, kInvalid, kThrottled };
  Status status = Status::kInvalid;
  std::int64_t retry_after_seconds = 0;  // kThrottled
  std::string token;                     // kSignedIn: the cookie value
  ConsoleSession session;                // kSignedIn
};

class ConsoleAuth {
 public:
  // `audit` (optional) must outlive this.
  ConsoleAuth(App& app, AuditSink* audit);

  // Checks `password` for `username` and opens a session from `ip`. Errors only for
  // a store failure (kUnavailable/kInternal).
  Result<SignInResult> SignIn(std::string_view username, std::string_view password,
                              const std::string& ip);

  // The live session for the cookie value `token`, or nullopt when it is unknown,
  // expired, or its user may no longer sign in. Refreshes its idle time.
  Result<std::optional<ConsoleSession>> Resolve(std::string_view token);

  // Ends the session (idempotent) and audits it as `actor`.
  Status SignOut(const ConsoleSession& session, const Actor& actor);

  // The actor a console request acts as: the session's user, bounded by their own
  // permissions in place of a key's scopes.
  static Actor ActorFor(const ConsoleSession& session, std::string ip);

 private:
  void AuditSignIn(const UserRecord& user, const std::string& ip);

  App& app_;
  AuditSink* audit_;
  // Failures for a username from one address, at limits.failed_auth_per_minute,
  // and from all addresses together, at kAddressesToLockOut times that: one
  // address (which the per-address throttle bounds anyway) can no longer lock
  // another user out (attack review), while guessing one user's password from
  // many addresses is still bounded.
  static constexpr int kAddressesToLockOut = 10;
  core::AuthThrottle per_user_from_ip_;
  core::AuthThrottle per_user_;
  // Password checks in progress. Each costs ~0.1 s of CPU and 64 MiB; beyond
  // kMaxHashing at once a sign-in is answered "try again" at once, so a burst of
  // guesses can neither outrun the failure count (which only grows after a check)
  // nor take the offload slots the admin API needs.
  static constexpr int kMaxHashing = 2;
  std::atomic<int> hashing_{0};
};

// The hex BLAKE2b-256 of a session token: what the store keeps as the session id.
std::string SessionIdFor(std::string_view token);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_CONSOLE_AUTH_H_
