// TenancyTest: ServerTest plus helpers that set up orgs, users and keys through the
// API with the bootstrap admin key.
#ifndef KEYWARD_TESTS_INTEGRATION_TENANCY_TEST_H_
#define KEYWARD_TESTS_INTEGRATION_TENANCY_TEST_H_

#include <string>
#include <vector>

#include "server_test.h"

namespace keyward::testing {

class TenancyTest : public ServerTest {
 protected:
  // A name no other call of this fixture has returned.
  std::string Unique(const std::string& stem) {
    return stem + std::to_string(++counter_);
  }

  // POST /v1/orgs with the admin key; returns the org's id.
  std::string NewOrg(const std::string& stem = "org") {
    auto r = Do("POST", "/v1/orgs", admin_key_, {{"name", Unique(stem)}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).value("id", "");
  }

  // POST /v1/users with the admin key; `permissions` null means the role's default.
  nlohmann::json NewUser(const std::string& org_id, const std::string& role,
                         const nlohmann::json& permissions = nullptr) {
    nlohmann::json body{{"username", Unique(role)}, {"org_id", org_id}, {"role", role}};
    if (!permissions.is_null()) body["permissions"] = permissions;
    auto r = Do("POST", "/v1/users", admin_key_, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r);
  }

  // A user key for `user_id`, created with the admin key; returns the 201 body.
  nlohmann::json KeyFor(const std::string& user_id, const nlohmann::json& scopes) {
    return CreateKey(
        {{"name", Unique("key")}, {"owner_user_id", user_id}, {"scopes", scopes}});
  }

  // An organization key created by the holder of `creator_key`; returns the 201 body.
  nlohmann::json OrgKey(const std::string& creator_key, const nlohmann::json& scopes) {
    auto r = Do("POST", "/v1/keys", creator_key,
                {{"name", Unique("orgkey")}, {"kind", "org"}, {"scopes", scopes}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r);
  }

  std::string Code(const std::string& key, std::vector<std::string> scopes = {}) {
    return VerifyKey(key, std::move(scopes)).value("code", "");
  }

 private:
  int counter_ = 0;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_TENANCY_TEST_H_
