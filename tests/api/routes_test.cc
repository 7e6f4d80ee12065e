// The route table carries each route's policy; these tests hold it to the contract
// so a route cannot be added without authentication by mistake.
#include "keyward/api/routes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace keyward::api {
namespace {

std::string Name(const Route& r) {
  return std::string(r.method) + " " + std::string(r.pattern);
}

TEST(RoutesTest, OnlyTheDocumentedRoutesAreOpen) {
  // Health and readiness need no key; /v1/verify and /v1/auth take the key they
  // judge as their input; /metrics is open unless metrics.require_auth. The web
  // console's files are public, and its session routes are how one signs in (they
  // check the session cookie and CSRF token themselves).
  const std::set<std::string> open = {"GET /healthz",           "GET /readyz",
                                      "POST /v1/verify",        "* /v1/auth",
                                      "* /v1/auth/{path}",      "GET /console",
                                      "GET /console/",          "GET /console/{file}",
                                      "POST /console/session",  "GET /console/session",
                                      "DELETE /console/session"};
  for (const Route& r : Routes()) {
    if (r.access == Access::kKey) {
      EXPECT_EQ(open.count(Name(r)), 0u) << Name(r);
      continue;
    }
    if (r.access == Access::kMetrics) {
      EXPECT_EQ(Name(r), "GET /metrics");
      EXPECT_EQ(r.scopes, std::vector<std::string>{"metrics:read"});
      continue;
    }
    EXPECT_EQ(open.count(Name(r)), 1u) << Name(r) << " is open but not documented so";
  }
}

TEST(RoutesTest, KeyRoutesHaveKeyedHandlersOpenRoutesOpenOnes) {
  for (const Route& r : Routes()) {
    if (r.access == Access::kKey) {
      EXPECT_NE(r.keyed, nullptr) << Name(r);
      EXPECT_EQ(r.open, nullptr) << Name(r);
    } else {
      EXPECT_NE(r.open, nullptr) << Name(r);
      EXPECT_EQ(r.keyed, nullptr) << Name(r);
    }
  }
}

TEST(RoutesTest, AdminRoutesNeedTheirResourceScopeAndNeverRunInline) {
  for (const Route& r : Routes()) {
    if (r.access != Access::kKey) continue;
    EXPECT_FALSE(r.inline_path) << Name(r) << " may wait on the store";
    if (r.pattern == "/v1/me") {
      EXPECT_TRUE(r.scopes.empty());  // any valid key may read itself
      continue;
    }
    // /v1/keys/{id}/rotate -> "keys"; GET reads, every other method writes.
    std::string resource(r.pattern.substr(4));
    resource = resource.substr(0, resource.find('/'));
    const std::string want = resource + (r.method == "GET" ? ":read" : ":write");
    EXPECT_EQ(r.scopes, std::vector<std::string>{want}) << Name(r);
  }
}

TEST(RoutesTest, PatternsMatchSegmentBySegment) {
  std::string id;
  EXPECT_TRUE(MatchPattern("/v1/keys/{id}", "/v1/keys/key_abc", id));
  EXPECT_EQ(id, "key_abc");
  // An encoded '/' stays inside its segment: this is GET /v1/keys/{id}, never rotate.
  EXPECT_TRUE(MatchPattern("/v1/keys/{id}", "/v1/keys/a%2Frotate", id));
  EXPECT_EQ(id, "a/rotate");
  EXPECT_FALSE(MatchPattern("/v1/keys/{id}/rotate", "/v1/keys/a%2Frotate", id));
  EXPECT_FALSE(MatchPattern("/v1/keys/{id}", "/v1/keys/", id));
  EXPECT_FALSE(MatchPattern("/v1/keys", "/v1/keys/", id));
  EXPECT_FALSE(MatchPattern("/v1/keys", "/v1/Keys", id));
  EXPECT_FALSE(MatchPattern("/v1/keys/{id}", "/v1/keys/%zz", id));
}

}  // namespace
}  // namespace keyward::api
