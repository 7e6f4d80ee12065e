// Attack review findings 1, 2 and 9 (issue 7): no key grants more than itself, an
// org admin cannot wield an organization key wider than themselves, and members
// cannot lift the quota controls an admin set. Each test acts as the holder of one
// low-privilege key would.
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "tenancy_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class EscalationTest : public TenancyTest {
 protected:
  // A key of the platform admin holding only `scopes`.
  std::string AdminKeyWith(const json& scopes) {
    return CreateKey({{"name", Unique("narrow")}, {"scopes", scopes}})["key"];
  }
  static std::string Field(const ClientResponse& r) {
    json body = Json(r);
    return body.contains("errors") ? body["errors"][0].value("field", "") : "";
  }
  std::string Id(const json& key) { return key["id"]; }
};

TEST_F(EscalationTest, AKeysWriteKeyMintsNoMoreThanItsOwnScopes) {
  const std::string writer = AdminKeyWith({"keys:write"});
  for (const json& scopes : {json{"*"}, json{"keys:*"}, json{"keys:write", "logs:read"},
                             json{"*:write"}, json{"users:write"}}) {
    auto r = Do("POST", "/v1/keys", writer, {{"name", "x"}, {"scopes", scopes}});
    EXPECT_EQ(r.status, 422) << scopes.dump() << ": " << r.body;
    EXPECT_TRUE(Field(r).starts_with("scopes[")) << r.body;
  }
  auto ok = Do("POST", "/v1/keys", writer, {{"name", "x"}, {"scopes", {"keys:write"}}});
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Do("POST", "/v1/keys", writer, {{"name", "none"}}).status, 201);
}

TEST_F(EscalationTest, AKeyCannotWidenItselfOrChangeAWiderKey) {
  json self = CreateKey({{"name", "self"}, {"scopes", {"keys:write", "keys:read"}}});
  const std::string key = self["key"];
  auto widen = Do("PATCH", "/v1/keys/" + Id(self), key, {{"scopes", {"*"}}});
  EXPECT_EQ(widen.status, 422) << widen.body;
  EXPECT_EQ(Field(widen), "scopes[0]");
  // The bootstrap key holds "*": a narrower key may not change (or enable) it.
  json me = Json(Do("GET", "/v1/me", admin_key_));
  const std::string admin_id = me["key"]["id"];
  auto other = Do("PATCH", "/v1/keys/" + admin_id, key, {{"name", "renamed"}});
  EXPECT_EQ(other.status, 422) << other.body;
  // Nor rotate it: the successor would be a fresh "*" key in the narrow key's hands.
  auto rotate = Do("POST", "/v1/keys/" + admin_id + "/rotate", key, json::object());
  EXPECT_EQ(rotate.status, 422) << rotate.body;
  EXPECT_EQ(Code(admin_key_), "VALID");  // untouched
}

TEST_F(EscalationTest, AUsersKeyGrantsNoPermissionsBeyondItsScopes) {
  const std::string org = NewOrg();
  const std::string users = AdminKeyWith({"users:*"});
  auto star = Do("POST", "/v1/users", users,
                 {{"username", Unique("u")}, {"org_id", org}, {"permissions", {"*"}}});
  EXPECT_EQ(star.status, 422) << star.body;
  EXPECT_EQ(Field(star), "permissions[0]");
  // An admin role's default ("*") is refused as well.
  auto admin = Do("POST", "/v1/users", users,
                  {{"username", Unique("u")}, {"org_id", org}, {"role", "org_admin"}});
  EXPECT_EQ(admin.status, 422) << admin.body;
  auto fine =
      Do("POST", "/v1/users", users,
         {{"username", Unique("u")}, {"org_id", org}, {"permissions", {"users:read"}}});
  ASSERT_EQ(fine.status, 201) << fine.body;
  // And on PATCH.
  auto patch = Do("PATCH", "/v1/users/" + std::string(Json(fine)["id"]), users,
                  {{"permissions", {"keys:write"}}});
  EXPECT_EQ(patch.status, 422) << patch.body;
}

TEST_F(EscalationTest, OrgAdminCannotWieldAWiderOrganizationKey) {
  const std::string org = NewOrg();
  json root = NewUser(org, "org_admin");  // permissions "*": mints a wide org key
  const std::string root_key = KeyFor(root["id"], {"*"})["key"];
  json wide = OrgKey(root_key, {"*"});
  ASSERT_EQ(Do("PATCH", "/v1/keys/" + Id(wide), root_key, {{"enabled", false}}).status,
            200);

  json narrow = NewUser(org, "org_admin", {"keys:read", "keys:write", "logs:read"});
  const std::string nk = KeyFor(narrow["id"], {"keys:read", "keys:write"})["key"];
  for (const json& change : {json{{"enabled", true}}, json{{"ip_allow", json::array()}},
                             json{{"name", "x"}}}) {
    auto r = Do("PATCH", "/v1/keys/" + Id(wide), nk, change);
    EXPECT_EQ(r.status, 403) << change.dump() << ": " << r.body;
  }
  auto rotate = Do("POST", "/v1/keys/" + Id(wide) + "/rotate", nk, json::object());
  EXPECT_EQ(rotate.status, 403) << rotate.body;
  EXPECT_EQ(Code(wide["key"]), "DISABLED");
  // Revoking only takes rights away: allowed.
  EXPECT_EQ(Do("DELETE", "/v1/keys/" + Id(wide), nk).status, 204);
  EXPECT_EQ(Code(wide["key"]), "REVOKED");
}

TEST_F(EscalationTest, MembersCannotLiftQuotaControlsAnAdminSet) {
  const std::string org = NewOrg();
  json member = NewUser(org, "member", {"logs:read", "keys:write", "keys:read"});
  json k = CreateKey({{"name", "m"},
                      {"owner_user_id", member["id"]},
                      {"scopes", {"keys:write", "keys:read"}},
                      {"remaining_uses", 100},
                      {"rate_limit", {{"limit", 30}, {"window_seconds", 60}}}});
  const std::string mk = k["key"];
  const std::string path = "/v1/keys/" + Id(k);
  for (const json& looser :
       {json{{"remaining_uses", 1000}}, json{{"remaining_uses", nullptr}},
        json{{"rate_limit", {{"limit", 100}, {"window_seconds", 60}}}},
        json{{"rate_limit", {{"limit", 30}, {"window_seconds", 1}}}},
        json{{"rate_limit", nullptr}}, json{{"tier", "admin"}},
        json{{"refill", {{"amount", 100}, {"interval", "daily"}}}}}) {
    auto r = Do("PATCH", path, mk, looser);
    EXPECT_EQ(r.status, 403) << looser.dump() << ": " << r.body;
  }
  // A new key of the member's own may not start looser than the defaults either.
  auto tier = Do("POST", "/v1/keys", mk, {{"name", "t"}, {"tier", "admin"}});
  EXPECT_EQ(tier.status, 403) << tier.body;
  // Tightening is the member's own choice.
  EXPECT_EQ(Do("PATCH", path, mk, {{"remaining_uses", 50}}).status, 200);
  auto tighter =
      Do("PATCH", path, mk, {{"rate_limit", {{"limit", 20}, {"window_seconds", 60}}}});
  EXPECT_EQ(tighter.status, 200) << tighter.body;
  // An admin may loosen.
  EXPECT_EQ(Do("PATCH", path, admin_key_, {{"remaining_uses", 1000}}).status, 200);
}

// Attack review: a member's key limited to 100 uses from 127.0.0.0/8 minted a key
// with no use limit and no IP restriction, and lifted its own allow-list.
TEST_F(EscalationTest, AKeyHandsOutNoLooserRestrictionsThanItsOwn) {
  const std::string org = NewOrg();
  json member = NewUser(org, "member", {"logs:read", "keys:write", "keys:read"});
  json k = CreateKey({{"name", "m"},
                      {"owner_user_id", member["id"]},
                      {"scopes", {"keys:write"}},
                      {"remaining_uses", 100},
                      {"ip_allow", {"127.0.0.0/8"}},
                      {"ip_deny", {"127.0.0.9"}},
                      {"expires_in", "30d"}});
  const std::string mk = k["key"];
  const json within = {{"name", "ok"},
                       {"scopes", {"keys:write"}},
                       {"remaining_uses", 10},
                       {"ip_allow", {"127.0.0.1/32"}},
                       {"ip_deny", {"127.0.0.9"}},
                       {"expires_in", "1d"}};
  auto ok = Do("POST", "/v1/keys", mk, within);
  EXPECT_EQ(ok.status, 201) << ok.body;
  for (const auto& [field, looser] :
       std::vector<std::pair<std::string, json>>{{"remaining_uses", nullptr},
                                                 {"remaining_uses", 1000},
                                                 {"ip_allow", json::array()},
                                                 {"ip_allow", {"10.0.0.0/8"}},
                                                 {"ip_allow", {"0.0.0.0/0"}},
                                                 {"ip_deny", json::array()},
                                                 {"expires_in", nullptr},
                                                 {"expires_in", "60d"}}) {
    json body = within;
    if (looser.is_null()) {
      body.erase(field);
    } else {
      body[field] = looser;
    }
    auto r = Do("POST", "/v1/keys", mk, body);
    EXPECT_EQ(r.status, 403) << body.dump() << ": " << r.body;
  }
  const std::string path = "/v1/keys/" + Id(k);
  EXPECT_EQ(Do("PATCH", path, mk, {{"ip_allow", json::array()}}).status, 403);
  EXPECT_EQ(Do("PATCH", path, mk, {{"ip_deny", json::array()}}).status, 403);
  EXPECT_EQ(Do("PATCH", path, mk, {{"expires_at", nullptr}}).status, 403);
  EXPECT_EQ(Do("PATCH", path, mk, {{"name", "renamed"}}).status, 200);
  EXPECT_EQ(Do("PATCH", path, mk, {{"ip_allow", {"127.0.0.0/16"}}}).status, 200);
  // Nor by rotating (attack review 2: a key expiring soon rotated itself, and a key
  // of its owner, into ten-year keys).
  const json child = Json(ok);
  for (const std::string& id : {std::string(Id(k)), std::string(Id(child))}) {
    auto far = Do("POST", "/v1/keys/" + id + "/rotate", mk, {{"expires_in", "3650d"}});
    EXPECT_EQ(far.status, 403) << id << ": " << far.body;
  }
  auto near = Do("POST", "/v1/keys/" + Id(child) + "/rotate", mk, {{"expires_in", "1h"}});
  EXPECT_EQ(near.status, 201) << near.body;
  // Rotating a looser key of the same owner would hand its new secret over.
  json loose = CreateKey(
      {{"name", "loose"}, {"owner_user_id", member["id"]}, {"scopes", {"keys:write"}}});
  auto taken = Do("POST", "/v1/keys/" + Id(loose) + "/rotate", mk, json::object());
  EXPECT_EQ(taken.status, 403) << taken.body;
  // A restricted key may not set a password: a console session carries none of its
  // limits. (An admin's, here; an unrestricted key may.)
  const std::string password_path =
      "/v1/users/" + std::string(member["id"]) + "/password";
  const json password = {{"password", "correct horse battery staple"}};
  const std::string restricted = CreateKey({{"name", "pw"},
                                            {"scopes", {"users:write"}},
                                            {"ip_allow", {"127.0.0.0/8"}}})["key"];
  EXPECT_EQ(Do("PUT", password_path, restricted, password).status, 403);
  const int set = Do("PUT", password_path, admin_key_, password).status;
  EXPECT_TRUE(set >= 200 && set < 300) << set;
  // An admin may loosen it.
  EXPECT_EQ(Do("PATCH", path, admin_key_, {{"ip_allow", json::array()}}).status, 200);
}

// Attack review 2: an org admin's key limited to 127.0.0.0/8 for an hour minted an
// unrestricted key and lifted its own limits: a key is bounded whoever holds it.
TEST_F(EscalationTest, AnAdminsRestrictedKeyIsBoundedToo) {
  const std::string org = NewOrg();
  json oa = NewUser(org, "org_admin", {"keys:write", "keys:read", "logs:read"});
  json k = CreateKey({{"name", "oa"},
                      {"owner_user_id", oa["id"]},
                      {"scopes", {"keys:write", "keys:read"}},
                      {"ip_allow", {"127.0.0.0/8"}},
                      {"expires_in", "1h"}});
  const std::string oak = k["key"];
  EXPECT_EQ(
      Do("POST", "/v1/keys", oak, {{"name", "free"}, {"scopes", {"keys:read"}}}).status,
      403);
  EXPECT_EQ(Do("PATCH", "/v1/keys/" + Id(k), oak, {{"ip_allow", json::array()}}).status,
            403);
  EXPECT_EQ(Do("POST", "/v1/keys", oak,
               {{"name", "bounded"},
                {"scopes", {"keys:read"}},
                {"ip_allow", {"127.0.0.1"}},
                {"expires_in", "30m"}})
                .status,
            201);
}

TEST_F(EscalationTest, AnOrganizationKeyCannotLiftItsOwnLimits) {
  const std::string org = NewOrg();
  json oa = NewUser(org, "org_admin");
  const std::string oak = KeyFor(oa["id"], {"*"})["key"];
  auto r = Do("POST", "/v1/keys", oak,
              {{"name", "ci"},
               {"kind", "org"},
               {"scopes", {"keys:write"}},
               {"remaining_uses", 50},
               {"rate_limit", {{"limit", 50}, {"window_seconds", 60}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  json ci = Json(r);
  const std::string cik = ci["key"];
  for (const json& looser : {json{{"remaining_uses", nullptr}},
                             json{{"rate_limit", nullptr}}, json{{"tier", "admin"}}}) {
    auto p = Do("PATCH", "/v1/keys/" + Id(ci), cik, looser);
    EXPECT_EQ(p.status, 403) << looser.dump() << ": " << p.body;
  }
  auto mint =
      Do("POST", "/v1/keys", cik,
         {{"name", "x"}, {"kind", "org"}, {"scopes", {"keys:write"}}, {"tier", "admin"}});
  EXPECT_EQ(mint.status, 403) << mint.body;
  // The human org admin may.
  EXPECT_EQ(Do("PATCH", "/v1/keys/" + Id(ci), oak, {{"remaining_uses", nullptr}}).status,
            200);
}

TEST_F(EscalationTest, ARotatedKeyCannotBeChangedAndRestartsAddNoUses) {
  json k = CreateKey({{"name", "q"}, {"scopes", {"logs:read"}}, {"remaining_uses", 5}});
  auto r =
      Do("POST", "/v1/keys/" + Id(k) + "/rotate", admin_key_, {{"grace_seconds", 3600}});
  ASSERT_EQ(r.status, 201) << r.body;
  json next = Json(r);
  // The old key lives on only for its grace period: it cannot be changed.
  EXPECT_EQ(
      Do("PATCH", "/v1/keys/" + Id(k), admin_key_, {{"expires_at", nullptr}}).status,
      409);
  EXPECT_EQ(
      Do("PATCH", "/v1/keys/" + Id(next), admin_key_, {{"remaining_uses", 5}}).status,
      200);
  int valid = 0;
  for (int i = 0; i < 5; ++i) valid += Code(next["key"]) == "VALID";
  EXPECT_EQ(valid, 5);
  ASSERT_EQ(StopServer(), 0);
  StartServer();
  // After a restart the old key (in its grace period) has no uses of its own left.
  EXPECT_EQ(Code(k["key"]), "USAGE_EXCEEDED");
  EXPECT_EQ(Code(next["key"]), "USAGE_EXCEEDED");
}

TEST_F(EscalationTest, RotationNeverAddsUsesAndRefusesSpentKeys) {
  json k = CreateKey({{"name", "q"}, {"scopes", {"logs:read"}}, {"remaining_uses", 4}});
  auto r1 =
      Do("POST", "/v1/keys/" + Id(k) + "/rotate", admin_key_, {{"grace_seconds", 600}});
  ASSERT_EQ(r1.status, 201) << r1.body;
  json next = Json(r1);
  // Rotating the old key again, or any already-rotated key: 409.
  EXPECT_EQ(
      Do("POST", "/v1/keys/" + Id(k) + "/rotate", admin_key_, {{"grace_seconds", 600}})
          .status,
      409);
  // Old and new together get the old key's 4 uses, no more.
  int valid = 0;
  for (int i = 0; i < 6; ++i) {
    valid += Code(k["key"]) == "VALID";
    valid += Code(next["key"]) == "VALID";
  }
  EXPECT_EQ(valid, 4);
  // An expired key cannot be rotated (its successor would be born expired).
  json soon = CreateKey({{"name", "e"}, {"expires_in", 1}});
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(
      Do("POST", "/v1/keys/" + Id(soon) + "/rotate", admin_key_, json::object()).status,
      409);
  // The successor may be given its own expiry.
  json fresh = CreateKey({{"name", "f"}});
  auto r2 = Do("POST", "/v1/keys/" + Id(fresh) + "/rotate", admin_key_,
               {{"expires_in", "30d"}});
  ASSERT_EQ(r2.status, 201) << r2.body;
  EXPECT_FALSE(Json(r2)["expires_at"].is_null());
}

TEST_F(EscalationTest, OrganizationKeysNameTheirOrgWithinTheCallersReach) {
  const std::string org = NewOrg(), other = NewOrg();
  // A platform admin may name any org.
  auto r =
      Do("POST", "/v1/keys", admin_key_,
         {{"name", "o"}, {"kind", "org"}, {"org_id", other}, {"scopes", {"logs:read"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r)["org_id"], other);
  EXPECT_EQ(Do("POST", "/v1/keys", admin_key_,
               {{"name", "o"}, {"kind", "org"}, {"org_id", "org_nope"}})
                .status,
            422);
  // An org admin only their own.
  json oa = NewUser(org, "org_admin");
  const std::string oak = KeyFor(oa["id"], {"keys:write", "logs:read"})["key"];
  EXPECT_EQ(
      Do("POST", "/v1/keys", oak, {{"name", "o"}, {"kind", "org"}, {"org_id", other}})
          .status,
      422);
  auto own =
      Do("POST", "/v1/keys", oak, {{"name", "o"}, {"kind", "org"}, {"org_id", org}});
  EXPECT_EQ(own.status, 201) << own.body;
  // A user key's org is its owner's.
  EXPECT_EQ(Do("POST", "/v1/keys", admin_key_,
               {{"name", "u"}, {"owner_user_id", oa["id"]}, {"org_id", other}})
                .status,
            422);
}

}  // namespace
}  // namespace keyward::testing
