// The POST /v1/verify body, read two ways into one VerifyFields.
//
// ScanVerifyBody is the fast path: a strict, bounded, non-recursive scanner for the
// common shape only, {"key": "...", "scopes": ["...", ...], "ip": "..."} (each member
// optional and at most once, any order, JSON whitespace), whose strings are
// printable ASCII without escapes. It reads views into the text instead of building
// an nlohmann DOM, which was a large part of /v1/verify's cost. Whatever it is not
// sure of (escapes, other bytes, other members or types, duplicates, trailing bytes,
// too long, too many scopes) it leaves to the DOM path (ParseJsonBody, then
// ReadVerifyJson), so every error answer stays that path's. When it reads a body,
// the DOM path would have read the same fields from it (tests/fuzz/verify_body_fuzz).
// Pure functions; thread-safe.
#ifndef KEYWARD_API_VERIFY_BODY_H_
#define KEYWARD_API_VERIFY_BODY_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace keyward::api {

// Longest body and most scopes the scanner reads; longer ones take the DOM path.
inline constexpr std::size_t kMaxScannedVerifyBody = 8192;
inline constexpr std::size_t kMaxScannedScopes = 64;

// What a /v1/verify body says, before validation (system_handlers.cc validates both
// readers' output in one place). The views point into the body or into the DOM, which
// must outlive this.
struct VerifyFields {
  enum class Type { kAbsent, kString, kArray, kOther };
  std::vector<std::string_view> unknown;  // members other than key, scopes, ip
  Type key = Type::kAbsent;
  std::string_view key_text;  // when key is kString
  Type scopes = Type::kAbsent;
  // When scopes is kArray: each element, nullopt for one that is not a string.
  std::vector<std::optional<std::string_view>> scope_items;
  Type ip = Type::kAbsent;
  std::string_view ip_text;  // when ip is kString

  bool operator==(const VerifyFields&) const = default;
};

// The fields of `body` when it has the common shape above; nullopt ("not handled")
// otherwise. A result never has unknown members and no type but kAbsent, kString
// (key, ip) and kArray of strings (scopes).
std::optional<VerifyFields> ScanVerifyBody(std::string_view body);

// The fields of a parsed body that is a JSON object (members in the DOM's order).
VerifyFields ReadVerifyJson(const nlohmann::json& object);

}  // namespace keyward::api

#endif  // KEYWARD_API_VERIFY_BODY_H_
