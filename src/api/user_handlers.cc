// /v1/users handlers: create, list, get, patch, delete.
#include <nlohmann/json.hpp>

#include "keyward/api/api.h"
#include "keyward/api/encode.h"
#include "keyward/api/paging.h"
#include "keyward/api/principal_fields.h"
#include "keyward/api/problem.h"

namespace keyward::api {
namespace {

using nlohmann::json;

const std::vector<std::string> kUsersRead = {"users:read"};
const std::vector<std::string> kUsersWrite = {"users:write"};

}  // namespace

http::Response Api::CreateUser(Call& call) {
  if (auto denied = Authenticate(call, kUsersWrite)) return *denied;
  http::Response error;
  auto body = ParseBody(call, error);
  if (!body) return error;
  auto fields = ParseUserFields(*body, PrincipalFieldsMode::kCreate);
  if (!fields.ok()) return ErrorResponse(fields.error());
  auto user = users_.Create(*call.actor, *fields);
  if (!user.ok()) return ErrorResponse(user.error());
  http::Response r = JsonResponse(201, UserJson(*user));
  r.Set("Location", "/v1/users/" + user->id);
  return r;
}

http::Response Api::ListUsers(Call& call) {
  if (auto denied = Authenticate(call, kUsersRead)) return *denied;
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
  if (auto s = ParsePaging(call.target, q.limit, q.after); !s.ok())
    return ErrorResponse(s.error());
  auto page = users_.List(*call.actor, q);
  if (!page.ok()) return ErrorResponse(page.error());
  json items = json::array();
  for (const auto& u : page->items) items.push_back(UserJson(u));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

http::Response Api::GetUser(Call& call) {
  if (auto denied = Authenticate(call, kUsersRead)) return *denied;
  auto user = users_.Get(*call.actor, call.id);
  if (!user.ok()) return ErrorResponse(user.error());
  return JsonResponse(200, UserJson(*user));
}

http::Response Api::PatchUser(Call& call) {
  if (auto denied = Authenticate(call, kUsersWrite)) return *denied;
  http::Response error;
  auto body = ParseBody(call, error);
  if (!body) return error;
  auto fields = ParseUserFields(*body, PrincipalFieldsMode::kPatch);
  if (!fields.ok()) return ErrorResponse(fields.error());
  auto user = users_.Update(*call.actor, call.id, *fields);
  if (!user.ok()) return ErrorResponse(user.error());
  return JsonResponse(200, UserJson(*user));
}

http::Response Api::DeleteUser(Call& call) {
  if (auto denied = Authenticate(call, kUsersWrite)) return *denied;
  if (auto s = users_.Delete(*call.actor, call.id); !s.ok())
    return ErrorResponse(s.error());
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace keyward::api
