// CorsPolicy: Cross-Origin Resource Sharing for browser clients, from
// cors.allowed_origins (exact origins, or "*" for any).
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) from an
// allowed origin gets the Access-Control-Allow-* fields; an actual response to an
// allowed origin gets Access-Control-Allow-Origin and -Expose-Headers (so scripts
// can read RateLimit and Retry-After). The origin is echoed, never "*", with
// `Vary: Origin`, so a shared cache keeps answers for different origins apart.
// Other origins get no CORS fields at all, and the browser blocks the response.
// Immutable after construction; thread-safe.
#ifndef KEYWARD_API_CORS_H_
#define KEYWARD_API_CORS_H_

#include <string>
#include <string_view>
#include <vector>

#include "keyward/http/message.h"

namespace keyward::api {

class CorsPolicy {
 public:
  static constexpr int kMaxAgeSeconds = 600;

  explicit CorsPolicy(std::vector<std::string> allowed_origins);

  bool Allows(std::string_view origin) const;

  // Adds the preflight fields to `resp` when `req` is a preflight from an allowed
  // origin; `methods` is the route's Allow list ("GET, POST").
  void AddPreflight(const http::Request& req, std::string_view methods,
                    http::Response& resp) const;

  // Adds the actual-response fields when `req` comes from an allowed origin.
  void AddActual(const http::Request& req, http::Response& resp) const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace keyward::api

#endif  // KEYWARD_API_CORS_H_
