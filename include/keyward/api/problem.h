// Problem responses (RFC 9457 application/problem+json) and JSON responses.
//
// This is the one place where an ErrorKind becomes an HTTP status, so every module
// reports failures the same way. Details of internal errors are logged, never sent.
#ifndef KEYWARD_API_PROBLEM_H_
#define KEYWARD_API_PROBLEM_H_

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyward/core/result.h"
#include "keyward/http/message.h"

namespace keyward::api {

inline constexpr std::string_view kQuotaExceededType =
    "https://iana.org/assignments/http-problem-types#quota-exceeded";

// A problem+json response. `code` is a stable lowercase word ("validation_failed");
// `outcome` adds the verification code as an extension member when non-empty;
// `errors` lists field problems (422).
http::Response Problem(int status, std::string_view code, std::string_view title,
                       std::string_view detail, std::string_view outcome = {},
                       const std::vector<FieldError>& errors = {},
                       std::string_view type = "about:blank");
http::Response ErrorResponse(const Error& error);
http::Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace keyward::api

#endif  // KEYWARD_API_PROBLEM_H_
