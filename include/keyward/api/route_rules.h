// Matching a forwarded request against the config's `routes` list, for forward
// auth (/v1/auth): the first rule whose method and path match decides the scope the
// request needs, for the request as sent and for each form an upstream may serve it
// as (MatchRouteRules). Pure functions; thread-safe.
#ifndef KEYWARD_API_ROUTE_RULES_H_
#define KEYWARD_API_ROUTE_RULES_H_

#include <span>
#include <string_view>
#include <vector>

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

// Every rule a forwarded request must satisfy: the first rule matching it as sent,
// and the first matching each other form most upstreams serve it as: a HEAD as the
// GET (frameworks run the GET handler, headers and side effects included), a path
// ending in '/' as the path without it (Express, Spring before 6 and Rails route
// "/api/admin/" to "/api/admin"). Requiring all of them, no form of a request gets
// past a rule another form would meet: an exact "GET /api/admin" rule is not
// dodged by "/api/admin/" or by HEAD when a broader rule follows. Distinct rules,
// in the order found; empty when no form matches any rule (fail closed). `path`
// is the normalised path (uri_normalizer.h), query included or not.
std::vector<const config::RouteRule*> MatchRouteRules(
    std::span<const config::RouteRule> rules, std::string_view method,
    std::string_view path);

}  // namespace keyward::api

#endif  // KEYWARD_API_ROUTE_RULES_H_
