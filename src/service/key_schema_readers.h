// Private to service/: the readers (request member -> KeyFields, shape and type) and
// validators (domain rules) the key field table (key_schema.cc) points at. Generic
// ones are templates over the KeyFields member; the rest are per member.
#ifndef KEYWARD_SRC_SERVICE_KEY_SCHEMA_READERS_H_
#define KEYWARD_SRC_SERVICE_KEY_SCHEMA_READERS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "keyward/json/object_reader.h"
#include "keyward/service/key_rules.h"
#include "keyward/service/key_schema.h"

namespace keyward::service::internal {

template <auto kField>
bool Present(const KeyFields& f) {
  return (f.*kField).has_value();
}

template <auto kField>
void ReadString(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
                KeyFields& f) {
  if (auto v = body.String(name)) f.*kField = std::move(*v);
}

// A text member where null means "".
template <auto kField>
void ReadNullableText(json::ObjectReader& body, std::string_view name,
                      const KeyFieldContext&, KeyFields& f) {
  if (body.IsNull(name)) {
    f.*kField = "";
  } else if (auto v = body.String(name)) {
    f.*kField = std::move(*v);
  }
}

template <auto kField>
void ReadBool(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
              KeyFields& f) {
  if (auto v = body.Bool(name)) f.*kField = *v;
}

// Scopes, IP lists and tags: arrays of strings (the set rules are ValidateSet's).
template <auto kField>
void ReadSet(json::ObjectReader& body, std::string_view name, const KeyFieldContext&,
             KeyFields& f) {
  if (auto v = body.StringList(name)) f.*kField = std::move(*v);
}

// At most kMaxListEntries, and each entry once (the first is kept): scopes, IP lists
// and tags are sets. False (reported) when the list is too long.
bool ValidateSet(std::vector<std::string>& list, std::string_view name,
                 json::FieldErrors& errors);

template <auto kField, std::size_t kMin, std::size_t kMax>
void ValidateText(KeyFields& f, std::string_view name, const KeyFieldContext&,
                  json::FieldErrors& errors) {
  if (auto err = CheckText(*(f.*kField), kMin, kMax)) {
    errors.Add(std::string(name), *err);
  }
}

// Each entry an IP address or CIDR range, rewritten to its canonical form.
void ValidateIps(std::vector<std::string>& list, std::string_view name,
                 json::FieldErrors& errors);
template <auto kField>
void ValidateIpList(KeyFields& f, std::string_view name, const KeyFieldContext&,
                    json::FieldErrors& errors) {
  if (ValidateSet(*(f.*kField), name, errors)) ValidateIps(*(f.*kField), name, errors);
}

using Reader = void(json::ObjectReader&, std::string_view, const KeyFieldContext&,
                    KeyFields&);
using Validator = void(KeyFields&, std::string_view, const KeyFieldContext&,
                       json::FieldErrors&);

Reader ReadKind, ReadOwner, ReadOrgId, ReadExpiry, ReadRateLimit, ReadTier,
    ReadRemainingUses, ReadRefill, ReadMetadata;
Validator ValidateScopes, ValidateExpiry, ValidateTier, ValidateTags;

}  // namespace keyward::service::internal

#endif  // KEYWARD_SRC_SERVICE_KEY_SCHEMA_READERS_H_
