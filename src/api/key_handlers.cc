// /v1/keys handlers: create, list, get, patch, revoke, rotate, usage.
#include <sodium.h>
#include <nlohmann/json.hpp>

#include "keyward/api/encode.h"
#include "keyward/api/handlers.h"
#include "keyward/api/key_fields.h"
#include "keyward/api/paging.h"
#include "keyward/api/problem.h"
#include "keyward/core/time_util.h"
#include "keyward/service/app.h"
#include "keyward/service/audit_service.h"
#include "keyward/service/key_service.h"
#include "keyward/service/org_service.h"
#include "keyward/service/user_service.h"

namespace keyward::api {
namespace {

using nlohmann::json;

const std::vector<std::string> kKeysRead = {"keys:read"};
const std::vector<std::string> kKeysWrite = {"keys:write"};

http::Response Created(const service::CreatedKey& created, UnixSeconds now,
                       const core::Tiers& tiers) {
  json out = KeyJson(created.record, now, tiers);
  out["key"] = created.secret;
  http::Response r = JsonResponse(201, out);
  r.Set("Location", "/v1/keys/" + created.record.id);
  return r;
}

}  // namespace

nlohmann::json KeyObject(const KeyRecord& key, UnixSeconds now, service::App& app) {
  nlohmann::json out = KeyJson(key, now, app.policies().table().tiers());
  if (key.remaining_uses) out["remaining_uses"] = *app.policies().LiveRemaining(key);
  return out;
}

Reply CreateKey(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  const UnixSeconds now = s.app.clock().Now();
  auto fields = ParseKeyFields(*body, KeyFieldsMode::kCreate, now, s.app.config().tiers);
  RETURN_IF_ERROR(fields);
  auto created = s.keys.Create(who, *fields);
  RETURN_IF_ERROR(created);
  http::Response resp = Created(*created, now, s.app.policies().table().tiers());
  sodium_memzero(created->secret.data(), created->secret.size());
  return resp;
}

Reply ListKeys(Call& call, const service::Actor& who, Services& s) {
  service::KeyListQuery q;
  for (const auto& [k, v] : call.target.query) {
    if (k == "owner_user_id") {
      q.owner_user_id = v;
    } else if (k == "org_id") {
      q.org_id = v;
    } else if (k == "tag") {
      q.tag = v;
    } else if (k == "status") {
      if (v != "active" && v != "disabled" && v != "expired" && v != "revoked") {
        return ErrorResponse(
            Error::Validation("status", "must be active, disabled, expired or revoked"));
      }
      q.status = v;
    } else if (k != "limit" && k != "cursor" && k != "api_key" && k != "rest_api_key") {
      // A misspelt filter must not silently widen the result.
      return ErrorResponse(Error::Validation(k, "unknown query parameter"));
    }
  }
  RETURN_IF_ERROR(ParsePaging(call.target, q.limit, q.after));
  auto page = s.keys.List(who, q);
  RETURN_IF_ERROR(page);
  const UnixSeconds now = s.app.clock().Now();
  json items = json::array();
  for (const auto& k : page->items) items.push_back(KeyObject(k, now, s.app));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Reply GetKey(Call& call, const service::Actor& who, Services& s) {
  auto key = s.keys.Get(who, call.id);
  RETURN_IF_ERROR(key);
  return JsonResponse(200, KeyObject(*key, s.app.clock().Now(), s.app));
}

Reply PatchKey(Call& call, const service::Actor& who, Services& s) {
  Reply error;
  const nlohmann::json* body = RequireBody(call, error);
  if (!body) return error;
  const UnixSeconds now = s.app.clock().Now();
  auto fields = ParseKeyFields(*body, KeyFieldsMode::kPatch, now, s.app.config().tiers);
  RETURN_IF_ERROR(fields);
  auto key = s.keys.Update(who, call.id, *fields);
  RETURN_IF_ERROR(key);
  return JsonResponse(200, KeyObject(*key, now, s.app));
}

Reply RevokeKey(Call& call, const service::Actor& who, Services& s) {
  RETURN_IF_ERROR(s.keys.Revoke(who, call.id));
  http::Response r;
  r.status = 204;
  return r;
}

Reply RotateKey(Call& call, const service::Actor& who, Services& s) {
  service::RotateOptions options;
  if (!call.req.body.empty()) {
    Reply error;
    const nlohmann::json* body = RequireBody(call, error);
    if (!body) return error;
    ASSIGN_OR_RETURN(options, ParseRotateOptions(*body, s.app.clock().Now(),
                                                 s.app.policies().table().tiers()));
  }
  auto created = s.keys.Rotate(who, call.id, options);
  RETURN_IF_ERROR(created);
  http::Response resp =
      Created(*created, s.app.clock().Now(), s.app.policies().table().tiers());
  sodium_memzero(created->secret.data(), created->secret.size());
  return resp;
}

Reply KeyUsage(Call& call, const service::Actor& who, Services& s) {
  auto usage = s.keys.Usage(who, call.id);
  RETURN_IF_ERROR(usage);
  json items = json::array();
  for (const auto& h : *usage) {
    items.push_back({{"hour", core::FormatRfc3339(h.hour)}, {"counts", h.counts}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace keyward::api
