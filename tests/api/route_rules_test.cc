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

std::vector<std::string> Scopes(const std::vector<RouteRule>& rules,
                                std::string_view method, std::string_view path) {
  std::vector<std::string> out;
  for (const RouteRule* r : MatchRouteRules(rules, method, path)) out.push_back(r->scope);
  return out;
}

// Attack review: an exact rule was dodged by a trailing '/' (which most upstreams
// serve as the same resource) and a GET rule by HEAD, when a broader rule followed.
TEST(RouteRulesTest, EveryFormAnUpstreamMayServeMustMeetItsRule) {
  using V = std::vector<std::string>;
  const std::vector<RouteRule> rules = {{"GET", "/api/admin", "admin:read"},
                                        {"GET", "/api/keys/*", "keys:read"},
                                        {"*", "/*", "logs:read"}};
  EXPECT_EQ(Scopes(rules, "GET", "/api/admin"), V{"admin:read"});
  EXPECT_EQ(Scopes(rules, "GET", "/api/admin/"), (V{"logs:read", "admin:read"}));
  EXPECT_EQ(Scopes(rules, "GET", "/api/admin/?x=1"), (V{"logs:read", "admin:read"}));
  EXPECT_EQ(Scopes(rules, "HEAD", "/api/admin"), (V{"logs:read", "admin:read"}));
  EXPECT_EQ(Scopes(rules, "HEAD", "/api/keys/1"), (V{"logs:read", "keys:read"}));
  EXPECT_EQ(Scopes(rules, "HEAD", "/api/admin/"), (V{"logs:read", "admin:read"}));
  EXPECT_EQ(Scopes(rules, "POST", "/api/admin/"), V{"logs:read"});
  EXPECT_EQ(Scopes(rules, "GET", "/"), V{"logs:read"});
  // A form that only the alias matches still needs that rule; none at all: empty.
  const std::vector<RouteRule> only = {{"GET", "/api/admin", "admin:read"}};
  EXPECT_EQ(Scopes(only, "GET", "/api/admin/"), V{"admin:read"});
  EXPECT_EQ(Scopes(only, "HEAD", "/api/admin"), V{"admin:read"});
  EXPECT_TRUE(Scopes(only, "POST", "/api/admin").empty());
  EXPECT_TRUE(Scopes(only, "GET", "/api/other/").empty());
}

}  // namespace
}  // namespace keyward::api
