#include "keyward/api/console_session.h"

#include <sodium.h>

namespace keyward::api {

std::optional<std::string> SessionCookie(const http::Request& req) {
  const std::string_view name = kSessionCookie;
  for (const auto& [field, value] : req.headers) {
    if (!http::HeaderNameEquals(field, "Cookie")) continue;
    std::string_view v = value;
    while (!v.empty()) {
      const size_t semi = v.find(';');
      std::string_view pair = v.substr(0, semi);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
          pair[name.size()] == '=') {
        return std::string(pair.substr(name.size() + 1));
      }
      v = semi == std::string_view::npos ? std::string_view() : v.substr(semi + 1);
    }
  }
  return std::nullopt;
}

std::string SessionSetCookie(std::string_view token, std::int64_t max_age_seconds) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=" +
         std::to_string(max_age_seconds);
}

std::string SessionClearCookie() {
  return std::string(kSessionCookie) +
         "=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0";
}

bool IsSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

bool CsrfMatches(const http::Request& req, std::string_view expected) {
  if (expected.empty() || req.HeaderCount(kCsrfHeader) != 1) return false;
  const std::string_view got = *req.Header(kCsrfHeader);
  return got.size() == expected.size() &&
         sodium_memcmp(got.data(), expected.data(), got.size()) == 0;
}

}  // namespace keyward::api
