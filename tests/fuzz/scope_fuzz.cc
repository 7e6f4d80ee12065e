// Fuzzes the scope algebra that bounds every grant ("a key never grants more than
// itself", contract section 4): IsValidScope, ScopeGrants, IntersectScopes (effective
// scopes), ScopesCover and FirstMissingScope, against a plain reference written
// from the header's definitions (the quadratic algorithm the library replaced).
// The intersection must be sound (nothing either side lacks), complete (everything
// both grant) and minimal, in the documented order.
//
// Input: lines; the first byte of each picks a list (a, b or probes) and the rest
// is one scope string. At most 8 entries per list keep the reference cheap.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "keyward/core/scope.h"

namespace {

namespace core = keyward::core;
using Scopes = std::vector<std::string>;

bool RefValidPart(std::string_view p) {
  if (p == "*") return true;
  if (p.empty() || p.size() > core::kMaxScopePartLength) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return false;
  }
  return true;
}

using Split = std::pair<std::string_view, std::string_view>;  // resource, action

std::optional<Split> RefSplit(std::string_view s) {
  if (s == "*") return Split{"*", "*"};
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const Split parts{s.substr(0, colon), s.substr(colon + 1)};
  if (!RefValidPart(parts.first) || !RefValidPart(parts.second)) return std::nullopt;
  return parts;
}

bool RefGrants(std::string_view grant, std::string_view required) {
  const auto g = RefSplit(grant), r = RefSplit(required);
  return g && r && (g->first == "*" || g->first == r->first) &&
         (g->second == "*" || g->second == r->second);
}

bool RefAny(const Scopes& grants, std::string_view s) {
  for (const auto& g : grants) {
    if (RefGrants(g, s)) return true;
  }
  return false;
}

std::string_view RefPart(std::string_view x, std::string_view y) {
  if (x == "*") return y;
  if (y == "*" || x == y) return x;
  return "";
}

Scopes RefIntersect(const Scopes& a, const Scopes& b) {
  Scopes candidates;
  for (const auto& x : a) {
    for (const auto& y : b) {
      const auto px = RefSplit(x), py = RefSplit(y);
      if (!px || !py) continue;
      const std::string_view r = RefPart(px->first, py->first);
      const std::string_view act = RefPart(px->second, py->second);
      if (r.empty() || act.empty()) continue;
      const std::string joined =
          r == "*" && act == "*" ? "*" : std::string(r) + ":" + std::string(act);
      bool dup = false;
      for (const auto& c : candidates) dup = dup || c == joined;
      if (!dup) candidates.push_back(joined);
    }
  }
  Scopes result;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < candidates.size() && !dominated; ++j) {
      dominated = j != i && RefGrants(candidates[j], candidates[i]);
    }
    if (!dominated) result.push_back(candidates[i]);
  }
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Scopes lists[3];  // a, b, probes
  while (!input.empty()) {
    const std::size_t at = input.find('\n');
    const std::string_view line = input.substr(0, at);
    input = at == std::string_view::npos ? std::string_view() : input.substr(at + 1);
    if (line.empty()) continue;
    Scopes& list = lists[static_cast<std::uint8_t>(line[0]) % 3];
    if (list.size() < 8) list.emplace_back(line.substr(1));
  }
  const Scopes& a = lists[0];
  const Scopes& b = lists[1];
  Scopes probes = lists[2];

  for (const Scopes& list : lists) {
    for (const auto& s : list) {
      FUZZ_CHECK(core::IsValidScope(s) == RefSplit(s).has_value());
      for (const auto& t : lists[2])
        FUZZ_CHECK(core::ScopeGrants(s, t) == RefGrants(s, t));
    }
  }

  const Scopes r = core::IntersectScopes(a, b);
  FUZZ_CHECK(r == RefIntersect(a, b));
  for (std::size_t i = 0; i < r.size(); ++i) {
    FUZZ_CHECK(core::IsValidScope(r[i]) && r[i] != "*:*");
    FUZZ_CHECK(RefAny(a, r[i]) && RefAny(b, r[i]));  // sound: no escalation
    for (std::size_t j = 0; j < r.size(); ++j) {
      FUZZ_CHECK(i == j || !RefGrants(r[j], r[i]));  // minimal
    }
  }
  // Complete: whatever both sides grant, the intersection grants.
  probes.insert(probes.end(), a.begin(), a.end());
  probes.insert(probes.end(), b.begin(), b.end());
  for (const auto& p : probes) {
    FUZZ_CHECK(RefAny(r, p) == (RefAny(a, p) && RefAny(b, p)));
  }

  for (const Scopes* g : {&a, &b, &r}) {
    bool all = true;
    std::optional<std::string> first;
    for (const auto& p : probes) {
      const bool granted = RefAny(*g, p);
      all = all && granted;
      if (!granted && !first) first = p;
    }
    FUZZ_CHECK(core::ScopesCover(*g, probes) == all);
    FUZZ_CHECK(core::FirstMissingScope(*g, probes) == first);
  }
  FUZZ_CHECK(core::ScopesCover(a, r) && core::ScopesCover(b, r));
  return 0;
}
