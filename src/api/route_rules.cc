#include "keyward/api/route_rules.h"

#include <algorithm>

#include "keyward/http/message.h"

namespace keyward::api {

namespace {

// ASCII case-insensitive: some upstreams (IIS, case-insensitive file systems,
// frameworks with case-insensitive routing) serve /API/admin as /api/admin, so a
// rule must not be dodged by changing case. Matching more is the safe direction.
bool EqualsFolded(std::string_view a, std::string_view b) {
  return http::HeaderNameEquals(a, b);  // the same ASCII case folding
}

}  // namespace

bool RouteRuleMatches(const config::RouteRule& rule, std::string_view method,
                      std::string_view uri) {
  if (rule.method != "*" && rule.method != method) return false;
  // Rules name paths; "/api/logs?x=1" must match "/api/logs" and a query such as
  // "?/admin" must never make a path look like another.
  const std::string_view path = uri.substr(0, uri.find_first_of("?#"));
  const std::string_view want = rule.path;
  if (!want.empty() && want.back() == '*') {
    const std::string_view stem = want.substr(0, want.size() - 1);
    if (EqualsFolded(path.substr(0, stem.size()), stem)) return true;
    // "/api/admin/*" also covers "/api/admin" itself: the directory and its
    // contents are the same upstream resource tree.
    return !stem.empty() && stem.back() == '/' &&
           EqualsFolded(path, stem.substr(0, stem.size() - 1));
  }
  return EqualsFolded(path, want);
}

const config::RouteRule* FindRouteRule(std::span<const config::RouteRule> rules,
                                       std::string_view method, std::string_view uri) {
  for (const config::RouteRule& rule : rules) {
    if (RouteRuleMatches(rule, method, uri)) return &rule;
  }
  return nullptr;
}

std::vector<const config::RouteRule*> MatchRouteRules(
    std::span<const config::RouteRule> rules, std::string_view method,
    std::string_view path) {
  const std::string_view bare = path.substr(0, path.find_first_of("?#"));
  std::string_view methods[2] = {method, {}};
  if (method == "HEAD") methods[1] = "GET";
  std::string_view paths[2] = {bare, {}};
  if (bare.size() > 1 && bare.back() == '/') paths[1] = bare.substr(0, bare.size() - 1);
  std::vector<const config::RouteRule*> out;
  for (const std::string_view m : methods) {
    if (m.empty()) continue;
    for (const std::string_view p : paths) {
      if (p.empty()) continue;
      const config::RouteRule* rule = FindRouteRule(rules, m, p);
      if (rule != nullptr && std::find(out.begin(), out.end(), rule) == out.end()) {
        out.push_back(rule);
      }
    }
  }
  return out;
}

}  // namespace keyward::api
