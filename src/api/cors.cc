#include "keyward/api/cors.h"

#include <algorithm>
#include <utility>

namespace keyward::api {

CorsPolicy::CorsPolicy(std::vector<std::string> allowed_origins)
    : origins_(std::move(allowed_origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

bool CorsPolicy::Allows(std::string_view origin) const {
  // "null" is what sandboxed frames and file: pages send; it names no one, so even
  // "*" does not admit it.
  if (origin.empty() || origin == "null") return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void CorsPolicy::AddPreflight(const http::Request& req, std::string_view methods,
                              http::Response& resp) const {
  const auto origin = req.Header("Origin");
  if (!origin || !req.Header("Access-Control-Request-Method") || !Allows(*origin)) return;
  resp.Set("Access-Control-Allow-Origin", std::string(*origin));
  resp.Set("Vary", "Origin");
  resp.Set("Access-Control-Allow-Methods", std::string(methods));
  resp.Set("Access-Control-Allow-Headers", "Authorization, X-API-Key, Content-Type");
  resp.Set("Access-Control-Max-Age", std::to_string(kMaxAgeSeconds));
}

void CorsPolicy::AddActual(const http::Request& req, http::Response& resp) const {
  const auto origin = req.Header("Origin");
  if (!origin || !Allows(*origin)) return;
  resp.Set("Access-Control-Allow-Origin", std::string(*origin));
  resp.Set("Vary", "Origin");
  resp.Set("Access-Control-Expose-Headers", "RateLimit, RateLimit-Policy, Retry-After");
}

}  // namespace keyward::api
