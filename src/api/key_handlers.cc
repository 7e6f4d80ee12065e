// /v1/keys handlers: create, list, get, patch, revoke, rotate, usage.
#include <sodium.h>
#include <nlohmann/json.hpp>

#include "keyward/api/api.h"
#include "keyward/api/encode.h"
#include "keyward/api/key_fields.h"
#include "keyward/api/paging.h"
#include "keyward/api/problem.h"
#include "keyward/core/time_util.h"

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

http::Response Api::CreateKey(Call& call) {
  if (auto denied = Authenticate(call, kKeysWrite)) return *denied;
  http::Response error;
  auto body = ParseBody(call, error);
  if (!body) return error;
  const UnixSeconds now = app_.clock().Now();
  auto fields = ParseKeyFields(*body, KeyFieldsMode::kCreate, now, app_.config().tiers);
  if (!fields.ok()) return ErrorResponse(fields.error());
  auto created = keys_.Create(*call.actor, *fields);
  if (!created.ok()) return ErrorResponse(created.error());
  http::Response resp = Created(*created, now, app_.policies().table().tiers());
  sodium_memzero(created->secret.data(), created->secret.size());
  return resp;
}

http::Response Api::ListKeys(Call& call) {
  if (auto denied = Authenticate(call, kKeysRead)) return *denied;
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
  if (auto s = ParsePaging(call.target, q.limit, q.after); !s.ok())
    return ErrorResponse(s.error());
  auto page = keys_.List(*call.actor, q);
  if (!page.ok()) return ErrorResponse(page.error());
  const UnixSeconds now = app_.clock().Now();
  json items = json::array();
  for (const auto& k : page->items) items.push_back(KeyObject(k, now));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

http::Response Api::GetKey(Call& call) {
  if (auto denied = Authenticate(call, kKeysRead)) return *denied;
  auto key = keys_.Get(*call.actor, call.id);
  if (!key.ok()) return ErrorResponse(key.error());
  return JsonResponse(200, KeyObject(*key, app_.clock().Now()));
}

http::Response Api::PatchKey(Call& call) {
  if (auto denied = Authenticate(call, kKeysWrite)) return *denied;
  http::Response error;
  auto body = ParseBody(call, error);
  if (!body) return error;
  const UnixSeconds now = app_.clock().Now();
  auto fields = ParseKeyFields(*body, KeyFieldsMode::kPatch, now, app_.config().tiers);
  if (!fields.ok()) return ErrorResponse(fields.error());
  auto key = keys_.Update(*call.actor, call.id, *fields);
  if (!key.ok()) return ErrorResponse(key.error());
  return JsonResponse(200, KeyObject(*key, now));
}

http::Response Api::RevokeKey(Call& call) {
  if (auto denied = Authenticate(call, kKeysWrite)) return *denied;
  if (auto s = keys_.Revoke(*call.actor, call.id); !s.ok())
    return ErrorResponse(s.error());
  http::Response r;
  r.status = 204;
  return r;
}

http::Response Api::RotateKey(Call& call) {
  if (auto denied = Authenticate(call, kKeysWrite)) return *denied;
  service::RotateOptions options;
  if (!call.req.body.empty()) {
    http::Response error;
    auto body = ParseBody(call, error);
    if (!body) return error;
    if (!body->is_object())
      return ErrorResponse(Error::Validation("(body)", "must be a JSON object"));
    // The new key's expiry is read by the key-field parser, so it follows the same
    // rules (RFC 3339 or a duration, in the future) as on create.
    json expiry = json::object();
    std::vector<FieldError> errors;
    for (const auto& [k, v] : body->items()) {
      if (k == "expires_at" || k == "expires_in") {
        expiry[k] = v;
      } else if (k != "grace_seconds") {
        errors.push_back({k, "unknown field"});
      } else if (!v.is_number_integer()) {
        errors.push_back({"grace_seconds", "must be an integer"});
      } else {
        options.grace_seconds = v.get<std::int64_t>();
      }
    }
    if (!errors.empty()) {
      return ErrorResponse(Error{ErrorKind::kValidation, "validation failed", errors});
    }
    if (!expiry.empty()) {
      auto f = ParseKeyFields(expiry, KeyFieldsMode::kPatch, app_.clock().Now(),
                              app_.config().tiers);
      if (!f.ok()) return ErrorResponse(f.error());
      if (f->expires_at && *f->expires_at) options.expires_at = **f->expires_at;
    }
  }
  auto created = keys_.Rotate(*call.actor, call.id, options);
  if (!created.ok()) return ErrorResponse(created.error());
  http::Response resp =
      Created(*created, app_.clock().Now(), app_.policies().table().tiers());
  sodium_memzero(created->secret.data(), created->secret.size());
  return resp;
}

http::Response Api::KeyUsage(Call& call) {
  if (auto denied = Authenticate(call, kKeysRead)) return *denied;
  auto usage = keys_.Usage(*call.actor, call.id);
  if (!usage.ok()) return ErrorResponse(usage.error());
  json items = json::array();
  for (const auto& h : *usage) {
    items.push_back({{"hour", core::FormatRfc3339(h.hour)}, {"counts", h.counts}});
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

}  // namespace keyward::api
