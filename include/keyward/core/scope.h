// Scopes: "resource:action" permission strings and the algebra on them.
//
// Each part is [a-z0-9][a-z0-9_.-]* (at most 64 characters) or the wildcard "*",
// which matches any value of that part; "*" alone means "*:*". Scopes are used
// both as grants (what a key or user holds) and as requirements (what a request
// needs). Invalid strings grant nothing and are never granted.
// All functions are pure and thread-safe.
#ifndef KEYWARD_CORE_SCOPE_H_
#define KEYWARD_CORE_SCOPE_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::core {

inline constexpr std::size_t kMaxScopePartLength = 64;

// True iff `scope` is "*" or "<part>:<part>" with valid parts.
bool IsValidScope(std::string_view scope);

// True iff holding `grant` allows `required`. Part by part, a "*" in the grant matches
// anything and any other value matches only itself, so "logs:*" grants "logs:read"
// and "logs:*", while "logs:read" does not grant "logs:*".
bool ScopeGrants(std::string_view grant, std::string_view required);

// The scopes allowed by both `a` and `b`: every part-wise intersection of an entry
// of `a` with an entry of `b` ("*" ∩ x = x, x ∩ x = x, otherwise nothing),
// de-duplicated, without entries granted by another entry of the result, in order of
// first appearance (by `a`, then `b`). "*:*" is written "*". Used for effective
// scopes (key ∩ owner permissions) and read-only keys (scopes ∩ {"*:read"}).
std::vector<std::string> IntersectScopes(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b);

// True iff every entry of `patterns` is granted by some entry of `grants`; used to
// refuse a key whose scopes exceed what its owner holds. Empty `patterns`: true.
bool ScopesCover(const std::vector<std::string>& grants,
                 const std::vector<std::string>& patterns);

// The first entry of `required` not granted by any entry of `effective`, or nullopt
// when all are granted.
std::optional<std::string> FirstMissingScope(const std::vector<std::string>& effective,
                                             std::span<const std::string> required);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_SCOPE_H_
