#include "keyward/api/uri_normalizer.h"

#include "keyward/api/target.h"

#include <vector>

namespace keyward::api {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

NormalizedPath Refuse(std::string_view why) {
  NormalizedPath out;
  out.error = why;
  return out;
}

}  // namespace

NormalizedPath NormalizePath(std::string_view uri) {
  if (uri.size() > kMaxUriLength) return Refuse("the URI is too long");
  // '#' is not legal in a request target; some upstreams keep it in the path, so it
  // is refused rather than read as the start of a fragment.
  if (uri.find('#') != std::string_view::npos) return Refuse("the URI has a '#'");
  uri = uri.substr(0, uri.find('?'));
  if (uri.empty() || uri[0] != '/') return Refuse("the URI is not an absolute path");

  // Pass 1: decode what RFC 3986 6.2.2.2 lets us decode and refuse what changes
  // meaning between upstreams, splitting into segments on real '/' only.
  std::vector<std::string> segments(1);
  for (size_t i = 1; i < uri.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(uri[i]);
    if (c == '/') {
      segments.emplace_back();
      continue;
    }
    if (c == '%') {
      if (i + 2 >= uri.size()) {
        return Refuse("the URI has a truncated percent escape");
      }
      const int hi = HexDigitValue(uri[i + 1]), lo = HexDigitValue(uri[i + 2]);
      if (hi < 0 || lo < 0) return Refuse("the URI has a bad percent escape");
      const unsigned char d = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
      if (d == '/' || d == '\\') return Refuse("the URI has an encoded slash");
      if (d == ';') return Refuse("the URI has an encoded path parameter");
      if (d == '%') return Refuse("the URI is percent-encoded twice");
      if (d < 0x20 || d == 0x7f)
        return Refuse("the URI has an encoded control character");
      // Encoded non-ASCII: lenient UTF-8 decoders read overlong forms such as
      // %c0%af as '/', so no such octet is let through.
      if (d >= 0x80) return Refuse("the URI has an encoded non-ASCII byte");
      if (IsUnreserved(d)) {
        segments.back().push_back(static_cast<char>(d));
      } else {
        static constexpr char kDigits[] = "0123456789ABCDEF";
        segments.back() += '%';
        segments.back() += kDigits[d >> 4];
        segments.back() += kDigits[d & 15];
      }
      continue;
    }
    if (c <= 0x20 || c >= 0x7f)
      return Refuse("the URI has a control, space or non-ASCII byte");
    if (c == '\\') return Refuse("the URI has a backslash");
    if (c == ';') return Refuse("the URI has a path parameter");
    segments.back().push_back(static_cast<char>(c));
  }

  // Pass 2: merge empty segments (repeated '/') and remove dot segments. A trailing
  // '/' (last segment empty) is kept, as "/a/" and "/a" may be different resources.
  std::vector<std::string_view> out;
  bool trailing_slash = false;
  for (size_t s = 0; s < segments.size(); ++s) {
    const std::string& seg = segments[s];
    const bool last = s + 1 == segments.size();
    if (seg == "." || seg == "..") {
      if (seg == "..") {
        if (out.empty()) return Refuse("the URI climbs above the root");
        out.pop_back();
      }
      trailing_slash = last;  // "/a/b/.." names the directory "/a/"
      continue;
    }
    if (seg.empty()) {
      if (last) trailing_slash = true;
      continue;
    }
    out.push_back(seg);
    trailing_slash = false;
  }
  NormalizedPath result;
  result.ok = true;
  for (std::string_view seg : out) {
    result.path += '/';
    result.path += seg;
  }
  if (result.path.empty() || trailing_slash) result.path += '/';
  return result;
}

}  // namespace keyward::api
