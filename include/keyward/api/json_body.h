// The one bounded JSON parser every request body goes through before any handler
// sees it (contract section 5). The one short cut: a POST /v1/verify body of the
// common shape is read by ScanVerifyBody (verify_body.h) instead, only when this
// parser would have accepted it and read the same fields.
//
// nlohmann's parser is iterative, but dump(), comparison and some of our own walks
// recurse once per nesting level, so a body nested 100 000 deep must never become a
// DOM. ParseJsonBody first measures the nesting depth with a linear scan that stops
// at the limit, and only then builds the DOM.
// Pure functions; thread-safe.
#ifndef KEYWARD_API_JSON_BODY_H_
#define KEYWARD_API_JSON_BODY_H_

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace keyward::api {

inline constexpr int kMaxJsonDepth = 32;

enum class JsonBodyError {
  kNone,
  kEmpty,     // no body at all
  kTooDeep,   // arrays/objects nested deeper than the limit (422)
  kMalformed  // not JSON (400)
};

// Depth of the deepest array or object in `text` (0 for a scalar), counting only
// brackets outside strings; stops counting past `limit` and returns limit + 1.
// Malformed input gives some number; the parse that follows rejects it.
int JsonNestingDepth(std::string_view text, int limit);

// Parses `text` into `out` when it is JSON nested at most `max_depth` deep, with no
// NUL byte and no object naming a member twice (both kMalformed).
JsonBodyError ParseJsonBody(std::string_view text, nlohmann::json& out,
                            int max_depth = kMaxJsonDepth);

}  // namespace keyward::api

#endif  // KEYWARD_API_JSON_BODY_H_
