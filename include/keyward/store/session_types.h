// SessionRecord: one signed-in web console browser (migrations/0005), as stored.
//
// `id` is the hex BLAKE2b-256 of the cookie's token, never the token itself.
#ifndef KEYWARD_STORE_SESSION_TYPES_H_
#define KEYWARD_STORE_SESSION_TYPES_H_

#include <string>

#include "keyward/core/records.h"

namespace keyward::store {

struct SessionRecord {
  std::string id;
  std::string user_id;
  std::string csrf_token;
  UnixSeconds created_at = 0;
  UnixSeconds last_seen_at = 0;
  std::string ip;
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_SESSION_TYPES_H_
