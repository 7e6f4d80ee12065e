// The web console's session cookie and CSRF header (contract section 8).
//
// The cookie `__Host-keyward_session` is HttpOnly (page scripts never read it),
// Secure and Path=/ with no Domain (the __Host- prefix makes browsers insist on
// that), SameSite=Strict (never sent on a request another site starts). Every
// request that changes something must also carry X-CSRF-Token with the session's
// token, which only the console's own page learns (from POST/GET /console/session).
#ifndef KEYWARD_API_CONSOLE_SESSION_H_
#define KEYWARD_API_CONSOLE_SESSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keyward/http/message.h"

namespace keyward::api {

inline constexpr char kSessionCookie[] = "__Host-keyward_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

// The session cookie's value from the request's Cookie fields, if present.
std::optional<std::string> SessionCookie(const http::Request& req);

// Set-Cookie values: a new session (expires with the session's absolute timeout),
// and the removal of one.
std::string SessionSetCookie(std::string_view token, std::int64_t max_age_seconds);
std::string SessionClearCookie();

// True for methods that change nothing (GET, HEAD, OPTIONS): no CSRF token needed.
bool IsSafeMethod(std::string_view method);

// True when the request's X-CSRF-Token equals `expected` (constant time).
bool CsrfMatches(const http::Request& req, std::string_view expected);

}  // namespace keyward::api

#endif  // KEYWARD_API_CONSOLE_SESSION_H_
