#include "keyward/api/problem.h"

#include <spdlog/spdlog.h>

#include "keyward/core/redact.h"

namespace keyward::api {
namespace {

using nlohmann::json;

struct KindRow {
  ErrorKind kind;
  int status;
  std::string_view code;
};

// ErrorKind -> HTTP. kValidation's detail names its first field; kUnavailable and
// kInternal never send their message (it may name files or SQL).
constexpr KindRow kKinds[] = {
    {ErrorKind::kInvalidArgument, 400, "bad_request"},
    {ErrorKind::kValidation, 422, "validation_failed"},
    {ErrorKind::kUnauthenticated, 401, "invalid_token"},
    {ErrorKind::kPermissionDenied, 403, "forbidden"},
    {ErrorKind::kNotFound, 404, "not_found"},
    {ErrorKind::kConflict, 409, "conflict"},
    {ErrorKind::kUnavailable, 503, "unavailable"},
    {ErrorKind::kInternal, 500, "internal_error"},
};

struct OutcomeRow {
  core::Outcome outcome;
  std::string_view code;  // the problem code; the status is core::OutcomeHttpStatus
  std::string_view detail;
};

constexpr OutcomeRow kOutcomes[] = {
    {core::Outcome::kMalformed, "invalid_token", "the API key is malformed"},
    {core::Outcome::kNotFound, "invalid_token", "the API key is not known"},
    {core::Outcome::kRevoked, "invalid_token", "the API key has been revoked"},
    {core::Outcome::kExpired, "invalid_token", "the API key has expired"},
    {core::Outcome::kDisabled, "invalid_token", "the API key is disabled"},
    {core::Outcome::kOwnerDisabled, "invalid_token",
     "the key's owner or organization is disabled"},
    {core::Outcome::kForbiddenIp, "forbidden_ip",
     "the client IP is not allowed for this key"},
    {core::Outcome::kInsufficientScope, "insufficient_scope",
     "the API key lacks a required scope"},
    {core::Outcome::kRateLimited, "rate_limited", "the key's rate limit is exceeded"},
    {core::Outcome::kUsageExceeded, "usage_exceeded", "the key has no remaining uses"},
};

}  // namespace

std::string_view StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

Reply::Reply(const Error& error) : Reply(ErrorResponse(error)) {}

Reply Problem(int status, std::string_view code, std::string_view detail,
              std::string_view outcome, const std::vector<FieldError>& errors,
              std::string_view type) {
  // Every error body is built here, so this is where a key quoted back by a
  // validation message is cut to its display part.
  json body{{"type", type},
            {"title", StatusTitle(status)},
            {"status", status},
            {"detail", core::RedactKeyLike(detail)},
            {"code", code}};
  if (!outcome.empty()) body["outcome"] = outcome;
  if (!errors.empty()) {
    json list = json::array();
    for (const auto& e : errors)
      list.push_back({{"field", core::RedactKeyLike(e.field)},
                      {"message", core::RedactKeyLike(e.message)}});
    body["errors"] = std::move(list);
  }
  Reply r;
  r.response.status = status;
  r.response.Set("Content-Type", "application/problem+json");
  r.response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  r.code = code;
  r.outcome = outcome;
  return r;
}

Reply ErrorResponse(const Error& e) {
  const KindRow* row = &kKinds[std::size(kKinds) - 1];
  for (const KindRow& k : kKinds) {
    if (k.kind == e.kind) row = &k;
  }
  std::string detail = e.message;
  if (e.kind == ErrorKind::kValidation && !e.fields.empty()) {
    detail = e.fields[0].field + ": " + e.fields[0].message;
  } else if (e.kind == ErrorKind::kUnavailable) {
    spdlog::warn("unavailable: {}", e.message);
    detail = "try again later";
  } else if (e.kind == ErrorKind::kInternal) {
    spdlog::error("internal error: {}", e.message);
    detail = "internal error";
  } else if (e.internal_message) {
    // A store refusal no service turned into words (a constraint it did not expect).
    spdlog::warn("store refused a request: {}", e.message);
    detail = "the store refused the request";
  }
  return Problem(row->status, row->code, detail, {},
                 e.kind == ErrorKind::kValidation ? e.fields : std::vector<FieldError>{});
}

Reply OutcomeProblem(core::Outcome outcome, std::string_view missing_scope,
                     std::int64_t retry_after_seconds) {
  const int status = core::OutcomeHttpStatus(outcome);
  const OutcomeRow* row = &kOutcomes[0];
  for (const OutcomeRow& o : kOutcomes) {
    if (o.outcome == outcome) row = &o;
  }
  Reply r = Problem(status, row->code, row->detail, core::OutcomeName(outcome), {},
                    status == 429 ? kQuotaExceededType : std::string_view("about:blank"));
  if (status == 429) {
    r.Set("Retry-After", std::to_string(retry_after_seconds));
  } else if (status == 401) {
    r.Set("WWW-Authenticate", "Bearer realm=\"keyward\", error=\"invalid_token\"");
  } else if (outcome == core::Outcome::kInsufficientScope) {
    r.Set("WWW-Authenticate",
          "Bearer realm=\"keyward\", error=\"insufficient_scope\", scope=\"" +
              std::string(missing_scope) + "\"");
  }
  return r;
}

http::Response JsonResponse(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

}  // namespace keyward::api
