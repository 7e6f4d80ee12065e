// IP allow/deny lists over HTTPS, with and without a trusted proxy in front.
#include "configured_server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

// No trusted_proxies: the client IP is always the TCP peer, 127.0.0.1.
class IpPolicyTest : public ConfiguredServerTest {};

TEST_F(IpPolicyTest, AllowAndDenyListsDecideByPeerAddress) {
  struct Case {
    json allow, deny;
    int status;
  };
  const Case cases[] = {
      {json::array(), json::array(), 200},
      {{"127.0.0.1"}, json::array(), 200},
      {{"127.0.0.0/8"}, json::array(), 200},
      {{"203.0.113.0/24"},
       json::array(),
       403},  // a non-empty allow list admits no one else
      {json::array(), {"127.0.0.1/32"}, 403},
      {json::array(), {"203.0.113.0/24"}, 200},
      {{"127.0.0.1"}, {"127.0.0.0/8"}, 200},  // allow wins over deny
      {{"::1"}, json::array(), 403},          // other family
  };
  for (const auto& c : cases) {
    json k = CreateKey({{"name", "ip"}, {"ip_allow", c.allow}, {"ip_deny", c.deny}});
    auto r = Do("GET", "/v1/me", k["key"]);
    EXPECT_EQ(r.status, c.status) << c.allow.dump() << " " << c.deny.dump() << r.body;
    if (c.status == 403) {
      EXPECT_EQ(Json(r)["code"], "forbidden_ip");
      EXPECT_EQ(Json(r)["outcome"], "FORBIDDEN_IP");
      EXPECT_FALSE(r.Header("RateLimit").empty());  // a known key: its state is shown
      EXPECT_EQ(VerifyKey(k["key"])["code"], "FORBIDDEN_IP");
    }
  }
}

TEST_F(IpPolicyTest, ForbiddenIpIsCheckedBeforeScopes) {
  json k =
      CreateKey({{"name", "ip"}, {"scopes", {"logs:read"}}, {"ip_deny", {"127.0.0.1"}}});
  json r = VerifyKey(k["key"], {"billing:write"});
  EXPECT_EQ(r["code"], "FORBIDDEN_IP");
  EXPECT_EQ(r["valid"], false);
  EXPECT_FALSE(r.contains("missing_scope"));
}

TEST_F(IpPolicyTest, UntrustedForwardedForAndVerifyIpAreIgnored) {
  json k = CreateKey({{"name", "ip"}, {"ip_allow", {"203.0.113.0/24"}}});
  auto r = Do("GET", "/v1/me", k["key"], nullptr, {{"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(r.status, 403) << r.body;
  r = Do("POST", "/v1/verify", "", {{"key", k["key"]}, {"ip", "203.0.113.9"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["code"], "FORBIDDEN_IP");
}

TEST_F(IpPolicyTest, PatchedListsApplyToTheNextRequest) {
  json k = CreateKey({{"name", "ip"}});
  const std::string path = "/v1/keys/" + k["id"].get<std::string>();
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);
  auto patched =
      Do("PATCH", path, admin_key_, {{"ip_deny", {"127.0.0.1", "10.0.0.0/8"}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["ip_deny"], json({"127.0.0.1/32", "10.0.0.0/8"}));
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 403);
  ASSERT_EQ(Do("PATCH", path, admin_key_, {{"ip_allow", {"127.0.0.1"}}}).status, 200);
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);
  ASSERT_EQ(Do("PATCH", path, admin_key_, {{"ip_allow", json::array()}}).status, 200);
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 403);
  auto bad = Do("PATCH", path, admin_key_, {{"ip_allow", {"10.0.0.0/8", "10.0.0.1/8"}}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_EQ(Json(bad)["errors"][0]["field"], "ip_allow[1]");
  EXPECT_NE(Json(bad)["errors"][0]["message"].get<std::string>().find("10.0.0.1/8"),
            std::string::npos);
}

// The test client connects from 127.0.0.1, which is configured as a trusted proxy.
class TrustedProxyTest : public ConfiguredServerTest {
 protected:
  json Config() override { return {{"trusted_proxies", {"127.0.0.1/32"}}}; }
};

TEST_F(TrustedProxyTest, RightmostUntrustedForwardedForIsTheClient) {
  json k = CreateKey({{"name", "ip"}, {"ip_allow", {"203.0.113.0/24"}}});
  struct Case {
    std::string xff;  // "" = no header
    int status;
  };
  const Case cases[] = {
      {"", 403},  // the proxy itself is not allowed
      {"203.0.113.9", 200},
      {"198.51.100.1, 203.0.113.9", 200},  // the rightmost is the one our proxy saw
      {"203.0.113.9, 198.51.100.1", 403},  // the client may forge the left part only
      {"203.0.113.9, 127.0.0.1", 200},     // our own proxies are skipped
      {"garbage, 203.0.113.9", 200},
      {"203.0.113.9, garbage", 403},  // unparseable: stop trusting, use the peer
  };
  for (const auto& c : cases) {
    Headers h;
    if (!c.xff.empty()) h.emplace_back("X-Forwarded-For", c.xff);
    auto r = Do("GET", "/v1/me", k["key"], nullptr, h);
    EXPECT_EQ(r.status, c.status) << "X-Forwarded-For: " << c.xff << " -> " << r.body;
  }
}

TEST_F(TrustedProxyTest, VerifyHonoursTheIpAProxyGives) {
  json k = CreateKey({{"name", "ip"}, {"ip_allow", {"203.0.113.0/24"}}});
  auto r = Do("POST", "/v1/verify", "", {{"key", k["key"]}, {"ip", "203.0.113.9"}});
  EXPECT_EQ(Json(r)["code"], "VALID") << r.body;
  r = Do("POST", "/v1/verify", "", {{"key", k["key"]}, {"ip", "198.51.100.1"}});
  EXPECT_EQ(Json(r)["code"], "FORBIDDEN_IP") << r.body;
  r = Do("POST", "/v1/verify", "", {{"key", k["key"]}, {"ip", "::ffff:203.0.113.9"}});
  EXPECT_EQ(Json(r)["code"], "VALID") << r.body;
}

}  // namespace
}  // namespace keyward::testing
