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
  // Case-insensitively too: a gateway may pass "get" on to an upstream that
  // upper-cases it (Django, Flask), so "get" must not skip the GET rules.
  if (rule.method != "*" && !EqualsFolded(rule.method, method)) return false;
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
  // An exact rule names a resource with or without its trailing '/'.
  return EqualsFolded(path, want) ||
         (want.size() > 1 && want.back() == '/' &&
          EqualsFolded(path, want.substr(0, want.size() - 1)));
}

const config::RouteRule* FindRouteRule(std::span<const config::RouteRule> rules,
                                       std::string_view method, std::string_view uri) {
  for (const config::RouteRule& rule : rules) {
    if (RouteRuleMatches(rule, method, uri)) return &rule;
  }
  return nullptr;
}

const config::RouteRule* FindRouteRuleForAnyForm(std::span<const config::RouteRule> rules,
                                                 std::string_view method,
                                                 std::string_view path) {
  const std::string_view bare = path.substr(0, path.find_first_of("?#"));
  const bool head = EqualsFolded(method, "HEAD");
  const bool slash = bare.size() > 1 && bare.back() == '/';
  const std::string_view stripped = slash ? bare.substr(0, bare.size() - 1) : bare;
  for (const config::RouteRule& rule : rules) {
    for (const std::string_view m : {method, head ? std::string_view("GET") : method}) {
      if (RouteRuleMatches(rule, m, bare) ||
          (slash && RouteRuleMatches(rule, m, stripped)))
        return &rule;
    }
  }
  return nullptr;
}

}  // namespace keyward::api
