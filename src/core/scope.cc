#include "keyward/core/scope.h"

#include <algorithm>
#include <array>
#include <unordered_set>
#include <utility>

namespace keyward::core {
namespace {

constexpr std::string_view kWildcard = "*";

struct Parts {
  std::string_view resource;
  std::string_view action;
};

bool IsValidPart(std::string_view part) {
  if (part == kWildcard) return true;
  if (part.empty() || part.size() > kMaxScopePartLength) return false;
  const auto is_lower_alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (!is_lower_alnum(part.front())) return false;
  return std::all_of(part.begin() + 1, part.end(), [&](char c) {
    return is_lower_alnum(c) || c == '_' || c == '.' || c == '-';
  });
}

// Splits a valid scope into its parts; nullopt for an invalid one. Views into `scope`.
std::optional<Parts> Split(std::string_view scope) {
  if (scope == kWildcard) return Parts{kWildcard, kWildcard};
  const std::size_t colon = scope.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Parts parts{scope.substr(0, colon), scope.substr(colon + 1)};
  if (!IsValidPart(parts.resource) || !IsValidPart(parts.action)) return std::nullopt;
  return parts;
}

bool PartGrants(std::string_view grant, std::string_view required) {
  return grant == kWildcard || grant == required;
}

// The intersection of two valid parts, or an empty view when they are disjoint.
std::string_view IntersectPart(std::string_view x, std::string_view y) {
  if (x == kWildcard) return y;
  if (y == kWildcard || x == y) return x;
  return {};
}

std::string Join(const Parts& p) {
  if (p.resource == kWildcard && p.action == kWildcard) return std::string(kWildcard);
  std::string out;
  out.reserve(p.resource.size() + 1 + p.action.size());
  out.append(p.resource).append(1, ':').append(p.action);
  return out;
}

bool AnyGrants(const std::vector<std::string>& grants, std::string_view required) {
  return std::any_of(grants.begin(), grants.end(),
                     [&](const std::string& g) { return ScopeGrants(g, required); });
}

}  // namespace

bool IsValidScope(std::string_view scope) { return Split(scope).has_value(); }

bool ScopeGrants(std::string_view grant, std::string_view required) {
  const auto g = Split(grant);
  const auto r = Split(required);
  return g && r && PartGrants(g->resource, r->resource) &&
         PartGrants(g->action, r->action);
}

namespace {

// The distinct `candidates` (all valid) that no other candidate grants: the
// smallest equivalent set. A part grants only itself or is "*", so the only scopes
// that can grant "r:a" are "*", "r:*" and "*:a": those are looked up rather than
// every pair compared (which an owner with many permissions could make costly).
std::vector<std::string> Minimal(std::vector<std::string> candidates,
                                 const std::unordered_set<std::string>& seen) {
  std::vector<std::string> result;
  result.reserve(candidates.size());
  for (std::string& c : candidates) {
    const Parts p = *Split(c);
    auto other = [&](std::string_view resource, std::string_view action) {
      const std::string s = Join(Parts{resource, action});
      return s != c && seen.contains(s);
    };
    const bool dominated = other(kWildcard, kWildcard) ||
                           (p.action != kWildcard && other(p.resource, kWildcard)) ||
                           (p.resource != kWildcard && other(kWildcard, p.action));
    if (!dominated) result.push_back(std::move(c));
  }
  return result;
}

// True when `a` is already what Minimal would make of it: every scope valid and
// canonical ("*", never "*:*"), none repeated, none granted by another. Then the
// common case of IntersectScopes is `a` itself, and verification builds no set of
// strings per request. Only small lists are checked (the test is quadratic); others
// take the general path.
bool IsMinimal(const std::vector<std::string>& a) {
  constexpr std::size_t kMaxChecked = 16;
  if (a.size() > kMaxChecked) return false;
  std::array<Parts, kMaxChecked> parts;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto p = Split(a[i]);
    if (!p) return false;
    if (p->resource == kWildcard && p->action == kWildcard && a[i] != kWildcard)
      return false;
    parts[i] = *p;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < a.size(); ++j) {
      if (i == j) continue;
      if (a[i] == a[j]) return false;
      if (PartGrants(parts[j].resource, parts[i].resource) &&
          PartGrants(parts[j].action, parts[i].action)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> IntersectScopes(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b) {
  std::vector<std::string> candidates;
  std::unordered_set<std::string> seen;
  if (ScopesCover(b, a)) {
    if (IsMinimal(a)) return a;
    // The common case: `b` grants all of `a`, so the intersection is `a` itself.
    for (const std::string& x : a) {
      const auto px = Split(x);
      if (!px) continue;
      std::string canonical = Join(*px);  // "*:*" is "*"
      if (seen.insert(canonical).second) candidates.push_back(std::move(canonical));
    }
    return Minimal(std::move(candidates), seen);
  }
  for (const std::string& x : a) {
    const auto px = Split(x);
    if (!px) continue;
    for (const std::string& y : b) {
      const auto py = Split(y);
      if (!py) continue;
      const std::string_view resource = IntersectPart(px->resource, py->resource);
      const std::string_view action = IntersectPart(px->action, py->action);
      if (resource.empty() || action.empty()) continue;
      std::string joined = Join(Parts{resource, action});
      if (seen.insert(joined).second) candidates.push_back(std::move(joined));
    }
  }
  return Minimal(std::move(candidates), seen);
}

bool ScopesCover(const std::vector<std::string>& grants,
                 const std::vector<std::string>& patterns) {
  return std::all_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return AnyGrants(grants, p); });
}

std::optional<std::string> FirstMissingScope(const std::vector<std::string>& effective,
                                             std::span<const std::string> required) {
  for (const std::string& r : required) {
    if (!AnyGrants(effective, r)) return r;
  }
  return std::nullopt;
}

}  // namespace keyward::core
