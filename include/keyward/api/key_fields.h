// KeyFields: the parsed, validated body of POST /v1/keys and PATCH /v1/keys/{id};
// RotateOptions: the body of POST /v1/keys/{id}/rotate.
//
// Parsing is strict: an unknown member or a member of the wrong type is a 422 that
// names it, because a typo must never silently drop a restriction. Every problem
// found is reported, not only the first. The members and their rules come from the
// key field table (service/key_schema.h); the reading from json/object_reader.h.
// Pure functions; thread-safe.
#ifndef KEYWARD_API_KEY_FIELDS_H_
#define KEYWARD_API_KEY_FIELDS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "keyward/core/key_runtime.h"
#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/key_fields.h"
#include "keyward/service/key_rules.h"
#include "keyward/service/key_schema.h"
#include "keyward/service/key_service.h"

namespace keyward::api {

using service::CheckText;
using service::KeyFields;
using service::KeyFieldsMode;

// Parses and validates a request body. `tiers` are the configured tier names.
// `now` turns expires_in into expires_at and refuses past expiries.
Result<KeyFields> ParseKeyFields(const nlohmann::json& body, KeyFieldsMode mode,
                                 UnixSeconds now,
                                 const std::map<std::string, RateLimit>& tiers);

// Parses a rotate body: grace_seconds (an integer; its range is KeyService's rule)
// and the new key's expires_at or expires_in, read by the same rules as on create.
// Every problem is reported.
Result<service::RotateOptions> ParseRotateOptions(const nlohmann::json& body,
                                                  UnixSeconds now,
                                                  const core::Tiers& tiers);

}  // namespace keyward::api

#endif  // KEYWARD_API_KEY_FIELDS_H_
