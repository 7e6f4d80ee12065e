// GET /v1/audit: scope, filters, paging and per-role visibility.
#include <set>

#include "audit_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

using AuditQueryTest = AuditTest;

TEST_F(AuditQueryTest, NeedsAuditReadScope) {
  json other = CreateKey({{"name", "no audit"}, {"scopes", {"keys:read"}}});
  EXPECT_EQ(Do("GET", "/v1/audit", other["key"]).status, 403);
  json with = CreateKey({{"name", "audit"}, {"scopes", {"audit:read"}}});
  EXPECT_EQ(Do("GET", "/v1/audit", with["key"]).status, 200);
  EXPECT_EQ(Do("GET", "/v1/audit", "").status, 401);
}

TEST_F(AuditQueryTest, RefusesBadParameters) {
  for (std::string p : {"since", "until"}) {
    auto r = Do("GET", "/v1/audit?" + p + "=yesterday", admin_key_);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("\"" + p + "\""), std::string::npos) << r.body;
  }
  auto unknown = Do("GET", "/v1/audit?actor=x", admin_key_);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("\"actor\""), std::string::npos) << unknown.body;
  EXPECT_EQ(Do("GET", "/v1/audit?limit=501", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/audit?limit=0", admin_key_).status, 422);
  EXPECT_EQ(Do("GET", "/v1/audit?cursor=garbage", admin_key_).status, 422);
}

TEST_F(AuditQueryTest, FiltersNarrowTheTrail) {
  const std::string org = NewOrg();
  json user = NewUser(org, "member");
  const std::string admin_id = MyUserId(admin_key_);

  json by_target = Events("target_id=" + org);
  ASSERT_EQ(by_target.size(), 1u) << by_target;
  EXPECT_EQ(by_target[0]["action"], "org.create");

  for (const auto& e : Events("action=user.create"))
    EXPECT_EQ(e["action"], "user.create");
  EXPECT_EQ(
      Events("action=user.create&target_id=" + user["id"].get<std::string>()).size(), 1u);
  EXPECT_TRUE(Events("action=org.delete").empty());

  json mine = Events("actor_user_id=" + admin_id);
  EXPECT_GE(mine.size(), 2u);
  for (const auto& e : mine) EXPECT_EQ(e["actor_user_id"], admin_id);
  EXPECT_TRUE(Events("actor_user_id=usr_nobody").empty());

  EXPECT_TRUE(Events("until=2000-01-01T00:00:00Z").empty());
  EXPECT_FALSE(Events("since=2000-01-01T00:00:00Z&target_id=" + org).empty());
  EXPECT_TRUE(Events("since=2999-01-01T00:00:00Z").empty());
  const std::string at = by_target[0]["at"];
  EXPECT_EQ(Events("since=" + at + "&until=" + at + "&target_id=" + org).size(), 1u);
}

TEST_F(AuditQueryTest, PagesNewestFirstAndStayStableWhileAppending) {
  for (int i = 0; i < 5; ++i) NewOrg();
  std::vector<std::int64_t> ids;
  std::string cursor;
  int pages = 0;
  do {
    auto r = Do("GET",
                "/v1/audit?action=org.create&limit=2" +
                    (cursor.empty() ? "" : "&cursor=" + cursor),
                admin_key_);
    ASSERT_EQ(r.status, 200) << r.body;
    json body = Json(r);
    EXPECT_LE(body["items"].size(), 2u);
    for (const auto& e : body["items"])
      ids.push_back(std::stoll(e["id"].get<std::string>()));
    cursor = body["next_cursor"].is_null() ? "" : body["next_cursor"].get<std::string>();
    NewOrg();  // appended while paging: must neither repeat nor shift a page
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), ids.size());
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i - 1], ids[i]);
  EXPECT_EQ(Events("action=org.create").size(), 5u + pages);  // default limit 50
}

TEST_F(AuditQueryTest, VisibilityFollowsTheRole) {
  const std::string org_a = NewOrg(), org_b = NewOrg();
  json admin_a = NewUser(org_a, "org_admin");
  const std::string admin_a_key = KeyFor(admin_a["id"], {"*"})["key"];
  json member_a = NewUser(org_a, "member", {"audit:read", "keys:write"});
  json member_key = KeyFor(member_a["id"], {"audit:read", "keys:write"});
  json other_a = NewUser(org_a, "member");
  json other_key = KeyFor(other_a["id"], json::array());
  json user_b = NewUser(org_b, "member");

  // Org admin: org A's events (users, keys, the org itself), nothing of org B.
  std::set<std::string> seen;
  for (const auto& e : Events("limit=500", admin_a_key)) seen.insert(e["target_id"]);
  EXPECT_TRUE(seen.contains(org_a));
  EXPECT_TRUE(seen.contains(member_a["id"].get<std::string>()));
  EXPECT_TRUE(seen.contains(other_key["id"].get<std::string>()));
  EXPECT_FALSE(seen.contains(org_b));
  EXPECT_FALSE(seen.contains(user_b["id"].get<std::string>()));

  // Member: their own key's events and what they did, nobody else's.
  const std::string mkey = member_key["key"];
  ASSERT_EQ(Do("PATCH", "/v1/keys/" + member_key["id"].get<std::string>(), mkey,
               {{"name", "mine"}})
                .status,
            200);
  seen.clear();
  for (const auto& e : Events("limit=500", mkey)) {
    seen.insert(e["action"].get<std::string>() + " " + e["target_id"].get<std::string>());
  }
  EXPECT_TRUE(seen.contains("key.create " + member_key["id"].get<std::string>()));
  EXPECT_TRUE(seen.contains("key.update " + member_key["id"].get<std::string>()));
  EXPECT_FALSE(seen.contains("key.create " + other_key["id"].get<std::string>()));
  EXPECT_FALSE(seen.contains("org.create " + org_a));
  // A filter cannot widen it.
  EXPECT_TRUE(Events("target_id=" + org_b, mkey).empty());

  // A refused call with a revoked key of org A reaches org A's admins.
  const std::string revoked_id = other_key["id"];
  ASSERT_EQ(Do("DELETE", "/v1/keys/" + revoked_id, admin_key_).status, 204);
  EXPECT_EQ(Do("GET", "/v1/users", other_key["key"]).status, 401);
  EXPECT_FALSE(AwaitDenial([&](const json& e) { return e["actor_key_id"] == revoked_id; },
                           admin_a_key)
                   .is_null());
}

}  // namespace
}  // namespace keyward::testing
