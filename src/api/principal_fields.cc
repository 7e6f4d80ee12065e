#include "keyward/api/principal_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "keyward/core/scope.h"
#include "keyward/json/object_reader.h"
#include "keyward/service/key_rules.h"

namespace keyward::api {
using service::CheckText;

namespace {

constexpr std::size_t kMaxNameChars = 100;
constexpr std::size_t kMaxPermissions = 100;

// A body that is not an object is one error; otherwise, the caller reads on.
bool IsBody(json::ObjectReader& body) {
  return body.IsObject("(body)", "must be a JSON object");
}

void ParsePermissions(json::ObjectReader& body,
                      std::optional<std::vector<std::string>>& out) {
  constexpr json::StringListRules kRules{
      .max_entries = kMaxPermissions, .not_array = "must be an array of scope patterns"};
  auto list = body.StringList("permissions", kRules);
  if (!list) return;
  std::vector<std::string> unique;
  bool ok = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string& p = (*list)[i];
    if (!core::IsValidScope(p)) {
      body.errors().Add(json::IndexPath("permissions", i),
                        "'" + p + "' is not a scope (resource:action, * allowed)");
      ok = false;
    } else if (std::find(unique.begin(), unique.end(), p) == unique.end()) {
      unique.push_back(p);
    }
  }
  if (ok) out = std::move(unique);
}

}  // namespace

Result<service::OrgFields> ParseOrgFields(const nlohmann::json& doc,
                                          PrincipalFieldsMode mode) {
  json::FieldErrors errors;
  json::ObjectReader body(doc, "", errors);
  if (!IsBody(body)) return errors.ToError();
  service::OrgFields f;
  body.RefuseUnknown({"name", "enabled", "api_keys_enabled"});
  if (auto name = body.String("name")) {
    if (auto err = CheckText(*name, 1, kMaxNameChars)) {
      body.Fail("name", *err);
    } else {
      f.name = std::move(*name);
    }
  } else if (!body.Has("name") && mode == PrincipalFieldsMode::kCreate) {
    body.Fail("name", "is required");
  }
  f.enabled = body.Bool("enabled");
  f.api_keys_enabled = body.Bool("api_keys_enabled");
  if (!errors.empty()) return errors.ToError();
  return f;
}

Result<service::UserFields> ParseUserFields(const nlohmann::json& doc,
                                            PrincipalFieldsMode mode) {
  json::FieldErrors errors;
  json::ObjectReader body(doc, "", errors);
  if (!IsBody(body)) return errors.ToError();
  const bool create = mode == PrincipalFieldsMode::kCreate;
  service::UserFields f;
  body.RefuseUnknown(
      {"username", "org_id", "role", "permissions", "enabled", "api_keys_enabled"});
  if (auto username = body.String("username")) {
    if (!service::IsUsername(*username)) {
      body.Fail("username", "must be 1 to 100 of A-Z a-z 0-9 . _ - @ +");
    } else {
      f.username = std::move(*username);
    }
  } else if (!body.Has("username") && create) {
    body.Fail("username", "is required");
  }
  if (body.Has("org_id")) {
    if (!create) {
      // Keys record their org; moving a user would leave their keys behind.
      body.Fail("org_id", "cannot be changed; create a user in the other org");
    } else {
      f.org_id = body.String("org_id");
    }
  }
  if (const nlohmann::json* v = body.Find("role")) {
    auto role = v->is_string() ? ParseRole(v->get<std::string>()) : std::nullopt;
    if (!role) {
      body.Fail("role", "must be \"platform_admin\", \"org_admin\" or \"member\"");
    } else {
      f.role = *role;
    }
  }
  ParsePermissions(body, f.permissions);
  f.enabled = body.Bool("enabled");
  f.api_keys_enabled = body.Bool("api_keys_enabled");
  if (!errors.empty()) return errors.ToError();
  return f;
}

}  // namespace keyward::api
