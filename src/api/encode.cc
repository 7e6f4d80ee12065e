#include "keyward/api/encode.h"

#include "keyward/core/time_util.h"

namespace keyward::api {
namespace {

using nlohmann::json;

json OptTime(const std::optional<UnixSeconds>& t) {
  return t ? json(core::FormatRfc3339(*t)) : json(nullptr);
}

json OptString(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

}  // namespace

std::string_view KeyStatus(const KeyRecord& key, UnixSeconds now) {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && *key.expires_at <= now) return "expired";
  if (!key.enabled) return "disabled";
  return "active";
}

json KeyJson(const KeyRecord& k, UnixSeconds now, const core::Tiers& tiers) {
  json metadata = json::parse(k.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object()) metadata = json::object();
  const RateLimit in_force = tiers.Resolve(k);
  json rate_limit = {{"limit", in_force.limit},
                     {"window_seconds", in_force.window_seconds}};
  return json{
      {"id", k.id},
      {"prefix", k.display_prefix},
      {"name", k.name},
      {"description", k.description},
      {"kind", KindName(k.kind)},
      {"owner_user_id", OptString(k.owner_user_id)},
      {"org_id", k.org_id},
      {"scopes", k.scopes},
      {"read_only", k.read_only},
      {"enabled", k.enabled},
      {"status", KeyStatus(k, now)},
      {"expires_at", OptTime(k.expires_at)},
      {"ip_allow", k.ip_allow},
      {"ip_deny", k.ip_deny},
      {"rate_limit", rate_limit},
      {"tier", k.tier},
      {"remaining_uses", k.remaining_uses ? json(*k.remaining_uses) : json(nullptr)},
      {"refill",
       k.refill
           ? json{{"amount", k.refill->amount},
                  {"interval",
                   k.refill->interval == RefillInterval::kMonthly ? "monthly" : "daily"}}
           : json(nullptr)},
      {"tags", k.tags},
      {"metadata", metadata},
      {"created_at", core::FormatRfc3339(k.created_at)},
      {"created_by", k.created_by},
      {"updated_at", core::FormatRfc3339(k.updated_at)},
      {"last_used_at", OptTime(k.last_used_at)},
      {"last_used_ip", OptString(k.last_used_ip)},
      {"revoked_at", OptTime(k.revoked_at)},
      {"rotated_to", OptString(k.rotated_to)},
  };
}

json UserJson(const UserRecord& u) {
  return json{{"id", u.id},
              {"username", u.username},
              {"org_id", u.org_id},
              {"role", RoleName(u.role)},
              {"permissions", u.permissions},
              {"enabled", u.enabled},
              {"api_keys_enabled", u.api_keys_enabled},
              {"created_at", core::FormatRfc3339(u.created_at)},
              {"updated_at", core::FormatRfc3339(u.updated_at)}};
}

json OrgJson(const OrgRecord& o) {
  return json{{"id", o.id},
              {"name", o.name},
              {"enabled", o.enabled},
              {"api_keys_enabled", o.api_keys_enabled},
              {"created_at", core::FormatRfc3339(o.created_at)},
              {"updated_at", core::FormatRfc3339(o.updated_at)}};
}

}  // namespace keyward::api
