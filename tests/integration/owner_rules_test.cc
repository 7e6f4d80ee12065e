// The owner rules of contract section 4: a key is only as strong as its owner right
// now. Every change to a user or org applies to the very next request.
#include "tenancy_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class OwnerRulesTest : public TenancyTest {};

TEST_F(OwnerRulesTest, LoweringPermissionsNarrowsKeysAtOnce) {
  const std::string org = NewOrg();
  json u = NewUser(org, "member", {"logs:*", "metrics:read"});
  json k = KeyFor(u["id"], {"logs:read", "logs:write", "metrics:read"});
  EXPECT_EQ(Code(k["key"], {"logs:write"}), "VALID");
  ASSERT_EQ(Do("PATCH", "/v1/users/" + std::string(u["id"]), admin_key_,
               {{"permissions", {"logs:read"}}})
                .status,
            200);
  json v = VerifyKey(k["key"], {"logs:write"});
  EXPECT_EQ(v["code"], "INSUFFICIENT_SCOPE");
  EXPECT_EQ(v["effective_scopes"], json({"logs:read"}));
  // The key itself keeps its scopes: raising the user back restores them.
  EXPECT_EQ(
      Json(Do("GET", "/v1/keys/" + std::string(k["id"]), admin_key_))["scopes"].size(),
      3u);
  ASSERT_EQ(Do("PATCH", "/v1/users/" + std::string(u["id"]), admin_key_,
               {{"permissions", {"*"}}})
                .status,
            200);
  EXPECT_EQ(Code(k["key"], {"logs:write"}), "VALID");
}

TEST_F(OwnerRulesTest, DemotingAPlatformAdminToMemberEmptiesTheirKeys) {
  const std::string org = NewOrg();
  json pa = NewUser(org, "platform_admin");
  ASSERT_EQ(pa["permissions"], json({"*"}));
  json k = KeyFor(pa["id"], {"*"});
  EXPECT_EQ(Do("GET", "/v1/orgs", k["key"]).status, 200);
  EXPECT_EQ(Code(k["key"], {"logs:read"}), "VALID");

  auto r =
      Do("PATCH", "/v1/users/" + std::string(pa["id"]), admin_key_, {{"role", "member"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["permissions"], json::array());  // the member default
  // The very next requests: no scope left, and no admin reach either.
  json v = VerifyKey(k["key"], {"logs:read"});
  EXPECT_EQ(v["code"], "INSUFFICIENT_SCOPE");
  EXPECT_EQ(v["effective_scopes"], json::array());
  EXPECT_EQ(Do("GET", "/v1/orgs", k["key"]).status, 403);
  EXPECT_EQ(Do("GET", "/v1/me", k["key"]).status, 200);  // still a valid key

  // Demoting with explicit permissions keeps exactly those.
  json pa2 = NewUser(org, "platform_admin");
  json k2 = KeyFor(pa2["id"], {"*"});
  r = Do("PATCH", "/v1/users/" + std::string(pa2["id"]), admin_key_,
         {{"role", "org_admin"}, {"permissions", {"keys:*", "logs:read"}}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Code(k2["key"], {"logs:read"}), "VALID");
  EXPECT_EQ(Code(k2["key"], {"orgs:read"}), "INSUFFICIENT_SCOPE");
  // As an org admin it now sees only its own org.
  r = Do("GET", "/v1/keys?limit=500", k2["key"]);
  ASSERT_EQ(r.status, 200);
  const json items = Json(r)["items"];
  EXPECT_FALSE(items.empty());
  for (const auto& item : items) EXPECT_EQ(item["org_id"], org);
}

TEST_F(OwnerRulesTest, DisabledUserOrOrgRefusesKeysOnTheNextRequest) {
  const std::string org = NewOrg();
  json oa = NewUser(org, "org_admin");
  const std::string user_key = KeyFor(oa["id"], {"*"})["key"];
  const std::string org_key = OrgKey(user_key, {"logs:read"})["key"];
  const std::string user_path = "/v1/users/" + std::string(oa["id"]);
  const std::string org_path = "/v1/orgs/" + org;
  struct Step {
    std::string path;
    json body;
    const char* user_key_code;
    const char* org_key_code;
  };
  const Step steps[] = {
      {user_path, {{"enabled", false}}, "OWNER_DISABLED", "VALID"},
      {user_path, {{"enabled", true}}, "VALID", "VALID"},
      {user_path, {{"api_keys_enabled", false}}, "OWNER_DISABLED", "VALID"},
      {user_path, {{"api_keys_enabled", true}}, "VALID", "VALID"},
      {org_path, {{"enabled", false}}, "OWNER_DISABLED", "OWNER_DISABLED"},
      {org_path, {{"enabled", true}}, "VALID", "VALID"},
      {org_path, {{"api_keys_enabled", false}}, "OWNER_DISABLED", "OWNER_DISABLED"},
      {org_path, {{"api_keys_enabled", true}}, "VALID", "VALID"},
  };
  for (const auto& s : steps) {
    auto r = Do("PATCH", s.path, admin_key_, s.body);
    ASSERT_EQ(r.status, 200) << r.body;
    // The very next request, through /v1/verify and through the admin API.
    EXPECT_EQ(Code(user_key), s.user_key_code) << s.path << " " << s.body.dump();
    EXPECT_EQ(Code(org_key), s.org_key_code) << s.path << " " << s.body.dump();
    auto me = Do("GET", "/v1/me", user_key);
    EXPECT_EQ(me.status, std::string(s.user_key_code) == "VALID" ? 200 : 401);
  }
}

TEST_F(OwnerRulesTest, DeletingAUserRevokesTheirKeysButNotTheOrgKeysTheyMade) {
  const std::string org = NewOrg();
  json leaver = NewUser(org, "org_admin");
  json stayer = NewUser(org, "org_admin");
  const std::string leaver_key = KeyFor(leaver["id"], {"*"})["key"];
  json leaver_key2 = KeyFor(leaver["id"], {"logs:read"});
  json org_key = OrgKey(leaver_key, {"logs:read"});
  EXPECT_EQ(org_key["created_by"], leaver["id"]);
  const std::string stayer_key = KeyFor(stayer["id"], {"*"})["key"];

  ASSERT_EQ(Do("DELETE", "/v1/users/" + std::string(leaver["id"]), admin_key_).status,
            204);
  // The very next request: every user key of the leaver is revoked, not merely
  // refused because its owner is gone.
  EXPECT_EQ(Code(leaver_key), "REVOKED");
  EXPECT_EQ(Code(leaver_key2["key"]), "REVOKED");
  json got = Json(Do("GET", "/v1/keys/" + std::string(leaver_key2["id"]), admin_key_));
  EXPECT_EQ(got["status"], "revoked");
  EXPECT_TRUE(got["revoked_at"].is_string());
  // The org key they created still works and the org's other admins manage it.
  EXPECT_EQ(Code(org_key["key"], {"logs:read"}), "VALID");
  const std::string org_key_path = "/v1/keys/" + std::string(org_key["id"]);
  EXPECT_EQ(Do("GET", org_key_path, stayer_key).status, 200);
  auto r = Do("PATCH", org_key_path, stayer_key, {{"name", "adopted"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Code(org_key["key"], {"logs:read"}), "VALID");
  EXPECT_EQ(Do("POST", org_key_path + "/rotate", stayer_key).status, 201);
  // The user is gone.
  EXPECT_EQ(Do("GET", "/v1/users/" + std::string(leaver["id"]), admin_key_).status, 404);
  EXPECT_EQ(Do("DELETE", "/v1/users/" + std::string(leaver["id"]), admin_key_).status,
            404);
  auto list = Json(Do("GET", "/v1/users?org_id=" + org, admin_key_));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], stayer["id"]);
}

TEST_F(OwnerRulesTest, DeletingAnOrgNeedsForceWhileItHasUsersOrKeys) {
  const std::string org = NewOrg();
  json oa = NewUser(org, "org_admin");
  const std::string user_key = KeyFor(oa["id"], {"*"})["key"];
  const std::string org_key = OrgKey(user_key, {"logs:read"})["key"];
  const std::string path = "/v1/orgs/" + org;

  auto r = Do("DELETE", path, admin_key_);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Json(r)["code"], "conflict");
  EXPECT_NE(r.body.find("force=true"), std::string::npos);
  EXPECT_EQ(Do("DELETE", path + "?force=false", admin_key_).status, 409);
  EXPECT_EQ(Do("DELETE", path + "?force=yes", admin_key_).status, 422);
  EXPECT_EQ(Do("DELETE", path + "?forse=true", admin_key_).status, 422);
  EXPECT_EQ(Code(user_key), "VALID");  // a refused delete changes nothing

  EXPECT_EQ(Do("DELETE", path + "?force=true", admin_key_).status, 204);
  // Forced: keys revoked and users deleted, at once.
  EXPECT_EQ(Code(user_key), "REVOKED");
  EXPECT_EQ(Code(org_key), "REVOKED");
  EXPECT_EQ(Do("GET", path, admin_key_).status, 404);
  EXPECT_EQ(Do("GET", "/v1/users/" + std::string(oa["id"]), admin_key_).status, 404);
  EXPECT_TRUE(Json(Do("GET", "/v1/users?org_id=" + org, admin_key_))["items"].empty());
  // An org whose keys are all revoked and users all deleted needs no force.
  const std::string org2 = NewOrg();
  json u2 = NewUser(org2, "member");
  json k2 = KeyFor(u2["id"], json::array());
  ASSERT_EQ(Do("DELETE", "/v1/users/" + std::string(u2["id"]), admin_key_).status, 204);
  EXPECT_EQ(Do("DELETE", "/v1/orgs/" + org2, admin_key_).status, 204);
}

TEST_F(OwnerRulesTest, RenamingTheDefaultOrgNeverRewritesTheBootstrapFile) {
  const std::string own_org = Json(Do("GET", "/v1/me", admin_key_))["user"]["org_id"];
  ASSERT_EQ(
      Do("PATCH", "/v1/orgs/" + own_org, admin_key_, {{"name", "headquarters"}}).status,
      200);
  const std::string before = ReadFile(data_dir() + "/bootstrap-admin.key");
  ASSERT_EQ(StopServer(), 0);
  StartServer();
  EXPECT_EQ(ReadFile(data_dir() + "/bootstrap-admin.key"), before);
  EXPECT_EQ(Code(admin_key_), "VALID");
  auto orgs = Json(Do("GET", "/v1/orgs", admin_key_))["items"];
  ASSERT_EQ(orgs.size(), 1u);  // no second "default" appeared
  EXPECT_EQ(orgs[0]["name"], "headquarters");
}

}  // namespace
}  // namespace keyward::testing
