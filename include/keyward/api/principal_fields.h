// Parsing of the bodies of POST/PATCH /v1/orgs and /v1/users (contract section 5).
//
// Strict like key bodies: an unknown member or a member of the wrong type is a 422
// naming it; every problem is reported, not only the first. Read-only members (id,
// created_at, updated_at) are refused like unknown ones. Pure functions; thread-safe.
#ifndef KEYWARD_API_PRINCIPAL_FIELDS_H_
#define KEYWARD_API_PRINCIPAL_FIELDS_H_

#include <nlohmann/json_fwd.hpp>

#include "keyward/core/result.h"
#include "keyward/service/principal_fields.h"

namespace keyward::api {

enum class PrincipalFieldsMode { kCreate, kPatch };

// name (1–100 characters, no control characters; required on create), enabled,
// api_keys_enabled.
Result<service::OrgFields> ParseOrgFields(const nlohmann::json& body,
                                          PrincipalFieldsMode mode);

// username (1–100 of A-Z a-z 0-9 . _ - @ +; required on create), org_id (create
// only), role, permissions (scope patterns), enabled, api_keys_enabled.
Result<service::UserFields> ParseUserFields(const nlohmann::json& body,
                                            PrincipalFieldsMode mode);

}  // namespace keyward::api

#endif  // KEYWARD_API_PRINCIPAL_FIELDS_H_
