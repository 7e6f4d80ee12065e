// Problem responses (RFC 9457 application/problem+json) and JSON responses.
//
// The one table from error kinds and verification outcomes to HTTP: every ErrorKind
// and every refused core::Outcome has its status, problem code and title here, so
// every module reports failures the same way. Details of internal errors are
// logged, never sent.
#ifndef KEYWARD_API_PROBLEM_H_
#define KEYWARD_API_PROBLEM_H_

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyward/api/reply.h"
#include "keyward/core/outcome.h"
#include "keyward/core/result.h"
#include "keyward/http/message.h"

namespace keyward::api {

inline constexpr std::string_view kQuotaExceededType =
    "https://iana.org/assignments/http-problem-types#quota-exceeded";

// The reason phrase used as a problem's title ("Unprocessable Content").
std::string_view StatusTitle(int status);

// A problem+json response. `code` is a stable lowercase word ("validation_failed")
// with static storage; `outcome` adds the verification code as an extension member
// when non-empty; `errors` lists field problems (422).
Reply Problem(int status, std::string_view code, std::string_view detail,
              std::string_view outcome = {}, const std::vector<FieldError>& errors = {},
              std::string_view type = "about:blank");
Reply ErrorResponse(const Error& error);
// The refusal of a presented key (401, 403 or 429 by core::OutcomeHttpStatus),
// with its WWW-Authenticate or Retry-After field; `missing_scope` names the scope
// an insufficient_scope refusal lacked.
Reply OutcomeProblem(core::Outcome outcome, std::string_view missing_scope,
                     std::int64_t retry_after_seconds);
http::Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace keyward::api

#endif  // KEYWARD_API_PROBLEM_H_
