// Matching a forwarded request against the config's `routes` list, for forward
// auth (/v1/auth): the first rule whose method and path match decides the scope the
// request needs, for the request as sent and for each form an upstream may serve it
// as (MatchRouteRules). Pure functions; thread-safe.
#ifndef KEYWARD_API_ROUTE_RULES_H_
#define KEYWARD_API_ROUTE_RULES_H_

#include <span>
#include <string_view>

#include "keyward/config/config.h"

namespace keyward::api {

// True when `rule` matches: its method is "*" or equals `method` (ASCII case-
// insensitively), and its path equals the path of `uri` (with or without the
// rule's trailing '/') or, when it ends in "*", is a prefix of it. The query string
// of `uri` is ignored.
bool RouteRuleMatches(const config::RouteRule& rule, std::string_view method,
                      std::string_view uri);

// The first matching rule, or null when none matches.
const config::RouteRule* FindRouteRule(std::span<const config::RouteRule> rules,
                                       std::string_view method, std::string_view uri);

// The first rule matching a forwarded request in any form most upstreams serve it
// as: as sent, a HEAD as the GET (frameworks run the GET handler, headers and side
// effects included), a path ending in '/' as the path without it (Express, Spring
// before 6 and Rails route "/api/admin/" to "/api/admin"). So an exact
// "GET /api/admin" rule is not dodged by "/api/admin/" or by HEAD when a broader
// rule follows (attack review), and a key holding that rule's scope alone passes
// for all three. Null when no form matches any rule (fail closed). `path` is the
// normalised path (uri_normalizer.h), query included or not.
const config::RouteRule* FindRouteRuleForAnyForm(std::span<const config::RouteRule> rules,
                                                 std::string_view method,
                                                 std::string_view path);

}  // namespace keyward::api

#endif  // KEYWARD_API_ROUTE_RULES_H_
