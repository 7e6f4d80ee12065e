#include "keyward/api/route_rules.h"

#include <gtest/gtest.h>

#include <vector>

namespace keyward::api {
namespace {

using config::RouteRule;

TEST(RouteRulesTest, ExactPathAndMethod) {
  const RouteRule rule{"GET", "/api/logs", "logs:read"};
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/api/logs"));
  EXPECT_TRUE(RouteRuleMatches(rule, "GET", "/api/logs?since=1"));
  EXPECT_FALSE(RouteRuleMatches(rule, "POST", "/api/logs"));
  EXPECT_FALSE(RouteRuleMatches(rule, "get", "/api/logs"));
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

}  // namespace
}  // namespace keyward::api
