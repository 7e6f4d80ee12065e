#include "keyward/api/route_rules.h"

namespace keyward::api {

bool RouteRuleMatches(const config::RouteRule& rule, std::string_view method,
                      std::string_view uri) {
  if (rule.method != "*" && rule.method != method) return false;
  // Rules name paths; "/api/logs?x=1" must match "/api/logs" and a query such as
  // "?/admin" must never make a path look like another.
  const std::string_view path = uri.substr(0, uri.find_first_of("?#"));
  const std::string_view want = rule.path;
  if (!want.empty() && want.back() == '*') {
    return path.substr(0, want.size() - 1) == want.substr(0, want.size() - 1);
  }
  return path == want;
}

const config::RouteRule* FindRouteRule(std::span<const config::RouteRule> rules,
                                       std::string_view method, std::string_view uri) {
  for (const config::RouteRule& rule : rules) {
    if (RouteRuleMatches(rule, method, uri)) return &rule;
  }
  return nullptr;
}

}  // namespace keyward::api
