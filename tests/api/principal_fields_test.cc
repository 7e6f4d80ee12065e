#include "keyward/api/principal_fields.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace keyward::api {
namespace {

using nlohmann::json;

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field);
  return out;
}

TEST(PrincipalFieldsTest, FullUserBodyParses) {
  auto f = ParseUserFields({{"username", "jane.doe+ci@example.com"},
                            {"org_id", "org_1"},
                            {"role", "org_admin"},
                            {"permissions", {"logs:*", "logs:*", "*:read"}},
                            {"enabled", false},
                            {"api_keys_enabled", false}},
                           PrincipalFieldsMode::kCreate);
  ASSERT_TRUE(f.ok()) << Fields(f.error())[0];
  EXPECT_EQ(*f->username, "jane.doe+ci@example.com");
  EXPECT_EQ(*f->org_id, "org_1");
  EXPECT_EQ(*f->role, Role::kOrgAdmin);
  EXPECT_EQ(*f->permissions, (std::vector<std::string>{"logs:*", "*:read"}));
  EXPECT_FALSE(*f->enabled);
  EXPECT_FALSE(*f->api_keys_enabled);
}

TEST(PrincipalFieldsTest, AbsentMembersStayUnset) {
  auto f = ParseUserFields({{"username", "x"}}, PrincipalFieldsMode::kCreate);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->role || f->permissions || f->enabled || f->api_keys_enabled ||
               f->org_id);
  auto empty = ParseUserFields(json::object(), PrincipalFieldsMode::kPatch);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->username);
}

struct BadUserBody {
  const char* name;
  json body;
  PrincipalFieldsMode mode;
  std::vector<std::string> fields;  // every field named, in order
};

TEST(PrincipalFieldsTest, BadUserBodiesNameEveryField) {
  const auto kCreate = PrincipalFieldsMode::kCreate;
  const auto kPatch = PrincipalFieldsMode::kPatch;
  const std::vector<BadUserBody> cases = {
      {"missing username", json::object(), kCreate, {"username"}},
      {"typo", {{"username", "a"}, {"permisions", {"*"}}}, kCreate, {"permisions"}},
      {"read-only id", {{"id", "usr_x"}}, kPatch, {"id"}},
      {"username type", {{"username", 5}}, kCreate, {"username"}},
      {"username chars", {{"username", "a b"}}, kCreate, {"username"}},
      {"username control", {{"username", "a\nb"}}, kCreate, {"username"}},
      {"username too long", {{"username", std::string(101, 'a')}}, kCreate, {"username"}},
      {"empty username", {{"username", ""}}, kPatch, {"username"}},
      {"role", {{"username", "a"}, {"role", "owner"}}, kCreate, {"role"}},
      {"role type", {{"role", 1}}, kPatch, {"role"}},
      {"permissions type", {{"permissions", "*"}}, kPatch, {"permissions"}},
      {"permission entry",
       {{"permissions", {"logs:read", 3}}},
       kPatch,
       {"permissions[1]"}},
      {"bad scope", {{"permissions", {"logs"}}}, kPatch, {"permissions[0]"}},
      {"enabled type", {{"enabled", "yes"}}, kPatch, {"enabled"}},
      {"api_keys_enabled type", {{"api_keys_enabled", 0}}, kPatch, {"api_keys_enabled"}},
      {"org_id on patch", {{"org_id", "org_2"}}, kPatch, {"org_id"}},
      {"org_id type", {{"username", "a"}, {"org_id", 7}}, kCreate, {"org_id"}},
      {"several",
       {{"usrname", "a"}, {"enabled", 1}},
       kCreate,
       {"usrname", "username", "enabled"}},
  };
  for (const auto& c : cases) {
    auto f = ParseUserFields(c.body, c.mode);
    ASSERT_FALSE(f.ok()) << c.name;
    EXPECT_EQ(f.error().kind, ErrorKind::kValidation) << c.name;
    EXPECT_EQ(Fields(f.error()), c.fields) << c.name;
  }
  EXPECT_FALSE(ParseUserFields(json::array(), kCreate).ok());
}

TEST(PrincipalFieldsTest, OrgBodies) {
  auto f =
      ParseOrgFields({{"name", "Acme"}, {"enabled", false}, {"api_keys_enabled", true}},
                     PrincipalFieldsMode::kCreate);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f->name, "Acme");
  EXPECT_FALSE(*f->enabled);
  EXPECT_TRUE(*f->api_keys_enabled);

  struct Bad {
    json body;
    PrincipalFieldsMode mode;
    std::vector<std::string> fields;
  };
  const std::vector<Bad> cases = {
      {json::object(), PrincipalFieldsMode::kCreate, {"name"}},
      {{{"name", ""}}, PrincipalFieldsMode::kPatch, {"name"}},
      {{{"name", std::string(101, 'x')}}, PrincipalFieldsMode::kPatch, {"name"}},
      {{{"name", "a\x01"}}, PrincipalFieldsMode::kPatch, {"name"}},
      {{{"name", 1}}, PrincipalFieldsMode::kPatch, {"name"}},
      {{{"enabled", "false"}}, PrincipalFieldsMode::kPatch, {"enabled"}},
      {{{"api_keys_enabld", false}}, PrincipalFieldsMode::kPatch, {"api_keys_enabld"}},
      {{{"created_at", "2020-01-01T00:00:00Z"}},
       PrincipalFieldsMode::kPatch,
       {"created_at"}},
  };
  for (const auto& c : cases) {
    auto r = ParseOrgFields(c.body, c.mode);
    ASSERT_FALSE(r.ok()) << c.body.dump();
    EXPECT_EQ(Fields(r.error()), c.fields) << c.body.dump();
  }
}

}  // namespace
}  // namespace keyward::api
