// Paging and query-string rules shared by the list endpoints (/v1/keys, /v1/users,
// /v1/orgs): `limit` (default 50, 1–500) and the opaque `cursor`. Pure; thread-safe.
#ifndef KEYWARD_API_PAGING_H_
#define KEYWARD_API_PAGING_H_

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "keyward/api/target.h"
#include "keyward/core/result.h"

namespace keyward::api {

inline constexpr int kDefaultPageLimit = 50;
inline constexpr int kMaxPageLimit = 500;

// Reads limit and cursor; kValidation naming the parameter when either is bad.
Status ParsePaging(const Target& target, int& limit, std::int64_t& after);

// kValidation naming the first query parameter that is neither in `known` nor one
// every endpoint accepts (limit, cursor, and the api_key / rest_api_key
// credentials): a misspelt filter must not silently widen a result.
Status RefuseUnknownQuery(const Target& target,
                          std::initializer_list<std::string_view> known);

}  // namespace keyward::api

#endif  // KEYWARD_API_PAGING_H_
