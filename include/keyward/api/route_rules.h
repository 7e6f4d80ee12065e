// Matching a forwarded request against the config's `routes` list, for forward
// auth (/v1/auth): the first rule whose method and path match decides the scope the
// request needs. Pure functions; thread-safe.
#ifndef KEYWARD_API_ROUTE_RULES_H_
#define KEYWARD_API_ROUTE_RULES_H_

#include <span>
#include <string_view>

#include "keyward/config/config.h"

namespace keyward::api {

// True when `rule` matches: its method is "*" or equals `method` (case-sensitive,
// as HTTP methods are), and its path equals the path of `uri` or, when it ends in
// "*", is a prefix of it. The query string of `uri` is ignored.
bool RouteRuleMatches(const config::RouteRule& rule, std::string_view method,
                      std::string_view uri);

// The first matching rule, or null when none matches.
const config::RouteRule* FindRouteRule(std::span<const config::RouteRule> rules,
                                       std::string_view method, std::string_view uri);

}  // namespace keyward::api

#endif  // KEYWARD_API_ROUTE_RULES_H_
