// The route table: every route with the policy the dispatcher enforces for it.
//
// One entry is {method, pattern, access, scopes, handler}. The dispatcher (api.cc)
// matches it, parses the body, authenticates for `scopes` when the route needs a key,
// calls the handler and gives the audit hook the outcome; the transport asks
// `inline_path` whether a request may run on an I/O thread. The table is also what
// the OpenAPI check compares the spec with (tests/docs).
#ifndef KEYWARD_API_ROUTES_H_
#define KEYWARD_API_ROUTES_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/api/handlers.h"

namespace keyward::api {

enum class Access {
  kOpen,     // no key (health, readiness), or the key is the input (/v1/verify, /v1/auth)
  kKey,      // a valid key holding `scopes` (none: any valid key)
  kMetrics,  // kKey when metrics.require_auth is set, else kOpen
};

struct Route {
  // "*": any method on the path and every path below it (forward auth, matched by
  // IsForwardAuthPath on the decoded path); the two "*" entries document that.
  std::string_view method;
  std::string_view pattern;  // "/v1/keys/{id}"
  Access access;
  std::vector<std::string> scopes;
  std::string_view target_type;  // what a refusal's audit event names ("key", ...)
  // Answers from memory, so it runs on the I/O thread; the others may wait on the
  // store and run on the offload pool (http::ServerOptions::offload).
  bool inline_path;
  OpenHandler open = nullptr;  // set for kOpen and kMetrics
  KeyHandler keyed = nullptr;  // set for kKey
};

std::span<const Route> Routes();

// Matches `pattern` against a raw (still encoded) path segment by segment; each
// segment is decoded on its own, so "a%2Frotate" is one segment. `id` receives the
// decoded {id} segment.
bool MatchPattern(std::string_view pattern, std::string_view path, std::string& id);

}  // namespace keyward::api

#endif  // KEYWARD_API_ROUTES_H_
