#include "keyward/api/key_fields.h"

#include <nlohmann/json.hpp>

#include <limits>

#include "keyward/json/object_reader.h"

namespace keyward::api {

Result<KeyFields> ParseKeyFields(const nlohmann::json& body, KeyFieldsMode mode,
                                 UnixSeconds now,
                                 const std::map<std::string, RateLimit>& tiers) {
  json::FieldErrors errors;
  json::ObjectReader reader(body, "", errors);
  if (!reader.IsObject("(body)", "must be a JSON object")) return errors.ToError();
  KeyFields fields;
  service::ReadKeyFields(reader, {mode, now, &tiers}, fields);
  if (!errors.empty()) return errors.ToError();
  return fields;
}

Result<service::RotateOptions> ParseRotateOptions(const nlohmann::json& body,
                                                  UnixSeconds now,
                                                  const core::Tiers& tiers) {
  json::FieldErrors errors;
  json::ObjectReader reader(body, "", errors);
  if (!reader.IsObject("(body)", "must be a JSON object")) return errors.ToError();
  reader.RefuseUnknown({"grace_seconds", "expires_at", "expires_in"});
  service::RotateOptions options;
  if (auto grace =
          reader.Int("grace_seconds", std::numeric_limits<std::int64_t>::min(),
                     std::numeric_limits<std::int64_t>::max(), "must be an integer")) {
    options.grace_seconds = *grace;
  }
  // The new key's expiry follows the rules of a PATCH of expires_at/expires_in (RFC
  // 3339 or a duration, in the future): the key field table's own entry reads it.
  KeyFields expiry;
  service::ReadKeyField(reader, "expires_at",
                        {KeyFieldsMode::kPatch, now, &tiers.by_name}, expiry);
  if (expiry.expires_at && *expiry.expires_at) options.expires_at = **expiry.expires_at;
  if (!errors.empty()) return errors.ToError();
  return options;
}

}  // namespace keyward::api
