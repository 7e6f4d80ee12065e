#include "keyward/api/route_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace keyward::api {
namespace {

using config::RouteRule;

TEST(RouteRulesTest, ExactPathAndMethod) {
  const RouteRule rule{"GET", "/api/logs", "logs:read"};
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/api/logs"));
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/api/logs?since=1"));
  EXPECT_FALSE(RouteRuleMatches(rule, "POST", "/api/logs"));
  // Methods fold case: an upstream may upper-case a "get" a gateway passed on.
  EXPECT_TRUE(RouteRuleMatches(rule, "get", "/api/logs"));
  EXPECT_FALSE(RouteRuleMatches(rule, "GET", "/api/logs/1"));
  EXPECT_FALSE(RouteRuleMatches(rule, "GET", "/api/log"));
}

TEST(RouteRulesTest, PrefixAndAnyMethod) {
  const RouteRule rule{"*", "/api/logs/*", "logs:read"};
  EXPECT_TRUE(RouteRuleMatches(rule, "DELETE", "/api/logs/7"));
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/api/logs/"));
  // The directory itself is part of its tree (contract 4.2: /api/%61dmin matches
  // the /api/admin/* route once normalised).
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/api/logs"));
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/API/Logs/1"));
  EXPECT_FALSE(RouteRuleMatches(rule, "GET", "/api/logsx"));
  // The query string is not part of the path.
  EXPECT_FALSE(RouteRuleMatches(rule, "GET", "/api/other?/api/logs/1"));
}

TEST(RouteRulesTest, FirstMatchWins) {
  const std::vector<RouteRule> rules = {{"POST", "/api/logs/*", "logs:write"},
                                        {"*", "/api/logs/*", "logs:read"},
                                        {"*", "/*", "api:use"}};
  EXPECT_EQ(FindRouteRule(rules, "POST", "/api/logs/1")->scope, "logs:write");
  EXPECT_EQ(FindRouteRule(rules, "GET", "/api/logs/1")->scope, "logs:read");
  EXPECT_EQ(FindRouteRule(rules, "GET", "/health")->scope, "api:use");
  EXPECT_EQ(FindRouteRule(std::span(rules).first(2), "GET", "/health"), nullptr);
}

std::string Scope(const std::vector<RouteRule>& rules, std::string_view method,
                  std::string_view path) {
  const RouteRule* r = FindRouteRuleForAnyForm(rules, method, path);
  return r == nullptr ? "(none)" : r->scope;
}

// Attack review: an exact rule was dodged by a trailing '/' (which most upstreams
// serve as the same resource), by HEAD, or by a lower-case method, when a broader
// rule followed. The first rule matching any form decides, so a key holding that
// rule's scope alone passes for every form (attack review 2: requiring every
// form's rule refused such keys).
TEST(RouteRulesTest, TheFirstRuleMatchingAnyFormAnUpstreamServesDecides) {
  const std::vector<RouteRule> rules = {{"GET", "/api/admin", "admin:read"},
                                        {"GET", "/api/keys/*", "keys:read"},
                                        {"GET", "/api/slash/", "slash:read"},
                                        {"*", "/*", "logs:read"}};
  for (const char* method : {"GET", "HEAD", "get", "head", "Get"}) {
    for (const char* path :
         {"/api/admin", "/api/admin/", "/api/admin/?x=1", "/API/Admin/"}) {
      EXPECT_EQ(Scope(rules, method, path), "admin:read") << method << " " << path;
    }
    EXPECT_EQ(Scope(rules, method, "/api/keys/1"), "keys:read") << method;
    // A rule written with its '/' covers the path without it.
    EXPECT_EQ(Scope(rules, method, "/api/slash"), "slash:read") << method;
    EXPECT_EQ(Scope(rules, method, "/api/slash/"), "slash:read") << method;
  }
  EXPECT_EQ(Scope(rules, "POST", "/api/admin/"), "logs:read");
  EXPECT_EQ(Scope(rules, "GET", "/"), "logs:read");
  EXPECT_EQ(Scope(rules, "GET", "/api/administrator"), "logs:read");
  const std::vector<RouteRule> only = {{"GET", "/api/admin", "admin:read"}};
  EXPECT_EQ(Scope(only, "GET", "/api/admin/"), "admin:read");
  EXPECT_EQ(Scope(only, "HEAD", "/api/admin"), "admin:read");
  EXPECT_EQ(Scope(only, "POST", "/api/admin"), "(none)");
  EXPECT_EQ(Scope(only, "GET", "/api/other/"), "(none)");
}

}  // namespace
}  // namespace keyward::api
