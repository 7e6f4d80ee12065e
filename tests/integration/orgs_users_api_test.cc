// /v1/orgs and /v1/users over real HTTPS: fields, defaults, strict bodies,
// uniqueness, list filters and the rules on what an admin may grant.
#include <chrono>
#include <thread>

#include "tenancy_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class OrgsUsersApiTest : public TenancyTest {};

TEST_F(OrgsUsersApiTest, OrgCrud) {
  auto r = Do("POST", "/v1/orgs", admin_key_, {{"name", "Acme"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json org = Json(r);
  for (const char* f :
       {"id", "name", "enabled", "api_keys_enabled", "created_at", "updated_at"}) {
    EXPECT_TRUE(org.contains(f)) << f;
  }
  EXPECT_EQ(org["enabled"], true);
  EXPECT_EQ(org["api_keys_enabled"], true);
  const std::string id = org["id"];
  EXPECT_EQ(r.Header("Location"), "/v1/orgs/" + id);
  EXPECT_EQ(Do("POST", "/v1/orgs", admin_key_, {{"name", "Acme"}}).status, 409);
  EXPECT_EQ(Json(Do("GET", "/v1/orgs/" + id, admin_key_))["name"], "Acme");

  r = Do("PATCH", "/v1/orgs/" + id, admin_key_,
         {{"name", "Acme Inc"}, {"api_keys_enabled", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["name"], "Acme Inc");
  EXPECT_EQ(Json(r)["api_keys_enabled"], false);
  EXPECT_EQ(Do("PATCH", "/v1/orgs/" + id, admin_key_, {{"name", "default"}}).status, 409);

  auto bad = Do("PATCH", "/v1/orgs/" + id, admin_key_, {{"enabled", "no"}, {"nam", "x"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Json(bad)["errors"][0]["field"], "nam");
  EXPECT_EQ(Json(bad)["errors"][1]["field"], "enabled");
  EXPECT_EQ(Do("POST", "/v1/orgs", admin_key_, {{"name", "a\tb"}}).status, 422);
  EXPECT_EQ(Do("POST", "/v1/orgs", admin_key_, json::array()).status, 422);
  EXPECT_EQ(Do("GET", "/v1/orgs?nme=x", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/orgs/org_nope", admin_key_).status, 404);
  EXPECT_EQ(Do("DELETE", "/v1/orgs/" + id, admin_key_).status, 204);
  EXPECT_EQ(Do("GET", "/v1/orgs/" + id, admin_key_).status, 404);
  EXPECT_EQ(Do("DELETE", "/v1/orgs/" + id, admin_key_).status, 404);
  // The name of a deleted org can be used again.
  EXPECT_EQ(Do("POST", "/v1/orgs", admin_key_, {{"name", "Acme Inc"}}).status, 201);
}

TEST_F(OrgsUsersApiTest, UserDefaultsFollowTheRole) {
  const std::string org = NewOrg();
  struct Case {
    const char* role;
    json permissions;
  };
  const Case cases[] = {
      {"platform_admin", {"*"}}, {"org_admin", {"*"}}, {"member", json::array()}};
  for (const auto& c : cases) {
    json u = NewUser(org, c.role);
    EXPECT_EQ(u["role"], c.role);
    EXPECT_EQ(u["permissions"], c.permissions) << c.role;
    EXPECT_EQ(u["enabled"], true);
    EXPECT_EQ(u["api_keys_enabled"], true);
    EXPECT_EQ(u["org_id"], org);
    EXPECT_TRUE(u.contains("created_at"));
  }
  // Without org_id, a user lands in the caller's org; without role, as a member.
  auto r = Do("POST", "/v1/users", admin_key_, {{"username", "plain"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json me = Json(Do("GET", "/v1/me", admin_key_));
  EXPECT_EQ(Json(r)["org_id"], me["user"]["org_id"]);
  EXPECT_EQ(Json(r)["role"], "member");
}

TEST_F(OrgsUsersApiTest, UsernamesAreUnique) {
  const std::string org = NewOrg();
  auto r = Do("POST", "/v1/users", admin_key_, {{"username", "jane"}, {"org_id", org}});
  ASSERT_EQ(r.status, 201);
  const std::string jane = Json(r)["id"];
  auto clash =
      Do("POST", "/v1/users", admin_key_, {{"username", "jane"}, {"org_id", org}});
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(Json(clash)["code"], "conflict");
  EXPECT_EQ(Do("POST", "/v1/users", admin_key_, {{"username", "admin"}}).status, 409);
  json other = NewUser(org, "member");
  EXPECT_EQ(Do("PATCH", "/v1/users/" + std::string(other["id"]), admin_key_,
               {{"username", "jane"}})
                .status,
            409);
  // Usernames are unique case-insensitively (issue 7, finding 12), and a deleted
  // user's name is free again.
  EXPECT_EQ(
      Do("POST", "/v1/users", admin_key_, {{"username", "Jane"}, {"org_id", org}}).status,
      409);
  EXPECT_EQ(Do("POST", "/v1/users", admin_key_, {{"username", "ADMIN"}}).status, 409);
  EXPECT_EQ(Do("DELETE", "/v1/users/" + jane, admin_key_).status, 204);
  EXPECT_EQ(
      Do("POST", "/v1/users", admin_key_, {{"username", "jane"}, {"org_id", org}}).status,
      201);
}

TEST_F(OrgsUsersApiTest, UserBodiesAreStrict) {
  const std::string org = NewOrg();
  struct Case {
    json body;
    const char* field;
  };
  const Case cases[] = {
      {{{"username", "x"}, {"org_id", org}, {"rol", "member"}}, "rol"},
      {{{"username", "x"}, {"org_id", org}, {"role", "admin"}}, "role"},
      {{{"username", "x"}, {"org_id", org}, {"permissions", "*"}}, "permissions"},
      {{{"username", "x"}, {"org_id", org}, {"permissions", {"logs"}}}, "permissions[0]"},
      {{{"username", "x"}, {"org_id", org}, {"enabled", "true"}}, "enabled"},
      {{{"username", "x y"}, {"org_id", org}}, "username"},
      {{{"org_id", org}}, "username"},
      {{{"username", "x"}, {"org_id", "org_nope"}}, "org_id"},
  };
  for (const auto& c : cases) {
    auto r = Do("POST", "/v1/users", admin_key_, c.body);
    EXPECT_EQ(r.status, 422) << c.body.dump();
    EXPECT_EQ(Json(r)["errors"][0]["field"], c.field) << r.body;
  }
  json u = NewUser(org, "member");
  auto r =
      Do("PATCH", "/v1/users/" + std::string(u["id"]), admin_key_, {{"org_id", org}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["errors"][0]["field"], "org_id");
  EXPECT_EQ(Do("GET", "/v1/users?role=owner", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/users?orgid=x", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/users?limit=0", admin_key_).status, 422);
}

TEST_F(OrgsUsersApiTest, NobodyGrantsMoreThanTheyHold) {
  const std::string org = NewOrg();
  json narrow_admin = NewUser(org, "org_admin", {"logs:*", "users:*", "keys:*"});
  const std::string key =
      KeyFor(narrow_admin["id"], {"logs:*", "users:*", "keys:*"})["key"];

  auto r = Do("POST", "/v1/users", key, {{"username", "wide"}, {"permissions", {"*"}}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["errors"][0]["field"], "permissions[0]");
  r = Do("POST", "/v1/users", key, {{"username", "admin2"}, {"role", "org_admin"}});
  EXPECT_EQ(r.status, 422) << "the org_admin default [\"*\"] exceeds the caller";
  EXPECT_EQ(Json(r)["errors"][0]["field"], "permissions");
  r = Do(
      "POST", "/v1/users", key,
      {{"username", "pa2"}, {"role", "platform_admin"}, {"permissions", {"logs:read"}}});
  EXPECT_EQ(r.status, 403);
  r = Do("POST", "/v1/users", key,
         {{"username", "reader"}, {"permissions", {"logs:read"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string reader = Json(r)["id"];
  // Promotion without permissions brings the role's default, which must fit too.
  EXPECT_EQ(Do("PATCH", "/v1/users/" + reader, key, {{"role", "org_admin"}}).status, 422);
  r = Do("PATCH", "/v1/users/" + reader, key,
         {{"role", "org_admin"}, {"permissions", {"logs:read", "keys:read"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["permissions"], json({"logs:read", "keys:read"}));

  // Key scopes are bounded by the owner's permissions, on create and on patch.
  r = Do("POST", "/v1/keys", key,
         {{"name", "k"},
          {"owner_user_id", reader},
          {"scopes", {"logs:read", "logs:write"}}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["errors"][0]["field"], "scopes[1]");
  EXPECT_NE(Json(r)["errors"][0]["message"].get<std::string>().find("logs:write"),
            std::string::npos);
  r = Do("POST", "/v1/keys", key,
         {{"name", "k"}, {"owner_user_id", reader}, {"scopes", {"logs:read"}}});
  ASSERT_EQ(r.status, 201);
  const std::string kid = Json(r)["id"];
  r = Do("PATCH", "/v1/keys/" + kid, key, {{"scopes", {"logs:read", "billing:read"}}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["errors"][0]["field"], "scopes[1]");

  // An org key is bounded by its creator's permissions at creation time.
  r = Do("POST", "/v1/keys", key, {{"name", "o"}, {"kind", "org"}, {"scopes", {"*"}}});
  EXPECT_EQ(r.status, 422);
  json org_key = OrgKey(key, {"logs:read"});
  EXPECT_TRUE(org_key["owner_user_id"].is_null());
  EXPECT_EQ(org_key["kind"], "org");
  EXPECT_EQ(org_key["org_id"], org);
  // Narrowing the creator later does not touch the org key: it belongs to the org.
  ASSERT_EQ(Do("PATCH", "/v1/users/" + std::string(narrow_admin["id"]), admin_key_,
               {{"permissions", json::array()}})
                .status,
            200);
  EXPECT_EQ(Code(org_key["key"], {"logs:read"}), "VALID");
  EXPECT_EQ(Code(key, {"logs:read"}), "INSUFFICIENT_SCOPE");
}

TEST_F(OrgsUsersApiTest, NobodyLowersTheirOwnAccess) {
  const std::string org = NewOrg();
  json oa = NewUser(org, "org_admin");
  const std::string key = KeyFor(oa["id"], {"*"})["key"];
  const std::string self = "/v1/users/" + std::string(oa["id"]);
  for (const json& body : {json{{"enabled", false}}, json{{"api_keys_enabled", false}},
                           json{{"role", "member"}}, json{{"permissions", {"logs:*"}}}}) {
    EXPECT_EQ(Do("PATCH", self, key, body).status, 403) << body.dump();
  }
  EXPECT_EQ(Do("DELETE", self, key).status, 403);
  // What does not lower access is fine.
  EXPECT_EQ(Do("PATCH", self, key, {{"username", "renamed"}, {"enabled", true}}).status,
            200);
  EXPECT_EQ(Code(key), "VALID");
  // The bootstrap admin cannot turn off or delete its own org.
  const std::string own_org = Json(Do("GET", "/v1/me", admin_key_))["user"]["org_id"];
  EXPECT_EQ(Do("PATCH", "/v1/orgs/" + own_org, admin_key_, {{"enabled", false}}).status,
            403);
  EXPECT_EQ(Do("DELETE", "/v1/orgs/" + own_org + "?force=true", admin_key_).status, 403);
  EXPECT_EQ(Code(admin_key_), "VALID");
}

TEST_F(OrgsUsersApiTest, KeysCannotBeMintedForOwnersWithKeysOff) {
  const std::string org = NewOrg();
  json u = NewUser(org, "member", {"logs:read"});
  const std::string uid = u["id"];
  ASSERT_EQ(
      Do("PATCH", "/v1/users/" + uid, admin_key_, {{"api_keys_enabled", false}}).status,
      200);
  auto r = Do("POST", "/v1/keys", admin_key_, {{"name", "k"}, {"owner_user_id", uid}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["errors"][0]["field"], "owner_user_id");
  ASSERT_EQ(
      Do("PATCH", "/v1/users/" + uid, admin_key_, {{"api_keys_enabled", true}}).status,
      200);
  EXPECT_EQ(
      Do("POST", "/v1/keys", admin_key_, {{"name", "k"}, {"owner_user_id", uid}}).status,
      201);
  ASSERT_EQ(
      Do("PATCH", "/v1/orgs/" + org, admin_key_, {{"api_keys_enabled", false}}).status,
      200);
  r = Do("POST", "/v1/keys", admin_key_, {{"name", "k"}, {"owner_user_id", uid}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json(r)["errors"][0]["field"], "org_id");
}

TEST_F(OrgsUsersApiTest, TheCliStillMintsKeysForUsersMadeThroughTheApi) {
  const std::string org = NewOrg();
  auto r = Do("POST", "/v1/users", admin_key_,
              {{"username", "cli-user"}, {"org_id", org}, {"permissions", {"backup:*"}}});
  ASSERT_EQ(r.status, 201);
  CliResult cli = RunCli({"keys", "create", "--owner", "cli-user", "--name", "backup",
                          "--scopes", "backup:write", "--data-dir", data_dir()});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  std::string key = cli.out.substr(0, cli.out.find('\n'));
  // The CLI is bounded by the owner's permissions like everyone else.
  cli = RunCli({"keys", "create", "--owner", "cli-user", "--name", "x", "--scopes",
                "logs:read", "--data-dir", data_dir()});
  EXPECT_NE(cli.exit_code, 0);
  // The running server picks the CLI's key up within a second.
  for (int i = 0; i < 40 && Code(key, {"backup:write"}) != "VALID"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Code(key, {"backup:write"}), "VALID");
}

}  // namespace
}  // namespace keyward::testing
