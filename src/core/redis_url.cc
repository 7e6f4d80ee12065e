#include "keyward/core/redis_url.h"

#include <charconv>

namespace keyward::core {
namespace {

std::optional<int> Number(std::string_view s, int max) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0 || n > max) {
    return std::nullopt;
  }
  return n;
}

bool HostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-' || c == '_';
}

}  // namespace

std::optional<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint ep;
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    auto db = Number(rest.substr(slash + 1), 65535);
    if (!db) return std::nullopt;
    ep.db = *db;
    rest = rest.substr(0, slash);
  }
  std::string_view host = rest, port;
  if (rest.starts_with("[")) {  // [IPv6]:port
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return std::nullopt;
      port = after.substr(1);
      if (port.empty()) return std::nullopt;
    }
    for (char c : host) {
      if (!(HostChar(c) || c == ':')) return std::nullopt;
    }
  } else {
    if (const size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    for (char c : host) {
      if (!HostChar(c)) return std::nullopt;
    }
  }
  if (host.empty()) return std::nullopt;
  if (!port.empty()) {
    auto p = Number(port, 65535);
    if (!p || *p == 0) return std::nullopt;
    ep.port = *p;
  }
  ep.host = std::string(host);
  return ep;
}

}  // namespace keyward::core
