// /v1/orgs handlers: create, list, get, patch, delete.
#include <nlohmann/json.hpp>

#include "keyward/api/api.h"
#include "keyward/api/encode.h"
#include "keyward/api/paging.h"
#include "keyward/api/principal_fields.h"
#include "keyward/api/problem.h"

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

http::Response Api::CreateOrg(Call& call) {
  if (auto denied = Authenticate(call, kOrgsWrite)) return *denied;
  http::Response error;
  auto body = ParseBody(call, error);
  if (!body) return error;
  auto fields = ParseOrgFields(*body, PrincipalFieldsMode::kCreate);
  if (!fields.ok()) return ErrorResponse(fields.error());
  auto org = orgs_.Create(*call.actor, *fields);
  if (!org.ok()) return ErrorResponse(org.error());
  http::Response r = JsonResponse(201, OrgJson(*org));
  r.Set("Location", "/v1/orgs/" + org->id);
  return r;
}

http::Response Api::ListOrgs(Call& call) {
  if (auto denied = Authenticate(call, kOrgsRead)) return *denied;
  if (auto s = RefuseUnknownQuery(call.target, {}); !s.ok())
    return ErrorResponse(s.error());
  service::OrgListQuery q;
  if (auto s = ParsePaging(call.target, q.limit, q.after); !s.ok())
    return ErrorResponse(s.error());
  auto page = orgs_.List(*call.actor, q);
  if (!page.ok()) return ErrorResponse(page.error());
  json items = json::array();
  for (const auto& o : page->items) items.push_back(OrgJson(o));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

http::Response Api::GetOrg(Call& call) {
  if (auto denied = Authenticate(call, kOrgsRead)) return *denied;
  auto org = orgs_.Get(*call.actor, call.id);
  if (!org.ok()) return ErrorResponse(org.error());
  return JsonResponse(200, OrgJson(*org));
}

http::Response Api::PatchOrg(Call& call) {
  if (auto denied = Authenticate(call, kOrgsWrite)) return *denied;
  http::Response error;
  auto body = ParseBody(call, error);
  if (!body) return error;
  auto fields = ParseOrgFields(*body, PrincipalFieldsMode::kPatch);
  if (!fields.ok()) return ErrorResponse(fields.error());
  auto org = orgs_.Update(*call.actor, call.id, *fields);
  if (!org.ok()) return ErrorResponse(org.error());
  return JsonResponse(200, OrgJson(*org));
}

http::Response Api::DeleteOrg(Call& call) {
  if (auto denied = Authenticate(call, kOrgsWrite)) return *denied;
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
  if (auto s = orgs_.Delete(*call.actor, call.id, force); !s.ok()) {
    return ErrorResponse(s.error());
  }
  return NoContent();
}

}  // namespace keyward::api
