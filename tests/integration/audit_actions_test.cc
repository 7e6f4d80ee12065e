// Every admin write and every refused admin call leaves an audit event with the right
// actor, target and outcome, readable through GET /v1/audit, and no event ever holds
// key material.
#include <regex>
#include <set>

#include "audit_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class AuditActionsTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    admin_user_ = MyUserId(admin_key_);
    admin_key_id_ = MyKeyId(admin_key_);
  }

  // The event for `action` on `target`, checked to be the admin's success.
  json ExpectAdminEvent(const std::string& action, const std::string& target,
                        const std::string& target_type) {
    json e = EventFor(action, target);
    EXPECT_FALSE(e.is_null()) << "no " << action << " on " << target;
    if (e.is_null()) return e;
    EXPECT_EQ(e["outcome"], "success") << e;
    EXPECT_EQ(e["actor_user_id"], admin_user_) << e;
    EXPECT_EQ(e["actor_key_id"], admin_key_id_) << e;
    EXPECT_EQ(e["target_type"], target_type) << e;
    EXPECT_TRUE(e["details"].is_object()) << e;
    EXPECT_FALSE(e["ip"].get<std::string>().empty()) << e;
    EXPECT_TRUE(std::regex_match(e["at"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << e;
    return e;
  }

  std::string admin_user_, admin_key_id_;
};

TEST_F(AuditActionsTest, EveryWriteIsRecordedWithActorTargetAndOutcome) {
  std::vector<std::string> secrets = {admin_key_};
  const std::string org = NewOrg();
  ExpectAdminEvent("org.create", org, "org");
  ASSERT_EQ(
      Do("PATCH", "/v1/orgs/" + org, admin_key_, {{"name", Unique("renamed")}}).status,
      200);
  EXPECT_EQ(ExpectAdminEvent("org.update", org, "org")["details"]["fields"], "name");

  json user = NewUser(org, "member", {"logs:read"});
  const std::string uid = user["id"];
  ExpectAdminEvent("user.create", uid, "user");
  ASSERT_EQ(
      Do("PATCH", "/v1/users/" + uid, admin_key_, {{"username", Unique("u")}}).status,
      200);
  EXPECT_EQ(ExpectAdminEvent("user.update", uid, "user")["details"]["fields"],
            "username");

  json key = KeyFor(uid, {"logs:read"});
  secrets.push_back(key["key"]);
  const std::string kid = key["id"];
  json created = ExpectAdminEvent("key.create", kid, "key");
  EXPECT_EQ(created["details"]["prefix"], key["prefix"]);
  ASSERT_EQ(Do("PATCH", "/v1/keys/" + kid, admin_key_, {{"name", "n2"}}).status, 200);
  EXPECT_EQ(ExpectAdminEvent("key.update", kid, "key")["details"]["fields"], "name");
  auto rotated =
      Do("POST", "/v1/keys/" + kid + "/rotate", admin_key_, {{"grace_seconds", 60}});
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  json next = Json(rotated);
  secrets.push_back(next["key"]);
  EXPECT_EQ(ExpectAdminEvent("key.rotate", kid, "key")["details"]["new_key_id"],
            next["id"]);
  ASSERT_EQ(Do("DELETE", "/v1/keys/" + next["id"].get<std::string>(), admin_key_).status,
            204);
  ExpectAdminEvent("key.revoke", next["id"], "key");

  ASSERT_EQ(Do("DELETE", "/v1/users/" + uid, admin_key_).status, 204);
  ExpectAdminEvent("user.delete", uid, "user");

  // A forced org delete says so.
  const std::string doomed = NewOrg();
  json doomed_user = NewUser(doomed, "member");
  secrets.push_back(KeyFor(doomed_user["id"], json::array())["key"]);
  ASSERT_EQ(Do("DELETE", "/v1/orgs/" + doomed + "?force=true", admin_key_).status, 204);
  json deleted = ExpectAdminEvent("org.delete", doomed, "org");
  EXPECT_EQ(deleted["details"]["force"], "true");
  EXPECT_EQ(deleted["details"]["revoked_keys"], "1");

  // No event anywhere holds an issued key, its secret part, or a key-shaped string.
  const std::string all = Do("GET", "/v1/audit?limit=500", admin_key_).body;
  ASSERT_FALSE(all.empty());
  for (const std::string& s : secrets) {
    EXPECT_EQ(all.find(s), std::string::npos);
    EXPECT_EQ(all.find(s.substr(s.size() - 32)), std::string::npos);
  }
  EXPECT_FALSE(std::regex_search(all, std::regex("kw_[0-9A-Za-z]{49}")));
}

TEST_F(AuditActionsTest, RefusedCallsAreRecordedAsDenied) {
  const std::string org = NewOrg();
  json member = NewUser(org, "member", {"logs:read"});
  json member_key = KeyFor(member["id"], {"logs:read"});
  const std::string presented = "kw_" + std::string(49, 'A');

  EXPECT_EQ(Do("GET", "/v1/users", presented).status, 401);
  json unauth = AwaitDenial([](const json& e) {
    return e["details"].value("status", "") == "401" &&
           e["details"].value("route", "") == "/v1/users";
  });
  ASSERT_FALSE(unauth.is_null());
  EXPECT_EQ(unauth["outcome"], "denied");
  EXPECT_EQ(unauth["target_type"], "user");

  EXPECT_EQ(Do("POST", "/v1/orgs", member_key["key"], {{"name", "nope"}}).status, 403);
  json forbidden = AwaitDenial([&](const json& e) {
    return e["details"].value("status", "") == "403" &&
           e["actor_key_id"] == member_key["id"];
  });
  ASSERT_FALSE(forbidden.is_null());
  EXPECT_EQ(forbidden["actor_user_id"], member["id"]);
  EXPECT_EQ(forbidden["target_type"], "org");

  const std::string all = Do("GET", "/v1/audit?limit=500", admin_key_).body;
  EXPECT_EQ(all.find(presented), std::string::npos);
  EXPECT_EQ(all.find(member_key["key"].get<std::string>()), std::string::npos);
  // The queue is far from full, and its drop counter is exported.
  EXPECT_NE(Do("GET", "/metrics", "").body.find("keyward_audit_events_dropped_total 0"),
            std::string::npos);
}

TEST_F(AuditActionsTest, LocalCliWritesAreAuditedAsTheCli) {
  const std::string out = dir_.File("cli.key");
  CliResult created = RunCli({"keys", "create", "--data-dir", data_dir(), "--owner",
                              "admin", "--name", "from cli", "--out", out});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  json e = Events("action=key.create&limit=1")[0];
  EXPECT_TRUE(e["actor_user_id"].is_null()) << e;
  EXPECT_TRUE(e["actor_key_id"].is_null()) << e;
  EXPECT_EQ(e["details"]["via"], "cli") << e;
  EXPECT_EQ(e["outcome"], "success");
  const std::string id = e["target_id"];
  CliResult revoked = RunCli({"keys", "revoke", id, "--data-dir", data_dir()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  json r = EventFor("key.revoke", id);
  ASSERT_FALSE(r.is_null());
  EXPECT_EQ(r["details"]["via"], "cli");
}

TEST_F(AuditActionsTest, EventsSurviveARestart) {
  const std::string org = NewOrg();
  // A denial is queued, not written at once: stopping must still keep it.
  EXPECT_EQ(Do("GET", "/v1/orgs/" + org, "").status, 401);
  ASSERT_EQ(StopServer(), 0);
  StartServer();
  EXPECT_FALSE(EventFor("org.create", org).is_null());
  EXPECT_FALSE(EventFor("auth.denied", org).is_null());
}

}  // namespace
}  // namespace keyward::testing
