// GET /v1/audit: the audit trail, newest first, filtered and paged.
#include <nlohmann/json.hpp>

#include "keyward/api/encode.h"
#include "keyward/api/handlers.h"
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

const std::vector<std::string> kAuditRead = {"audit:read"};

json OptionalString(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

json AuditJson(const store::AuditRecord& r) {
  json details = json::parse(r.details_json, nullptr, /*allow_exceptions=*/false);
  if (!details.is_object()) details = json::object();
  return {{"id", std::to_string(r.id)},
          {"at", core::FormatRfc3339(r.at)},
          {"actor_user_id", OptionalString(r.actor_user_id)},
          {"actor_key_id", OptionalString(r.actor_key_id)},
          {"action", r.action},
          {"target_type", r.target_type},
          {"target_id", r.target_id},
          {"ip", r.ip},
          {"outcome", r.outcome},
          {"details", std::move(details)}};
}

// Reads an RFC 3339 query parameter; kValidation naming it when it does not parse.
Status ParseTime(const Target& t, const char* name, std::optional<UnixSeconds>& out) {
  auto v = t.Query(name);
  if (!v) return OkStatus();
  out = core::ParseRfc3339(*v);
  if (!out) return Error::Validation(name, "must be an RFC 3339 date-time");
  return OkStatus();
}

}  // namespace

Reply ListAudit(Call& call, const service::Actor& who, Services& s) {
  const Target& t = call.target;
  if (auto s = RefuseUnknownQuery(
          t, {"action", "actor_user_id", "target_id", "since", "until"});
      !s.ok()) {
    return ErrorResponse(s.error());
  }
  store::AuditFilter filter;
  filter.action = t.Query("action");
  filter.actor_user_id = t.Query("actor_user_id");
  filter.target_id = t.Query("target_id");
  for (auto [name, out] : {std::pair{"since", &filter.since}, {"until", &filter.until}}) {
    RETURN_IF_ERROR(ParseTime(t, name, *out));
  }
  std::int64_t before = 0;
  RETURN_IF_ERROR(ParsePaging(t, filter.limit, before));
  // Newest first: the cursor is the id the next page starts below.
  if (before > 0) filter.before_id = before;
  auto page = s.audit_query.List(who, filter);
  RETURN_IF_ERROR(page);
  json items = json::array();
  for (const auto& r : page->items) items.push_back(AuditJson(r));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

}  // namespace keyward::api
