// Refused admin calls leave an auth.denied trace (logged at debug level until the
// audit issue stores them), and never with key material in it.
#include "tenancy_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class AuditHookTest : public TenancyTest {
 protected:
  KeywardProcess::Options ServerOptions() override {
    auto o = TenancyTest::ServerOptions();
    o.env.push_back("KEYWARD_LOG_LEVEL=debug");
    return o;
  }

  int CountDenied(const std::string& needle) {
    // Usage and other debug lines are interleaved; count only audit lines.
    const std::string log = server_->log();
    int n = 0;
    for (size_t at = 0; (at = log.find("audit auth.denied", at)) != std::string::npos;
         ++at) {
      const size_t eol = log.find('\n', at);
      if (log.substr(at, eol - at).find(needle) != std::string::npos) ++n;
    }
    return n;
  }
};

TEST_F(AuditHookTest, RefusalsAreReported) {
  const std::string org_a = NewOrg(), org_b = NewOrg();
  json member = NewUser(org_a, "member", {"*"});
  json member_key = KeyFor(member["id"], {"*"});
  json other = NewUser(org_b, "member");
  json other_key = KeyFor(other["id"], json::array());

  struct Case {
    const char* what;
    std::function<int()> call;
    int status;
    std::string needle;  // must appear on a new auth.denied line
  };
  const std::string mkey = member_key["key"];
  const std::vector<Case> cases = {
      {"no key", [&] { return Do("GET", "/v1/users", "").status; }, 401,
       "reason=unauthenticated"},
      {"unknown key", [&] { return Do("GET", "/v1/users", "kw_nonsense").status; }, 401,
       "code=invalid_token"},
      {"missing scope",
       [&] { return Do("GET", "/v1/users", std::string(other_key["key"])).status; }, 403,
       "actor_key=" + std::string(other_key["id"])},
      {"role refusal",
       [&] {
         return Do("POST", "/v1/orgs", mkey, {{"name", "nope"}}).status;
       },
       403, "reason=forbidden"},
      {"invisible key",
       [&] { return Do("GET", "/v1/keys/" + std::string(other_key["id"]), mkey).status; },
       404, "target=key:" + std::string(other_key["id"])},
      {"invisible user",
       [&] { return Do("GET", "/v1/users/" + std::string(other["id"]), mkey).status; },
       404, "target=user:" + std::string(other["id"])},
      {"invisible org", [&] { return Do("GET", "/v1/orgs/" + org_b, mkey).status; }, 404,
       "target=org:" + org_b},
  };
  for (const auto& c : cases) {
    const int before = CountDenied(c.needle);
    EXPECT_EQ(c.call(), c.status) << c.what;
    EXPECT_EQ(CountDenied(c.needle), before + 1) << c.what << "\n" << server_->log();
  }
  // Successful calls are not refusals.
  const int before = CountDenied("");
  EXPECT_EQ(Do("GET", "/v1/users/" + std::string(member["id"]), mkey).status, 200);
  EXPECT_EQ(CountDenied(""), before);
  // No key material in any of it.
  const std::string log = server_->log();
  EXPECT_EQ(log.find(mkey), std::string::npos);
  EXPECT_EQ(log.find(std::string(other_key["key"])), std::string::npos);
  EXPECT_EQ(log.find(admin_key_), std::string::npos);
}

// Forward auth takes any method, so the method is the client's: a key pasted there
// (split so it is no one run of base62) must not reach the audit trail.
TEST_F(AuditHookTest, AnUnknownMethodIsNotRecordedAsSent) {
  json k = KeyFor(NewUser(NewOrg(), "member")["id"], json::array());
  const std::string key = k["key"];
  const std::string method = key.substr(0, 20) + "-" + key.substr(20);
  auto r = client_->Send(method, "/v1/auth/x", {});
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(CountDenied("method=(other)"), 1) << server_->log();
  EXPECT_EQ(server_->log().find(key.substr(20)), std::string::npos);
}

}  // namespace
}  // namespace keyward::testing
