// /v1/orgs handlers: create, list, get, patch, delete.
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

const std::vector<std::string> kOrgsRead = {"orgs:read"};
const std::vector<std::string> kOrgsWrite = {"orgs:write"};

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

Reply CreateOrg(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  auto fields = ParseOrgFields(*body, PrincipalFieldsMode::kCreate);
  RETURN_IF_ERROR(fields);
  auto org = s.orgs.Create(who, *fields);
  RETURN_IF_ERROR(org);
  http::Response r = JsonResponse(201, OrgJson(*org));
  r.Set("Location", "/v1/orgs/" + org->id);
  return r;
}

Reply ListOrgs(Call& call, const service::Actor& who, Services& s) {
  if (auto s = RefuseUnknownQuery(call.target, {}); !s.ok())
    return ErrorResponse(s.error());
  service::OrgListQuery q;
  RETURN_IF_ERROR(ParsePaging(call.target, q.limit, q.after));
  auto page = s.orgs.List(who, q);
  RETURN_IF_ERROR(page);
  json items = json::array();
  for (const auto& o : page->items) items.push_back(OrgJson(o));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Reply GetOrg(Call& call, const service::Actor& who, Services& s) {
  auto org = s.orgs.Get(who, call.id);
  RETURN_IF_ERROR(org);
  return JsonResponse(200, OrgJson(*org));
}

Reply PatchOrg(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  auto fields = ParseOrgFields(*body, PrincipalFieldsMode::kPatch);
  RETURN_IF_ERROR(fields);
  auto org = s.orgs.Update(who, call.id, *fields);
  RETURN_IF_ERROR(org);
  return JsonResponse(200, OrgJson(*org));
}

Reply DeleteOrg(Call& call, const service::Actor& who, Services& s) {
  if (auto s = RefuseUnknownQuery(call.target, {"force"}); !s.ok()) {
    return ErrorResponse(s.error());
  }
  bool force = false;
  if (auto v = call.target.Query("force")) {
    if (*v != "true" && *v != "false") {
      return ErrorResponse(Error::Validation("force", "must be true or false"));
    }
    force = *v == "true";
  }
  RETURN_IF_ERROR(s.orgs.Delete(who, call.id, force));
  return NoContent();
}

}  // namespace keyward::api
