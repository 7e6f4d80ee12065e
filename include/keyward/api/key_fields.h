// KeyFields: the parsed, validated body of POST /v1/keys and PATCH /v1/keys/{id}.
//
// Parsing is strict: an unknown member or a member of the wrong type is a 422 that
// names it, because a typo must never silently drop a restriction. Every problem
// found is reported, not only the first. Pure functions; thread-safe.
#ifndef KEYWARD_API_KEY_FIELDS_H_
#define KEYWARD_API_KEY_FIELDS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/key_fields.h"

namespace keyward::api {

using service::KeyFields;

enum class KeyFieldsMode { kCreate, kPatch };

// Parses and validates a request body. `tiers` are the configured tier names.
// `now` turns expires_in into expires_at and refuses past expiries.
Result<KeyFields> ParseKeyFields(const nlohmann::json& body, KeyFieldsMode mode,
                                 UnixSeconds now,
                                 const std::map<std::string, RateLimit>& tiers);

// Shared text rules: 1–max characters, no control characters (C0, DEL, C1).
// Returns an error message, or nullopt when `text` is acceptable.
std::optional<std::string> CheckText(const std::string& text, size_t min_chars,
                                     size_t max_chars);

}  // namespace keyward::api

#endif  // KEYWARD_API_KEY_FIELDS_H_
