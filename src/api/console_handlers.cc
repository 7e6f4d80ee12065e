// The web console over HTTP (contract section 8): its embedded files under
// /console/, and sign-in, who-am-I and sign-out at /console/session. The pages then
// call the REST API with the session cookie (gate.cc authenticates it).
#include <nlohmann/json.hpp>

#include "keyward/api/console_session.h"
#include "keyward/api/encode.h"
#include "keyward/api/gate.h"
#include "keyward/api/handlers.h"
#include "keyward/api/problem.h"
#include "keyward/console/assets.h"
#include "keyward/core/time_util.h"
#include "keyward/service/app.h"
#include "keyward/service/console_auth.h"

namespace keyward::api {
namespace {

using nlohmann::json;

// No inline script or style, nothing from another origin, no framing, no plugins;
// form posts and <base> cannot point elsewhere.
constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void SetPageHeaders(http::Response& r) {
  r.Set("Content-Security-Policy", kCsp);
  r.Set("X-Frame-Options", "DENY");
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("Referrer-Policy", "no-referrer");
  r.Set("Cross-Origin-Opener-Policy", "same-origin");
  r.Set("Cross-Origin-Resource-Policy", "same-origin");
}

Reply NotServed() { return Problem(404, "not_found", "no such route"); }

// JSON answers about a session: never cached, never framed.
http::Response SessionJson(int status, const json& body) {
  http::Response r = JsonResponse(status, body);
  r.Set("Cache-Control", "no-store");
  SetPageHeaders(r);
  return r;
}

json SessionBody(const service::ConsoleSession& s) {
  return {{"user", UserJson(*s.user)},
          {"csrf_token", s.csrf_token},
          {"expires_at", core::FormatRfc3339(s.expires_at)}};
}

Reply InvalidCredentials() {
  return Problem(401, "invalid_credentials", service::kInvalidCredentials);
}

Reply Throttled(std::int64_t wait) {
  Reply r = Problem(429, "rate_limited", "too many failed sign-ins; retry later");
  r.Set("Retry-After", std::to_string(wait));
  return r;
}

// The live session the request's cookie names, or the 401 to answer.
Result<service::ConsoleSession> LiveSession(Call& call, Services& s) {
  const auto token = SessionCookie(call.req);
  if (!token) return Error{ErrorKind::kUnauthenticated, "not signed in", {}};
  ASSIGN_OR_RETURN(auto session, s.console.Resolve(*token));
  if (!session) return Error{ErrorKind::kUnauthenticated, "the session has ended", {}};
  return std::move(*session);
}

}  // namespace

Reply ConsoleRedirect(Call&, Services& s) {
  if (!s.app.config().console_enabled) return NotServed();
  http::Response r;
  r.status = 308;
  r.Set("Location", "/console/");
  SetPageHeaders(r);
  return r;
}

Reply ConsoleAsset(Call& call, Services& s) {
  if (!s.app.config().console_enabled) return NotServed();
  const std::string name = call.id.empty() ? "index.html" : call.id;
  const console::Asset* asset = console::FindAsset(name);
  if (!asset) return NotServed();
  http::Response r;
  const std::string etag = "\"" + std::string(asset->sha256.substr(0, 32)) + "\"";
  SetPageHeaders(r);
  r.Set("ETag", etag);
  // index.html is revalidated on every load; it names every other asset with
  // ?v=<hash>, and such a versioned URL never changes content, so it may be kept.
  const auto version = call.target.Query("v");
  if (name != "index.html" && version && *version == asset->sha256) {
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.Set("Cache-Control", "no-cache");
  }
  if (auto inm = call.req.Header("If-None-Match"); inm && *inm == etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.Set("Content-Type", std::string(asset->content_type));
  r.body = std::string(asset->body);
  return r;
}

Reply SignIn(Call& call, Services& s) {
  if (!s.app.config().console_enabled) return NotServed();
  // A JSON body only: a cross-site HTML form cannot send one without a CORS
  // preflight, so nobody can sign a victim's browser into the attacker's account.
  const auto type = call.req.Header("Content-Type");
  if (!type || type->substr(0, 16) != "application/json") {
    return Problem(415, "unsupported_media_type", "send the credentials as JSON");
  }
  Reply error;
  const json* body = RequireBody(call, error);
  if (!body) return error;
  std::vector<FieldError> errors;
  if (!body->is_object()) return Error::Validation("(body)", "must be an object");
  for (const auto& [k, v] : body->items()) {
    if (k != "username" && k != "password")
      errors.push_back({k, "unknown field"});
    else if (!v.is_string())
      errors.push_back({k, "must be a string"});
  }
  for (const char* k : {"username", "password"}) {
    if (!body->contains(k)) errors.push_back({k, "is required"});
  }
  if (!errors.empty()) {
    return Error{ErrorKind::kValidation, "invalid sign-in request", std::move(errors)};
  }
  if (const std::int64_t wait = s.gate.ThrottleWait(call.client_ip); wait > 0) {
    return Throttled(wait);
  }
  ASSIGN_OR_RETURN(auto result,
                   s.console.SignIn(body->at("username").get_ref<const std::string&>(),
                                    body->at("password").get_ref<const std::string&>(),
                                    call.client_ip));
  using St = service::SignInResult::Status;
  if (result.status == St::kThrottled) return Throttled(result.retry_after_seconds);
  if (result.status == St::kInvalid) {
    s.gate.RecordFailure(call.client_ip);
    return InvalidCredentials();
  }
  http::Response r = SessionJson(201, SessionBody(result.session));
  r.Set("Set-Cookie",
        SessionSetCookie(result.token, s.app.config().console_absolute_timeout_seconds));
  return r;
}

Reply GetSession(Call& call, Services& s) {
  if (!s.app.config().console_enabled) return NotServed();
  auto session = LiveSession(call, s);
  if (!session.ok()) {
    if (session.error().kind != ErrorKind::kUnauthenticated) return session.error();
    Reply r = Problem(401, "not_signed_in", "no console session; sign in");
    return r;
  }
  return SessionJson(200, SessionBody(*session));
}

Reply SignOut(Call& call, Services& s) {
  if (!s.app.config().console_enabled) return NotServed();
  auto session = LiveSession(call, s);
  http::Response r;
  if (session.ok()) {
    if (!CsrfMatches(call.req, session->csrf_token)) {
      return Problem(403, "csrf_failed",
                     "sign-out needs the session's X-CSRF-Token header");
    }
    RETURN_IF_ERROR(s.console.SignOut(
        *session, service::ConsoleAuth::ActorFor(*session, call.client_ip)));
  } else if (session.error().kind != ErrorKind::kUnauthenticated) {
    return session.error();
  }
  // Signed out either way: the browser forgets the cookie.
  r.status = 204;
  r.Set("Set-Cookie", SessionClearCookie());
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace keyward::api
