#include "keyward/api/principal_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "keyward/api/encode.h"
#include "keyward/api/key_fields.h"
#include "keyward/core/scope.h"

namespace keyward::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxPermissions = 100;

using Errors = std::vector<FieldError>;

void RefuseUnknown(const json& body, std::initializer_list<std::string_view> known,
                   Errors& errors) {
  for (const auto& [k, v] : body.items()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      errors.push_back({k, "unknown field"});
    }
  }
}

void ParseBool(const json& body, const char* name, std::optional<bool>& out,
               Errors& errors) {
  if (!body.contains(name)) return;
  if (!body[name].is_boolean()) {
    errors.push_back({name, "must be a boolean"});
  } else {
    out = body[name].get<bool>();
  }
}

bool IsUsernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
}

void ParsePermissions(const json& v, std::optional<std::vector<std::string>>& out,
                      Errors& errors) {
  if (!v.is_array()) {
    errors.push_back({"permissions", "must be an array of scope patterns"});
    return;
  }
  if (v.size() > kMaxPermissions) {
    errors.push_back({"permissions", "must have at most 100 entries"});
    return;
  }
  std::vector<std::string> list;
  bool ok = true;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string field = "permissions[" + std::to_string(i) + "]";
    if (!v[i].is_string()) {
      errors.push_back({field, "must be a string"});
      ok = false;
    } else if (!core::IsValidScope(v[i].get<std::string>())) {
      errors.push_back({field, "'" + v[i].get<std::string>() +
                                   "' is not a scope (resource:action, * allowed)"});
      ok = false;
    } else if (std::find(list.begin(), list.end(), v[i].get<std::string>()) ==
               list.end()) {
      list.push_back(v[i].get<std::string>());
    }
  }
  if (ok) out = std::move(list);
}

}  // namespace

Result<service::OrgFields> ParseOrgFields(const json& body, PrincipalFieldsMode mode) {
  if (!body.is_object()) return Error::Validation("(body)", "must be a JSON object");
  Errors errors;
  service::OrgFields f;
  RefuseUnknown(body, {"name", "enabled", "api_keys_enabled"}, errors);
  if (body.contains("name")) {
    const json& v = body["name"];
    if (!v.is_string()) {
      errors.push_back({"name", "must be a string"});
    } else if (auto err = CheckText(v.get<std::string>(), 1, kMaxNameChars)) {
      errors.push_back({"name", *err});
    } else {
      f.name = v.get<std::string>();
    }
  } else if (mode == PrincipalFieldsMode::kCreate) {
    errors.push_back({"name", "is required"});
  }
  ParseBool(body, "enabled", f.enabled, errors);
  ParseBool(body, "api_keys_enabled", f.api_keys_enabled, errors);
  if (!errors.empty()) return Error{ErrorKind::kValidation, "validation failed", errors};
  return f;
}

Result<service::UserFields> ParseUserFields(const json& body, PrincipalFieldsMode mode) {
  if (!body.is_object()) return Error::Validation("(body)", "must be a JSON object");
  const bool create = mode == PrincipalFieldsMode::kCreate;
  Errors errors;
  service::UserFields f;
  RefuseUnknown(
      body, {"username", "org_id", "role", "permissions", "enabled", "api_keys_enabled"},
      errors);
  if (body.contains("username")) {
    const json& v = body["username"];
    if (!v.is_string()) {
      errors.push_back({"username", "must be a string"});
    } else if (const auto& s = v.get_ref<const std::string&>();
               s.empty() || s.size() > kMaxNameChars ||
               !std::all_of(s.begin(), s.end(), IsUsernameChar)) {
      errors.push_back({"username", "must be 1 to 100 of A-Z a-z 0-9 . _ - @ +"});
    } else {
      f.username = s;
    }
  } else if (create) {
    errors.push_back({"username", "is required"});
  }
  if (body.contains("org_id")) {
    const json& v = body["org_id"];
    if (!create) {
      // Keys record their org; moving a user would leave their keys behind.
      errors.push_back({"org_id", "cannot be changed; create a user in the other org"});
    } else if (!v.is_string()) {
      errors.push_back({"org_id", "must be a string"});
    } else {
      f.org_id = v.get<std::string>();
    }
  }
  if (body.contains("role")) {
    const json& v = body["role"];
    auto role = v.is_string() ? ParseRole(v.get<std::string>()) : std::nullopt;
    if (!role) {
      errors.push_back(
          {"role", "must be \"platform_admin\", \"org_admin\" or \"member\""});
    } else {
      f.role = *role;
    }
  }
  if (body.contains("permissions"))
    ParsePermissions(body["permissions"], f.permissions, errors);
  ParseBool(body, "enabled", f.enabled, errors);
  ParseBool(body, "api_keys_enabled", f.api_keys_enabled, errors);
  if (!errors.empty()) return Error{ErrorKind::kValidation, "validation failed", errors};
  return f;
}

}  // namespace keyward::api
