// /v1/users handlers: create, list, get, patch, delete.
#include <nlohmann/json.hpp>

#include "keyward/api/encode.h"
#include "keyward/api/handlers.h"
#include "keyward/api/paging.h"
#include "keyward/api/principal_fields.h"
#include "keyward/api/problem.h"
#include "keyward/service/app.h"
#include "keyward/service/audit_service.h"
#include "keyward/service/key_service.h"
#include "keyward/service/org_service.h"
#include "keyward/service/user_service.h"

namespace keyward::api {
namespace {

using nlohmann::json;

const std::vector<std::string> kUsersRead = {"users:read"};
const std::vector<std::string> kUsersWrite = {"users:write"};

}  // namespace

Reply CreateUser(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  auto fields = ParseUserFields(*body, PrincipalFieldsMode::kCreate);
  RETURN_IF_ERROR(fields);
  auto user = s.users.Create(who, *fields);
  RETURN_IF_ERROR(user);
  http::Response r = JsonResponse(201, UserJson(*user));
  r.Set("Location", "/v1/users/" + user->id);
  return r;
}

Reply ListUsers(Call& call, const service::Actor& who, Services& s) {
  if (auto s = RefuseUnknownQuery(call.target, {"org_id", "role"}); !s.ok()) {
    return ErrorResponse(s.error());
  }
  service::UserListQuery q;
  q.org_id = call.target.Query("org_id");
  if (auto role = call.target.Query("role")) {
    q.role = ParseRole(*role);
    if (!q.role) {
      return ErrorResponse(
          Error::Validation("role", "must be platform_admin, org_admin or member"));
    }
  }
  RETURN_IF_ERROR(ParsePaging(call.target, q.limit, q.after));
  auto page = s.users.List(who, q);
  RETURN_IF_ERROR(page);
  json items = json::array();
  for (const auto& u : page->items) items.push_back(UserJson(u));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Reply GetUser(Call& call, const service::Actor& who, Services& s) {
  auto user = s.users.Get(who, call.id);
  RETURN_IF_ERROR(user);
  return JsonResponse(200, UserJson(*user));
}

Reply PatchUser(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  auto fields = ParseUserFields(*body, PrincipalFieldsMode::kPatch);
  RETURN_IF_ERROR(fields);
  auto user = s.users.Update(who, call.id, *fields);
  RETURN_IF_ERROR(user);
  return JsonResponse(200, UserJson(*user));
}

Reply DeleteUser(Call& call, const service::Actor& who, Services& s) {
  RETURN_IF_ERROR(s.users.Delete(who, call.id));
  http::Response r;
  r.status = 204;
  return r;
}

Reply SetUserPassword(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  if (!body->is_object()) return Error::Validation("(body)", "must be an object");
  for (const auto& [k, v] : body->items()) {
    if (k != "password") return Error::Validation(k, "unknown field");
  }
  const auto it = body->find("password");
  if (it == body->end()) return Error::Validation("password", "is required");
  if (!it->is_string()) return Error::Validation("password", "must be a string");
  RETURN_IF_ERROR(s.users.SetPassword(who, call.id, it->get_ref<const std::string&>()));
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace keyward::api
