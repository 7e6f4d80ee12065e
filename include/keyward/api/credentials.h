// Finding the API key a request presents (contract section 3).
//
// Precedence: Authorization: Bearer (scheme case-insensitive), then X-API-Key, then
// — only when allowed — the query parameters api_key / rest_api_key. Two different
// keys in one request are a conflict (400), never "pick one". Pure; thread-safe.
#ifndef KEYWARD_API_CREDENTIALS_H_
#define KEYWARD_API_CREDENTIALS_H_

#include <string_view>

#include "keyward/api/target.h"
#include "keyward/http/message.h"

namespace keyward::api {

struct Credential {
  // The key where it lies in the request (a header value or a decoded query
  // value): no copy of the secret is made, so there is none to wipe. Valid as long
  // as the request and target given to ExtractCredential.
  std::string_view key;
  bool present = false;
  bool conflict = false;    // two different keys were presented
  bool from_query = false;  // the winning key came from the query string
};

// `req` and `target` must outlive `out`, which views into them.
void ExtractCredential(const http::Request& req, const Target& target, bool allow_query,
                       Credential& out);

}  // namespace keyward::api

#endif  // KEYWARD_API_CREDENTIALS_H_
