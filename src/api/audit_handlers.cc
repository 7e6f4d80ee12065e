// GET /v1/audit: the audit trail, newest first, filtered and paged.
#include <nlohmann/json.hpp>

#include "keyward/api/api.h"
#include "keyward/api/encode.h"
#include "keyward/api/paging.h"
#include "keyward/api/problem.h"
#include "keyward/core/time_util.h"

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

http::Response Api::ListAudit(Call& call) {
  if (auto denied = Authenticate(call, kAuditRead)) return *denied;
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
    if (auto s = ParseTime(t, name, *out); !s.ok()) return ErrorResponse(s.error());
  }
  std::int64_t before = 0;
  if (auto s = ParsePaging(t, filter.limit, before); !s.ok()) {
    return ErrorResponse(s.error());
  }
  // Newest first: the cursor is the id the next page starts below.
  if (before > 0) filter.before_id = before;
  auto page = audit_query_.List(*call.actor, filter);
  if (!page.ok()) return ErrorResponse(page.error());
  json items = json::array();
  for (const auto& r : page->items) items.push_back(AuditJson(r));
  json next = page->next_after ? json(EncodeCursor(*page->next_after)) : json(nullptr);
  return JsonResponse(200,
                      {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

}  // namespace keyward::api
