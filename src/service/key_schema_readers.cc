#include "key_schema_readers.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "keyward/core/cidr.h"
#include "keyward/core/quota.h"
#include "keyward/core/scope.h"
#include "keyward/core/time_util.h"

namespace keyward::service::internal {

using Json = nlohmann::json;

void ReadKind(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
              KeyFields& f) {
  const Json& v = *body.Find(name);
  if (v == "user") {
    f.kind = KeyKind::kUser;
  } else if (v == "org") {
    f.kind = KeyKind::kOrg;
  } else {
    body.Fail(name, "must be \"user\" or \"org\"");
  }
}

void ReadOwner(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
               KeyFields& f) {
  if (body.IsNull(name)) {
    f.owner_user_id = std::optional<std::string>();
  } else if (auto v = body.String(name)) {
    f.owner_user_id = std::optional<std::string>(std::move(*v));
  }
}

void ReadOrgId(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
               KeyFields& f) {
  auto v = body.String(name, "must be an organization id");
  if (v && v->empty()) {
    body.Fail(name, "must be an organization id");
  } else if (v) {
    f.org_id = std::move(*v);
  }
}

namespace {

// expires_in: a duration or a number of seconds from now; null clears on a PATCH.
void ReadExpiresIn(json::ObjectReader& body, const KeyFieldContext& ctx, KeyFields& f) {
  const Json& v = *body.Find("expires_in");
  std::optional<std::int64_t> secs;
  if (v.is_number_integer()) {
    secs = v.get<std::int64_t>();
  } else if (v.is_string()) {
    secs = core::ParseDuration(v.get<std::string>());
  } else if (v.is_null() && ctx.mode == KeyFieldsMode::kPatch) {
    f.expires_at = std::optional<UnixSeconds>();
    return;
  }
  if (auto at = ExpiryAfter(secs, ctx.now)) {
    f.expires_at = std::optional<UnixSeconds>(*at);
  } else {
    body.Fail("expires_in", kExpiresInMessage);
  }
}

}  // namespace

// expires_at (RFC 3339 or null) or its alias expires_in: one member of the key
// object, two ways to write it, never both.
void ReadExpiry(json::ObjectReader& body, std::string_view name,
                const KeyFieldContext& ctx, KeyFields& f) {
  const Json* v = body.Find(name);
  if (v && body.Has("expires_in")) {
    body.Fail("expires_in", "cannot be combined with expires_at");
  } else if (!v) {
    ReadExpiresIn(body, ctx, f);
  } else if (v->is_null()) {
    f.expires_at = std::optional<UnixSeconds>();
  } else if (!v->is_string()) {
    body.Fail(name, "must be an RFC 3339 timestamp or null");
  } else if (auto t = core::ParseRfc3339(v->get<std::string>())) {
    f.expires_at = std::optional<UnixSeconds>(*t);
  } else {
    body.Fail(name, "must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z");
  }
}

void ValidateExpiry(KeyFields& f, std::string_view name, const KeyFieldContext& ctx,
                    json::FieldErrors& errors) {
  if (*f.expires_at && **f.expires_at <= ctx.now) {
    errors.Add(std::string(name), "must be in the future");
  }
}

void ReadRateLimit(json::ObjectReader& body, std::string_view name,
                   const KeyFieldContext&, KeyFields& f) {
  if (body.IsNull(name)) {
    f.rate_limit = std::optional<RateLimit>();
    return;
  }
  json::ObjectReader rl =
      body.Object(name, "must be an object {\"limit\", \"window_seconds\"} or null");
  if (!rl.is_object()) return;
  const std::size_t errors_before = body.errors().size();
  rl.RefuseUnknown({"limit", "window_seconds"});
  constexpr std::int64_t kMax = 1'000'000'000;
  auto limit = rl.Int("limit", 1, kMax, "must be a positive integer");
  auto window = rl.Int("window_seconds", 1, kMax, "must be a positive integer");
  if (body.errors().size() != errors_before) return;
  if (!limit || !window) {
    body.Fail(name, "needs both limit and window_seconds");
    return;
  }
  f.rate_limit = std::optional<RateLimit>(RateLimit{*limit, *window});
}

void ReadTier(json::ObjectReader& body, std::string_view name, const KeyFieldContext& ctx,
              KeyFields& f) {
  if (auto v = body.String(name, TierMessage(*ctx.tiers))) f.tier = std::move(*v);
}

void ValidateTier(KeyFields& f, std::string_view name, const KeyFieldContext& ctx,
                  json::FieldErrors& errors) {
  if (!ctx.tiers->count(*f.tier)) errors.Add(std::string(name), TierMessage(*ctx.tiers));
}

void ReadRemainingUses(json::ObjectReader& body, std::string_view name,
                       const KeyFieldContext&, KeyFields& f) {
  if (body.IsNull(name)) {
    f.remaining_uses = std::optional<std::int64_t>();
  } else if (auto n =
                 body.Int(name, 0, core::kMaxQuota, QuotaCountMessage() + ", or null")) {
    f.remaining_uses = std::optional<std::int64_t>(*n);
  }
}

void ReadRefill(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
                KeyFields& f) {
  if (body.IsNull(name)) {
    f.refill = std::optional<QuotaRefill>();
    return;
  }
  json::ObjectReader r =
      body.Object(name, "must be an object {\"amount\", \"interval\"} or null");
  if (!r.is_object()) return;
  const std::size_t errors_before = body.errors().size();
  r.RefuseUnknown({"amount", "interval"});
  QuotaRefill refill;
  auto amount = r.Int("amount", 0, core::kMaxQuota, QuotaCountMessage());
  if (amount) refill.amount = *amount;
  if (const Json* v = r.Find("interval")) {
    if (*v == "daily") {
      refill.interval = RefillInterval::kDaily;
    } else if (*v == "monthly") {
      refill.interval = RefillInterval::kMonthly;
    } else {
      r.Fail("interval", "must be \"daily\" or \"monthly\"");
    }
  }
  if (body.errors().size() != errors_before) return;
  if (!r.Has("amount")) r.Fail("amount", "is required");
  if (!r.Has("interval")) r.Fail("interval", "is required");
  if (body.errors().size() == errors_before)
    f.refill = std::optional<QuotaRefill>(refill);
}

namespace {

// NUL anywhere in metadata (a name or a string value): PostgreSQL's jsonb refuses
// \u0000, so SQLite must refuse it too.
bool HoldsNul(const Json& v) {
  if (v.is_string())
    return v.get_ref<const std::string&>().find('\0') != std::string::npos;
  if (v.is_array()) return std::any_of(v.begin(), v.end(), HoldsNul);
  if (!v.is_object()) return false;
  for (const auto& [name, member] : v.items()) {
    if (name.find('\0') != std::string::npos || HoldsNul(member)) return true;
  }
  return false;
}

}  // namespace

void ReadMetadata(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
                  KeyFields& f) {
  const Json& v = *body.Find(name);
  if (!v.is_object()) {
    body.Fail(name, "must be a JSON object");
  } else if (std::string dumped = v.dump(); dumped.size() > kMaxMetadataBytes) {
    body.Fail(name, "must be at most 4096 bytes when serialized");
  } else if (HoldsNul(v)) {
    body.Fail(name, "must not contain NUL characters (\\u0000)");
  } else {
    f.metadata_json = std::move(dumped);
  }
}

bool ValidateSet(std::vector<std::string>& list, std::string_view name,
                 json::FieldErrors& errors) {
  if (list.size() > kMaxListEntries) {
    errors.Add(std::string(name),
               "must have at most " + std::to_string(kMaxListEntries) + " entries");
    return false;
  }
  std::vector<std::string> unique;
  unique.reserve(list.size());
  for (std::string& s : list) {
    if (std::find(unique.begin(), unique.end(), s) == unique.end()) {
      unique.push_back(std::move(s));
    }
  }
  list = std::move(unique);
  return true;
}

void ValidateScopes(KeyFields& f, std::string_view name, const KeyFieldContext&,
                    json::FieldErrors& errors) {
  if (!ValidateSet(*f.scopes, name, errors)) return;
  const std::vector<std::string>& list = *f.scopes;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!core::IsValidScope(list[i])) {
      errors.Add(json::IndexPath(name, i),
                 "'" + list[i] + "' is not a scope (resource:action, * allowed)");
    }
  }
}

void ValidateIps(std::vector<std::string>& list, std::string_view name,
                 json::FieldErrors& errors) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (auto cidr = core::Cidr::Parse(list[i])) {
      list[i] = cidr->ToString();  // canonical form, e.g. "10.0.0.0/8"
    } else {
      errors.Add(json::IndexPath(name, i),
                 "'" + list[i] + "' is not a valid IP address or CIDR range");
    }
  }
}

void ValidateTags(KeyFields& f, std::string_view name, const KeyFieldContext&,
                  json::FieldErrors& errors) {
  if (!ValidateSet(*f.tags, name, errors)) return;
  const std::vector<std::string>& list = *f.tags;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (auto err = CheckText(list[i], 1, kMaxTagChars)) {
      errors.Add(json::IndexPath(name, i), *err);
    }
  }
}

}  // namespace keyward::service::internal
