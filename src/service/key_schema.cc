// The key field table and the generic walks over it. The per-member readers of the
// members with structure of their own (expiry, rate limit, refill) are in
// key_schema_readers.cc; the domain rules in key_rules.cc.
#include "keyward/service/key_schema.h"

#include <nlohmann/json.hpp>

#include "key_schema_readers.h"
#include "keyward/core/time_util.h"
#include "keyward/json/object_reader.h"

namespace keyward::service {
namespace {

using Json = nlohmann::json;
using internal::Present;

// ---- Generic pieces, one per shape of member. ----

template <auto kField, auto kMember>
void Apply(const KeyFields& f, KeyRecord& key) {
  if (f.*kField) key.*kMember = *(f.*kField);
}

template <auto kMember>
bool Same(const KeyRecord& a, const KeyRecord& b) {
  return a.*kMember == b.*kMember;
}

template <auto kMember>
Json Plain(const KeyRecord& k, const KeyJsonContext&) {
  return Json(k.*kMember);
}

template <auto kMember>
Json Nullable(const KeyRecord& k, const KeyJsonContext&) {
  return k.*kMember ? Json(*(k.*kMember)) : Json(nullptr);
}

template <auto kMember>
Json Time(const KeyRecord& k, const KeyJsonContext&) {
  return Json(core::FormatRfc3339(k.*kMember));
}

template <auto kMember>
Json NullableTime(const KeyRecord& k, const KeyJsonContext&) {
  return k.*kMember ? Json(core::FormatRfc3339(*(k.*kMember))) : Json(nullptr);
}

Json EncodeKind(const KeyRecord& k, const KeyJsonContext&) { return KindName(k.kind); }

Json EncodeStatus(const KeyRecord& k, const KeyJsonContext& ctx) {
  return KeyStatus(k, ctx.now);
}

// The limit in force (the key's own, else its tier's), not only an explicit one.
Json EncodeRateLimit(const KeyRecord& k, const KeyJsonContext& ctx) {
  const RateLimit in_force = ctx.tiers.Resolve(k);
  return Json{{"limit", in_force.limit}, {"window_seconds", in_force.window_seconds}};
}

Json EncodeRefill(const KeyRecord& k, const KeyJsonContext&) {
  if (!k.refill) return Json(nullptr);
  return Json{
      {"amount", k.refill->amount},
      {"interval", k.refill->interval == RefillInterval::kMonthly ? "monthly" : "daily"}};
}

Json EncodeMetadata(const KeyRecord& k, const KeyJsonContext&) {
  Json metadata = Json::parse(k.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object()) metadata = Json::object();
  return metadata;
}

// ---- The table. ----

using A = Access;
using C = Changeable;
using R = KeyRecord;
using F = KeyFields;
namespace rd = internal;

// A member only the server sets.
constexpr KeyFieldSpec ReadOnly(std::string_view name, std::string_view column,
                                Json (*encode)(const R&, const KeyJsonContext&),
                                bool (*same)(const R&, const R&)) {
  return {name,   A::kReadOnly, C::kFreely, false,   column,  "",
          encode, nullptr,      nullptr,    nullptr, nullptr, same};
}

constexpr KeyFieldSpec kKeyFields[] = {
    ReadOnly("id", "id", Plain<&R::id>, Same<&R::id>),
    ReadOnly("prefix", "display_prefix", Plain<&R::display_prefix>,
             Same<&R::display_prefix>),
    {"name", A::kReadWrite, C::kFreely, true, "name", "", Plain<&R::name>,
     rd::ReadString<&F::name>, rd::ValidateText<&F::name, 1, 100>, Present<&F::name>,
     Apply<&F::name, &R::name>, Same<&R::name>},
    {"description", A::kReadWrite, C::kFreely, false, "description", "",
     Plain<&R::description>, rd::ReadNullableText<&F::description>,
     rd::ValidateText<&F::description, 0, 1000>, Present<&F::description>,
     Apply<&F::description, &R::description>, Same<&R::description>},
    {"kind", A::kCreateOnly, C::kFreely, false, "kind", "", EncodeKind, rd::ReadKind,
     nullptr, Present<&F::kind>, Apply<&F::kind, &R::kind>, Same<&R::kind>},
    {"owner_user_id", A::kCreateOnly, C::kFreely, false, "owner_user_id", "",
     Nullable<&R::owner_user_id>, rd::ReadOwner, nullptr, Present<&F::owner_user_id>,
     Apply<&F::owner_user_id, &R::owner_user_id>, Same<&R::owner_user_id>},
    {"org_id", A::kCreateOnly, C::kFreely, false, "org_id", "", Plain<&R::org_id>,
     rd::ReadOrgId, nullptr, Present<&F::org_id>, Apply<&F::org_id, &R::org_id>,
     Same<&R::org_id>},
    {"scopes", A::kReadWrite, C::kWithinGrant, false, "scopes", "", Plain<&R::scopes>,
     rd::ReadSet<&F::scopes>, rd::ValidateScopes, Present<&F::scopes>,
     Apply<&F::scopes, &R::scopes>, Same<&R::scopes>},
    {"read_only", A::kReadWrite, C::kFreely, false, "read_only", "", Plain<&R::read_only>,
     rd::ReadBool<&F::read_only>, nullptr, Present<&F::read_only>,
     Apply<&F::read_only, &R::read_only>, Same<&R::read_only>},
    {"enabled", A::kReadWrite, C::kFreely, false, "enabled", "", Plain<&R::enabled>,
     rd::ReadBool<&F::enabled>, nullptr, Present<&F::enabled>,
     Apply<&F::enabled, &R::enabled>, Same<&R::enabled>},
    {"status", A::kReadOnly, C::kFreely, false, "", "", EncodeStatus, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"expires_at", A::kReadWrite, C::kFreely, false, "expires_at", "expires_in",
     NullableTime<&R::expires_at>, rd::ReadExpiry, rd::ValidateExpiry,
     Present<&F::expires_at>, Apply<&F::expires_at, &R::expires_at>,
     Same<&R::expires_at>},
    {"ip_allow", A::kReadWrite, C::kFreely, false, "ip_allow", "", Plain<&R::ip_allow>,
     rd::ReadSet<&F::ip_allow>, rd::ValidateIpList<&F::ip_allow>, Present<&F::ip_allow>,
     Apply<&F::ip_allow, &R::ip_allow>, Same<&R::ip_allow>},
    {"ip_deny", A::kReadWrite, C::kFreely, false, "ip_deny", "", Plain<&R::ip_deny>,
     rd::ReadSet<&F::ip_deny>, rd::ValidateIpList<&F::ip_deny>, Present<&F::ip_deny>,
     Apply<&F::ip_deny, &R::ip_deny>, Same<&R::ip_deny>},
    {"rate_limit", A::kReadWrite, C::kQuota, false, "rate_limit", "", EncodeRateLimit,
     rd::ReadRateLimit, nullptr, Present<&F::rate_limit>,
     Apply<&F::rate_limit, &R::rate_limit>, Same<&R::rate_limit>},
    {"tier", A::kReadWrite, C::kQuota, false, "tier", "", Plain<&R::tier>, rd::ReadTier,
     rd::ValidateTier, Present<&F::tier>, Apply<&F::tier, &R::tier>, Same<&R::tier>},
    {"remaining_uses", A::kReadWrite, C::kQuotaCount, false, "remaining_uses", "",
     Nullable<&R::remaining_uses>, rd::ReadRemainingUses, nullptr,
     Present<&F::remaining_uses>, Apply<&F::remaining_uses, &R::remaining_uses>,
     Same<&R::remaining_uses>},
    {"refill", A::kReadWrite, C::kQuotaCount, false, "refill_amount", "", EncodeRefill,
     rd::ReadRefill, nullptr, Present<&F::refill>, Apply<&F::refill, &R::refill>,
     Same<&R::refill>},
    {"tags", A::kReadWrite, C::kFreely, false, "tags", "", Plain<&R::tags>,
     rd::ReadSet<&F::tags>, rd::ValidateTags, Present<&F::tags>,
     Apply<&F::tags, &R::tags>, Same<&R::tags>},
    {"metadata", A::kReadWrite, C::kFreely, false, "metadata", "", EncodeMetadata,
     rd::ReadMetadata, nullptr, Present<&F::metadata_json>,
     Apply<&F::metadata_json, &R::metadata_json>, Same<&R::metadata_json>},
    ReadOnly("created_at", "created_at", Time<&R::created_at>, Same<&R::created_at>),
    ReadOnly("created_by", "created_by", Plain<&R::created_by>, Same<&R::created_by>),
    ReadOnly("updated_at", "updated_at", Time<&R::updated_at>, Same<&R::updated_at>),
    ReadOnly("last_used_at", "last_used_at", NullableTime<&R::last_used_at>,
             Same<&R::last_used_at>),
    ReadOnly("last_used_ip", "last_used_ip", Nullable<&R::last_used_ip>,
             Same<&R::last_used_ip>),
    ReadOnly("revoked_at", "revoked_at", NullableTime<&R::revoked_at>,
             Same<&R::revoked_at>),
    ReadOnly("rotated_to", "rotated_to", Nullable<&R::rotated_to>, Same<&R::rotated_to>),
};

bool Matches(Changeable have, Changeable want) {
  return have == want || (want == Changeable::kQuota && have == Changeable::kQuotaCount);
}

}  // namespace

std::span<const KeyFieldSpec> KeyFieldSpecs() { return kKeyFields; }

namespace {

void ReadOne(json::ObjectReader& body, const KeyFieldSpec& spec,
             const KeyFieldContext& ctx, KeyFields& f) {
  const bool create = ctx.mode == KeyFieldsMode::kCreate;
  if (!body.Has(spec.name) && (spec.alias.empty() || !body.Has(spec.alias))) {
    if (create && spec.required_on_create) body.Fail(spec.name, "is required");
    return;
  }
  if (!create && spec.access == Access::kCreateOnly) {
    body.Fail(spec.name, "cannot be changed; create a new key instead");
    return;
  }
  spec.read(body, spec.name, ctx, f);
  if (spec.validate && spec.present(f)) spec.validate(f, spec.name, ctx, body.errors());
}

}  // namespace

void ReadKeyFields(json::ObjectReader& body, const KeyFieldContext& ctx, KeyFields& f) {
  std::vector<std::string_view> known;
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.access == Access::kReadOnly) continue;
    known.push_back(spec.name);
    if (!spec.alias.empty()) known.push_back(spec.alias);
  }
  body.RefuseUnknown(known);
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.access != Access::kReadOnly) ReadOne(body, spec, ctx, f);
  }
}

void ReadKeyField(json::ObjectReader& body, std::string_view name,
                  const KeyFieldContext& ctx, KeyFields& f) {
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.name == name && spec.access != Access::kReadOnly)
      ReadOne(body, spec, ctx, f);
  }
}

Status ValidateKeyFields(KeyFields& f, const KeyFieldContext& ctx) {
  json::FieldErrors errors;
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.access == Access::kReadOnly) continue;
    if (!spec.present(f)) {
      if (ctx.mode == KeyFieldsMode::kCreate && spec.required_on_create) {
        errors.Add(std::string(spec.name), "is required");
      }
      continue;
    }
    if (spec.validate) spec.validate(f, spec.name, ctx, errors);
  }
  return errors.ToStatus();
}

std::string ChangedFields(const KeyFields& f) {
  std::string names;
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.access != Access::kReadWrite || !spec.present(f)) continue;
    if (!names.empty()) names += ",";
    names += spec.name;
  }
  return names;
}

bool SetsAny(const KeyFields& f, Changeable changeable) {
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.present && Matches(spec.changeable, changeable) && spec.present(f)) {
      return true;
    }
  }
  return false;
}

bool SetsQuota(const KeyFields& f) { return SetsAny(f, Changeable::kQuotaCount); }

void ApplyKeyFields(const KeyFields& f, KeyRecord& key) {
  // Owner, kind and org are KeyService::Create's to decide (ownership rules).
  for (const KeyFieldSpec& spec : kKeyFields) {
    if (spec.access == Access::kReadWrite) spec.apply(f, key);
  }
}

std::string_view KeyStatus(const KeyRecord& key, UnixSeconds now) {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && *key.expires_at <= now) return "expired";
  if (!key.enabled) return "disabled";
  return "active";
}

}  // namespace keyward::service
