// The one table from errors and outcomes to HTTP (api/problem.cc).
#include "keyward/api/problem.h"

#include <gtest/gtest.h>

namespace keyward::api {
namespace {

using nlohmann::json;

json Body(const Reply& r) { return json::parse(r.response.body); }

TEST(ProblemTest, EveryErrorKindHasItsStatusCodeAndTitle) {
  struct Case {
    ErrorKind kind;
    int status;
    const char* code;
    const char* title;
  };
  for (const Case& c :
       {Case{ErrorKind::kInvalidArgument, 400, "bad_request", "Bad Request"},
        Case{ErrorKind::kValidation, 422, "validation_failed", "Unprocessable Content"},
        Case{ErrorKind::kUnauthenticated, 401, "invalid_token", "Unauthorized"},
        Case{ErrorKind::kPermissionDenied, 403, "forbidden", "Forbidden"},
        Case{ErrorKind::kNotFound, 404, "not_found", "Not Found"},
        Case{ErrorKind::kConflict, 409, "conflict", "Conflict"},
        Case{ErrorKind::kUnavailable, 503, "unavailable", "Service Unavailable"},
        Case{ErrorKind::kInternal, 500, "internal_error", "Internal Server Error"}}) {
    Reply r = ErrorResponse(Error{c.kind, "why", {}});
    EXPECT_EQ(r.status(), c.status);
    EXPECT_EQ(r.code, c.code);  // what the audit hook records, without the body
    EXPECT_EQ(Body(r)["code"], c.code);
    EXPECT_EQ(Body(r)["title"], c.title);
  }
}

TEST(ProblemTest, StoreMessagesAndInternalDetailsAreNeverSent) {
  Error store{ErrorKind::kConflict,
              "sqlite: insert: UNIQUE constraint failed: keys.id (constraint failed)",
              {}};
  store.internal_message = true;
  Reply r = ErrorResponse(store);
  EXPECT_EQ(r.status(), 409);
  EXPECT_EQ(r.response.body.find("sqlite"), std::string::npos) << r.response.body;
  EXPECT_EQ(Body(r)["detail"], "the store refused the request");
  EXPECT_EQ(Body(ErrorResponse(Error::Internal("/secret/path")))["detail"],
            "internal error");
  // A service's own words are sent.
  EXPECT_EQ(
      Body(ErrorResponse(Error::Conflict("username 'a' is already taken")))["detail"],
      "username 'a' is already taken");
}

// Attack review: a key pasted into scopes or ip_allow came back whole in the 422.
// Every error body is built by Problem(), which cuts key-like runs to their display
// part, in the detail and in each field error.
TEST(ProblemTest, AKeyQuotedByAValidationMessageNeverLeavesWhole) {
  const std::string key = "kw_AbCdEfGhI" + std::string(40, 'x');
  Error e = Error::Validation("scopes[0]", "'" + key + "' is not a scope");
  e.fields.push_back({"ip_allow[0]", "'" + key + "' is not a valid IP address"});
  Reply r = ErrorResponse(e);
  EXPECT_EQ(r.response.body.find(key), std::string::npos) << r.response.body;
  EXPECT_EQ(r.response.body.find(std::string(20, 'x')), std::string::npos);
  EXPECT_EQ(Body(r)["detail"], "scopes[0]: 'kw_AbCdEfGhI...' is not a scope");
  EXPECT_EQ(Body(r)["errors"][1]["message"],
            "'kw_AbCdEfGhI...' is not a valid IP address");
}

TEST(ProblemTest, RefusedOutcomesCarryTheirChallengeOrRetry) {
  Reply scope = OutcomeProblem(core::Outcome::kInsufficientScope, "logs:write", 0);
  EXPECT_EQ(scope.status(), 403);
  EXPECT_EQ(scope.code, "insufficient_scope");
  EXPECT_EQ(scope.outcome, "INSUFFICIENT_SCOPE");
  bool challenged = false;
  for (const auto& [k, v] : scope.response.headers) {
    challenged |=
        k == "WWW-Authenticate" && v.find("scope=\"logs:write\"") != std::string::npos;
  }
  EXPECT_TRUE(challenged);
  Reply limited = OutcomeProblem(core::Outcome::kRateLimited, "", 7);
  EXPECT_EQ(limited.status(), 429);
  EXPECT_EQ(Body(limited)["type"], std::string(kQuotaExceededType));
  bool retry = false;
  for (const auto& [k, v] : limited.response.headers)
    retry |= k == "Retry-After" && v == "7";
  EXPECT_TRUE(retry);
  EXPECT_EQ(OutcomeProblem(core::Outcome::kRevoked, "", 0).status(), 401);
}

}  // namespace
}  // namespace keyward::api
