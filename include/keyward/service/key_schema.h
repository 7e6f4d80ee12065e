// The key object's field table: one entry per member of the key object (contract
// section 5), in the order the object lists them. Everything that names a key's
// members derives from it:
//   * the JSON codec: KeyJson (api/encode.h) writes `encode` of every entry, and
//     ParseKeyFields (api/key_fields.h) reads `read` + `validate` of every writable one;
//   * PATCH: ApplyKeyFields copies what `present` says a request set; ChangedFields
//     (the key.update audit event's `fields`) lists those names;
//   * authorization: KeyService asks the `changeable` flags, not member names, which
//     changes need the quota rule or start a new quota epoch (service/authz.h keeps the
//     decisions themselves);
//   * the store: `store_column` names the column whose binding lives in the store's own
//     column table (src/store/key_columns.cc; the store may not include service/). A
//     test round-trips a record through both tables, so an entry added to one and not
//     the other fails (tests/service/key_schema_test.cc).
//
// Adding a member to the key object: a member in KeyRecord (and KeyFields, when
// writable), an entry here, a column in src/store/key_columns.cc and a migration; see
// docs/architecture.md, "Walkthrough: add a field to the key object".
//
// The table is immutable static data; every function here is thread-safe.
#ifndef KEYWARD_SERVICE_KEY_SCHEMA_H_
#define KEYWARD_SERVICE_KEY_SCHEMA_H_

#include <map>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "keyward/core/key_runtime.h"
#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/key_fields.h"

namespace keyward::json {
class FieldErrors;
class ObjectReader;
}  // namespace keyward::json

namespace keyward::service {

enum class KeyFieldsMode { kCreate, kPatch };

// Who may set a member, and when.
enum class Access {
  kReadOnly,    // the server sets it; a request naming it is refused as unknown
  kCreateOnly,  // POST only; PATCH answers "cannot be changed"
  kReadWrite,   // POST and PATCH
};

// What a change of the member means for authorization.
enum class Changeable {
  kFreely,       // bounded only by the key's visibility and ownership
  kWithinGrant,  // a grant: authz::CheckKeyGrant bounds it (the scopes)
  kQuota,        // a quota control: loosening needs a human admin (CheckQuotaChange)
  kQuotaCount,   // kQuota, and setting it starts a new quota epoch (the live count)
};

// What reading and validating a request needs besides the body.
struct KeyFieldContext {
  KeyFieldsMode mode = KeyFieldsMode::kCreate;
  UnixSeconds now = 0;                            // expires_in, "in the future"
  const std::map<std::string, RateLimit>* tiers;  // configured tier names
};

// What writing the key object needs besides the record.
struct KeyJsonContext {
  UnixSeconds now;           // the status
  const core::Tiers& tiers;  // the rate limit in force
};

struct KeyFieldSpec {
  std::string_view name;  // the JSON member (and the audit `fields` name)
  Access access;
  Changeable changeable;
  bool required_on_create;
  std::string_view store_column;  // "" when computed (status)
  // Another request member that sets this one ("expires_in" for expires_at); the
  // reader sees the body whenever either is present.
  std::string_view alias;

  // The member's JSON value in the key object.
  nlohmann::json (*encode)(const KeyRecord& key, const KeyJsonContext& ctx);
  // Writable members only (null otherwise): shape and type of the request member
  // `name` into `fields` (errors go to the reader); then, when that set the member,
  // the domain rules, which may canonicalize the value (IP ranges).
  void (*read)(json::ObjectReader& body, std::string_view name,
               const KeyFieldContext& ctx, KeyFields& fields);
  void (*validate)(KeyFields& fields, std::string_view name, const KeyFieldContext& ctx,
                   json::FieldErrors& errors);
  bool (*present)(const KeyFields& fields);
  void (*apply)(const KeyFields& fields, KeyRecord& key);
  // Same member value in both records (null for computed members).
  bool (*same)(const KeyRecord& a, const KeyRecord& b);
};

// Every member of the key object, in the contract's order.
std::span<const KeyFieldSpec> KeyFieldSpecs();

// Reads every writable member of `body` (an object) into `fields`, reporting each
// problem to `body`'s error list: unknown members, members of the wrong type, create-
// only members on a PATCH, a missing required member, and the domain rules.
void ReadKeyFields(json::ObjectReader& body, const KeyFieldContext& ctx,
                   KeyFields& fields);

// ReadKeyFields for the one writable member `name` (or its alias), when the body has
// it; unknown members are not checked.
void ReadKeyField(json::ObjectReader& body, std::string_view name,
                  const KeyFieldContext& ctx, KeyFields& fields);

// The domain rules alone, for callers that fill KeyFields without JSON (the CLI).
// kValidation naming every problem.
Status ValidateKeyFields(KeyFields& fields, const KeyFieldContext& ctx);

// The names of the members a PATCH set, comma-separated, in table order.
std::string ChangedFields(const KeyFields& fields);

// True when `fields` set a member with the given flag.
bool SetsAny(const KeyFields& fields, Changeable changeable);

// "revoked", "expired", "disabled" or "active", in the verifier's order.
std::string_view KeyStatus(const KeyRecord& key, UnixSeconds now);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_KEY_SCHEMA_H_
