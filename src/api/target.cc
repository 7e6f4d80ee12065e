#include "keyward/api/target.h"

#include <charconv>

#include "keyward/core/utf8.h"

namespace keyward::api {
namespace {

constexpr std::string_view kCursorTag = "c1.";

}  // namespace

std::optional<std::string> Target::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

QueryValues Target::QueryAll(std::string_view name) const {
  QueryValues out;
  for (const auto& [k, v] : query) {
    if (k == name) out.push_back(v);
  }
  return out;
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  // Most paths and query values have nothing to decode: one copy, not a byte loop.
  if (in.find('%') == std::string_view::npos &&
      (!plus_is_space || in.find('+') == std::string_view::npos)) {
    return std::string(in);
  }
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<Target> ParseTarget(std::string_view target) {
  if (target.empty() || target[0] != '/') return std::nullopt;
  Target t;
  const size_t q = target.find('?');
  t.raw_path = std::string(target.substr(0, q));
  // Decoded bytes must be text either store can hold (no %FF, no %00): PostgreSQL
  // refuses ill-formed UTF-8, and an id or tag that reaches it must not answer
  // differently than on SQLite, or poison the audit queue.
  auto path = PercentDecode(t.raw_path, false);
  if (!path || !core::IsStorableText(*path)) return std::nullopt;
  t.path = std::move(*path);
  if (q == std::string_view::npos) return t;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    if (t.query.size() == kMaxQueryParams) return std::nullopt;
    const size_t eq = pair.find('=');
    auto k = PercentDecode(pair.substr(0, eq), true);
    auto v = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!k || !v || !core::IsStorableText(*k) || !core::IsStorableText(*v))
      return std::nullopt;
    t.query.emplace_back(std::move(*k), std::move(*v));
  }
  return t;
}

std::string EncodeCursor(std::int64_t after) {
  return std::string(kCursorTag) + std::to_string(after);
}

std::optional<std::int64_t> DecodeCursor(std::string_view cursor) {
  if (cursor.substr(0, kCursorTag.size()) != kCursorTag) return std::nullopt;
  std::string_view digits = cursor.substr(kCursorTag.size());
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || v < 0)
    return std::nullopt;
  return v;
}

}  // namespace keyward::api
