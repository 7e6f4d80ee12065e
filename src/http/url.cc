// ParseHttpUrl (keyward/http/health_client.h): kept apart from the Beast client so
// that it compiles in a moment and is tested on its own.
#include <charconv>

#include "keyward/http/health_client.h"

namespace keyward::http {
namespace {

std::optional<HttpUrl> Fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return std::nullopt;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-' || c == '_';
}

}  // namespace

std::optional<HttpUrl> ParseHttpUrl(std::string_view url, std::string* error) {
  HttpUrl out;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    out.tls = false;
    url.remove_prefix(7);
  } else {
    return Fail(error, "the URL must start with http:// or https://");
  }
  out.port = out.tls ? 443 : 80;
  const size_t slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.target = std::string(url.substr(slash));
    if (out.target[0] == '?') out.target.insert(0, "/");
  }
  if (out.target.find_first_of(std::string_view("# \t\r\n\0", 6)) != std::string::npos)
    return Fail(error, "the URL path must not hold spaces, controls or a fragment");
  if (authority.find('@') != std::string_view::npos)
    return Fail(error, "the URL must not carry user info");
  std::string_view port_text;
  if (authority.starts_with("[")) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Fail(error, "unclosed [ in the URL host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(":"))
      return Fail(error, "unexpected text after ] in the URL host");
    if (!rest.empty()) port_text = rest.substr(1);
    for (char c : out.host) {
      const bool hex =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') return Fail(error, "bad IPv6 address in the URL");
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    for (char c : out.host) {
      if (!IsHostChar(c)) return Fail(error, "bad character in the URL host");
    }
  }
  if (out.host.empty()) return Fail(error, "the URL has no host");
  if (!port_text.empty() || authority.ends_with(":")) {
    unsigned port = 0;
    auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return Fail(error, "the URL port must be 1 to 65535");
    }
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

}  // namespace keyward::http
