// The permission matrix of contract section 5: every (role × action × same org /
// other org × own / someone else's resource) cell runs against one real server.
//
// Every actor's user holds permissions ["*"] and every actor key scope "*", so the
// table shows what the role alone allows. Refused cells must leave no trace, and
// "outside visibility" must be 404, never 403.
#include <array>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "tenancy_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

// Actors, in the column order of the table.
enum ActorIndex { kPa, kOa, kMember, kOrgKey, kActorCount };
constexpr const char* kActorNames[] = {"platform_admin", "org_admin", "member",
                                       "org_key"};

struct Cell {
  const char* what;
  const char* method;
  const char* target;  // {name} is replaced by an id (see Resolve)
  const char* body;    // JSON text with the same placeholders, or "" for none
  std::array<int, kActorCount> expect;  // platform_admin, org_admin, member, org key
};

// Resources: all actors live in org A. "m2" and "oa2" are other users of org A; "b"
// is a member of org B. key.X is a user key of X; key.orgA / key.orgB org keys.
// fresh.* names a resource created just for that cell (for deletes).
const Cell kCells[] = {
    // --- keys: read
    {"read a platform admin's key", "GET", "/v1/keys/{key.pa}", "", {200, 200, 404, 200}},
    {"read own key", "GET", "/v1/keys/{key.m}", "", {200, 200, 200, 200}},
    {"read same-org member's key", "GET", "/v1/keys/{key.m2}", "", {200, 200, 404, 200}},
    {"read other-org key", "GET", "/v1/keys/{key.b}", "", {200, 404, 404, 404}},
    {"read own org's org key", "GET", "/v1/keys/{key.orgA}", "", {200, 200, 404, 200}},
    {"read other org's org key", "GET", "/v1/keys/{key.orgB}", "", {200, 404, 404, 404}},
    {"read usage of same-org key",
     "GET",
     "/v1/keys/{key.m2}/usage",
     "",
     {200, 200, 404, 200}},
    // --- keys: write
    {"patch a platform admin's key",
     "PATCH",
     "/v1/keys/{key.pa}",
     R"({"tags":["t"]})",
     {200, 403, 404, 403}},
    {"patch own key",
     "PATCH",
     "/v1/keys/{key.m}",
     R"({"tags":["t"]})",
     {200, 200, 200, 200}},
    {"patch same-org member's key",
     "PATCH",
     "/v1/keys/{key.m2}",
     R"({"tags":["t"]})",
     {200, 200, 404, 200}},
    {"patch other-org key",
     "PATCH",
     "/v1/keys/{key.b}",
     R"({"tags":["t"]})",
     {200, 404, 404, 404}},
    {"patch own org's org key",
     "PATCH",
     "/v1/keys/{key.orgA}",
     R"({"tags":["t"]})",
     {200, 200, 404, 200}},
    {"patch other org's org key",
     "PATCH",
     "/v1/keys/{key.orgB}",
     R"({"tags":["t"]})",
     {200, 404, 404, 404}},
    {"rotate same-org member's key",
     "POST",
     "/v1/keys/{fresh.key.m2}/rotate",
     "",
     {201, 201, 404, 201}},
    {"revoke own key", "DELETE", "/v1/keys/{fresh.key.m}", "", {204, 204, 204, 204}},
    {"revoke same-org member's key",
     "DELETE",
     "/v1/keys/{fresh.key.m2}",
     "",
     {204, 204, 404, 204}},
    {"revoke other-org key",
     "DELETE",
     "/v1/keys/{fresh.key.b}",
     "",
     {204, 404, 404, 404}},
    {"revoke a platform admin's key",
     "DELETE",
     "/v1/keys/{fresh.key.pa}",
     "",
     {204, 403, 404, 403}},
    {"create a key for oneself",
     "POST",
     "/v1/keys",
     R"({"name":"mine"})",
     {201, 201, 201, 422}},  // an org key acts for nobody: owner_user_id is required
    {"create a key for a same-org member",
     "POST",
     "/v1/keys",
     R"({"name":"x","owner_user_id":"{user.m2}"})",
     {201, 201, 422, 201}},
    {"create a key for an other-org user",
     "POST",
     "/v1/keys",
     R"({"name":"x","owner_user_id":"{user.b}"})",
     {201, 422, 422, 422}},
    {"create a key for a platform admin",
     "POST",
     "/v1/keys",
     R"({"name":"x","owner_user_id":"{user.pa}"})",
     {201, 403, 422, 403}},
    {"create an org key",
     "POST",
     "/v1/keys",
     R"({"name":"x","kind":"org"})",
     {201, 201, 403, 201}},
    // --- users: read
    {"read a platform admin", "GET", "/v1/users/{user.pa}", "", {200, 200, 404, 200}},
    {"read oneself", "GET", "/v1/users/{user.m}", "", {200, 200, 200, 200}},
    {"read a same-org member", "GET", "/v1/users/{user.m2}", "", {200, 200, 404, 200}},
    {"read an other-org user", "GET", "/v1/users/{user.b}", "", {200, 404, 404, 404}},
    // --- users: write
    {"patch a same-org member",
     "PATCH",
     "/v1/users/{user.m2}",
     R"({"enabled":true})",
     {200, 200, 404, 200}},
    {"patch oneself (member)",
     "PATCH",
     "/v1/users/{user.m}",
     R"({"enabled":true})",
     {200, 200, 403, 200}},
    {"patch a same-org org admin",
     "PATCH",
     "/v1/users/{user.oa2}",
     R"({"enabled":true})",
     {200, 200, 404, 200}},
    {"patch a platform admin",
     "PATCH",
     "/v1/users/{user.pa}",
     R"({"enabled":true})",
     {200, 403, 404, 403}},
    {"patch an other-org user",
     "PATCH",
     "/v1/users/{user.b}",
     R"({"enabled":true})",
     {200, 404, 404, 404}},
    {"delete a same-org member",
     "DELETE",
     "/v1/users/{fresh.user.A}",
     "",
     {204, 204, 404, 204}},
    {"delete an other-org user",
     "DELETE",
     "/v1/users/{fresh.user.B}",
     "",
     {204, 404, 404, 404}},
    {"delete a platform admin",
     "DELETE",
     "/v1/users/{user.pa}",
     "",
     {403, 403, 404, 403}},  // the platform admin is the caller itself in column 1
    {"create a member in own org",
     "POST",
     "/v1/users",
     R"({"username":"{uniq}","org_id":"{org.A}"})",
     {201, 201, 403, 201}},
    {"create a member in another org",
     "POST",
     "/v1/users",
     R"({"username":"{uniq}","org_id":"{org.B}"})",
     {201, 422, 403, 422}},
    {"create an org admin",
     "POST",
     "/v1/users",
     R"({"username":"{uniq}","org_id":"{org.A}","role":"org_admin"})",
     {201, 201, 403, 201}},
    {"create a platform admin",
     "POST",
     "/v1/users",
     R"({"username":"{uniq}","org_id":"{org.A}","role":"platform_admin"})",
     {201, 403, 403, 403}},
    {"promote a member to platform admin",
     "PATCH",
     "/v1/users/{fresh.user.A}",
     R"({"role":"platform_admin"})",
     {200, 403, 404, 403}},
    // --- orgs
    {"read own org", "GET", "/v1/orgs/{org.A}", "", {200, 200, 200, 200}},
    {"read another org", "GET", "/v1/orgs/{org.B}", "", {200, 404, 404, 404}},
    {"patch own org",
     "PATCH",
     "/v1/orgs/{org.A}",
     R"({"enabled":true})",
     {200, 403, 403, 403}},
    {"patch another org",
     "PATCH",
     "/v1/orgs/{org.B}",
     R"({"enabled":true})",
     {200, 404, 404, 404}},
    {"delete own org",
     "DELETE",
     "/v1/orgs/{org.A}?force=true",
     "",
     {403, 403, 403, 403}},  // nobody deletes the org they are in
    {"delete another org", "DELETE", "/v1/orgs/{fresh.org}", "", {204, 404, 404, 404}},
    {"create an org", "POST", "/v1/orgs", R"({"name":"{uniq}"})", {201, 403, 403, 403}},
};

class PermissionMatrixTest : public TenancyTest {
 protected:
  void SetUpWorld() {
    ids_["org.A"] = NewOrg("A");
    ids_["org.B"] = NewOrg("B");
    const json all = json::array({"*"});
    auto add_user = [&](const std::string& name, const std::string& org,
                        const char* role) {
      json u = NewUser(ids_[org], role, all);
      ids_["user." + name] = u["id"];
      json k = KeyFor(u["id"], all);
      ids_["key." + name] = k["id"];
      return k["key"].get<std::string>();
    };
    actor_keys_[kPa] = add_user("pa", "org.A", "platform_admin");
    actor_keys_[kOa] = add_user("oa", "org.A", "org_admin");
    actor_keys_[kMember] = add_user("m", "org.A", "member");
    add_user("m2", "org.A", "member");
    add_user("oa2", "org.A", "org_admin");
    add_user("b", "org.B", "member");
    const std::string ob_key = add_user("ob", "org.B", "org_admin");
    actor_keys_[kOrgKey] = OrgKey(actor_keys_[kOa], all)["key"];
    ids_["key.orgA"] = OrgKey(actor_keys_[kOa], all)["id"];
    ids_["key.orgB"] = OrgKey(ob_key, all)["id"];
  }

  // The id for a placeholder; fresh.* placeholders create a new resource each time.
  std::string Resolve(const std::string& name) {
    if (name == "uniq") return Unique("u");
    if (name.rfind("fresh.key.", 0) == 0) {
      return KeyFor(ids_["user." + name.substr(10)], json::array())["id"];
    }
    if (name == "fresh.user.A") return NewUser(ids_["org.A"], "member")["id"];
    if (name == "fresh.user.B") return NewUser(ids_["org.B"], "member")["id"];
    if (name == "fresh.org") return NewOrg("fresh");
    EXPECT_TRUE(ids_.count(name)) << "unknown placeholder " << name;
    return ids_[name];
  }

  std::string Expand(std::string text) {
    static const std::regex kPlaceholder(R"(\{([a-zA-Z0-9.]+)\})");
    std::smatch m;
    std::string out;
    while (std::regex_search(text, m, kPlaceholder)) {
      out += m.prefix().str() + Resolve(m[1].str());
      text = m.suffix().str();
    }
    return out + text;
  }

  std::map<std::string, std::string> ids_;
  std::array<std::string, kActorCount> actor_keys_;
};

TEST_F(PermissionMatrixTest, EveryCellAnswersAsTheRoleAllows) {
  SetUpWorld();
  ASSERT_FALSE(HasFailure()) << "setting up the world failed";
  int cells = 0;
  for (const Cell& cell : kCells) {
    for (int a = 0; a < kActorCount; ++a) {
      const std::string target = Expand(cell.target);
      const json body = *cell.body ? json::parse(Expand(cell.body)) : json(nullptr);
      auto r = Do(cell.method, target, actor_keys_[a], body);
      ++cells;
      EXPECT_EQ(r.status, cell.expect[a])
          << kActorNames[a] << ": " << cell.what << " (" << cell.method << " " << target
          << ") -> " << r.body;
      if (r.status == 404) {
        // Invisible looks exactly like nonexistent.
        EXPECT_EQ(Json(r).value("code", ""), "not_found") << cell.what;
      }
    }
  }
  EXPECT_EQ(cells, static_cast<int>(std::size(kCells)) * kActorCount);
}

TEST_F(PermissionMatrixTest, InvisibleAndNonexistentIdsAnswerTheSame) {
  SetUpWorld();
  for (const char* kind : {"keys", "users", "orgs"}) {
    const std::string other = kind == std::string("keys")    ? ids_["key.b"]
                              : kind == std::string("users") ? ids_["user.b"]
                                                             : ids_["org.B"];
    auto hidden = Do("GET", std::string("/v1/") + kind + "/" + other, actor_keys_[kOa]);
    auto missing = Do("GET", std::string("/v1/") + kind + "/nope_123", actor_keys_[kOa]);
    EXPECT_EQ(hidden.status, 404) << kind;
    EXPECT_EQ(hidden.body, missing.body) << kind;
  }
}

TEST_F(PermissionMatrixTest, ListsShowOnlyWhatTheRoleMaySee) {
  SetUpWorld();
  auto ids_of = [&](int actor, const std::string& target) {
    auto r = Do("GET", target, actor_keys_[actor]);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    std::set<std::string> out;
    const json items = Json(r)["items"];
    for (const auto& item : items) out.insert(item["id"].get<std::string>());
    return out;
  };
  // Users: the org admin sees all of org A and nothing of B; a member only itself.
  auto oa_users = ids_of(kOa, "/v1/users?limit=500");
  EXPECT_TRUE(oa_users.count(ids_["user.m2"]));
  EXPECT_TRUE(oa_users.count(ids_["user.pa"]));
  EXPECT_FALSE(oa_users.count(ids_["user.b"]));
  EXPECT_TRUE(ids_of(kOa, "/v1/users?org_id=" + ids_["org.B"]).empty());
  EXPECT_EQ(ids_of(kMember, "/v1/users"), std::set<std::string>{ids_["user.m"]});
  EXPECT_TRUE(ids_of(kMember, "/v1/users?role=org_admin").empty());
  auto pa_admins = ids_of(kPa, "/v1/users?role=org_admin&org_id=" + ids_["org.A"]);
  EXPECT_EQ(pa_admins, (std::set<std::string>{ids_["user.oa"], ids_["user.oa2"]}));
  // Keys.
  auto m_keys = ids_of(kMember, "/v1/keys");
  EXPECT_EQ(m_keys, std::set<std::string>{ids_["key.m"]});
  auto oa_keys = ids_of(kOa, "/v1/keys?limit=500");
  EXPECT_TRUE(oa_keys.count(ids_["key.orgA"]));
  EXPECT_FALSE(oa_keys.count(ids_["key.orgB"]));
  EXPECT_FALSE(oa_keys.count(ids_["key.b"]));
  EXPECT_TRUE(ids_of(kOa, "/v1/keys?owner_user_id=" + ids_["user.b"]).empty());
  EXPECT_EQ(ids_of(kPa, "/v1/keys?owner_user_id=" + ids_["user.b"]),
            std::set<std::string>{ids_["key.b"]});
  // Orgs: everyone but a platform admin sees exactly its own.
  for (int a : {kOa, kMember, kOrgKey}) {
    EXPECT_EQ(ids_of(a, "/v1/orgs"), std::set<std::string>{ids_["org.A"]})
        << kActorNames[a];
  }
  auto all_orgs = ids_of(kPa, "/v1/orgs");
  EXPECT_TRUE(all_orgs.count(ids_["org.B"]));
  EXPECT_GE(all_orgs.size(), 3u);  // default, A, B
}

TEST_F(PermissionMatrixTest, AnAdminActionNeedsTheScopeAsWellAsTheRole) {
  SetUpWorld();
  // A platform admin's key with only key scopes cannot manage users or orgs.
  json narrow = KeyFor(ids_["user.pa"], {"keys:*"});
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/users"},
                                                        {"GET", "/v1/orgs"},
                                                        {"POST", "/v1/orgs"},
                                                        {"DELETE", "/v1/users/x"}}) {
    auto r = Do(method, target, narrow["key"], json::object());
    EXPECT_EQ(r.status, 403) << method << " " << target;
    EXPECT_EQ(Json(r)["code"], "insufficient_scope");
  }
  json reader = KeyFor(ids_["user.pa"], {"users:read", "orgs:read"});
  EXPECT_EQ(Do("GET", "/v1/users/" + ids_["user.b"], reader["key"]).status, 200);
  EXPECT_EQ(Do("PATCH", "/v1/users/" + ids_["user.b"], reader["key"], {{"enabled", true}})
                .status,
            403);
  EXPECT_EQ(Do("GET", "/v1/orgs/" + ids_["org.B"], reader["key"]).status, 200);
}

}  // namespace
}  // namespace keyward::testing
