#include "keyward/api/encode.h"

#include "keyward/core/time_util.h"
#include "keyward/service/key_schema.h"

namespace keyward::api {
using nlohmann::json;

std::string_view KeyStatus(const KeyRecord& key, UnixSeconds now) {
  return service::KeyStatus(key, now);
}

// One member per entry of the key field table. nlohmann's object keeps its members
// sorted, so the output does not depend on the table's order.
json KeyJson(const KeyRecord& k, UnixSeconds now, const core::Tiers& tiers) {
  const service::KeyJsonContext ctx{now, tiers};
  json out = json::object();
  for (const service::KeyFieldSpec& spec : service::KeyFieldSpecs()) {
    out[std::string(spec.name)] = spec.encode(k, ctx);
  }
  return out;
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
