#include "keyward/api/problem.h"

#include <spdlog/spdlog.h>

namespace keyward::api {

using nlohmann::json;

http::Response Problem(int status, std::string_view code, std::string_view title,
                       std::string_view detail, std::string_view outcome,
                       const std::vector<FieldError>& errors, std::string_view type) {
  json body{{"type", type},
            {"title", title},
            {"status", status},
            {"detail", detail},
            {"code", code}};
  if (!outcome.empty()) body["outcome"] = outcome;
  if (!errors.empty()) {
    json list = json::array();
    for (const auto& e : errors)
      list.push_back({{"field", e.field}, {"message", e.message}});
    body["errors"] = std::move(list);
  }
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/problem+json");
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

http::Response ErrorResponse(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kInvalidArgument:
      return Problem(400, "bad_request", "Bad Request", e.message);
    case ErrorKind::kValidation: {
      std::string detail =
          e.fields.empty() ? e.message : e.fields[0].field + ": " + e.fields[0].message;
      return Problem(422, "validation_failed", "Unprocessable Content", detail, {},
                     e.fields);
    }
    case ErrorKind::kUnauthenticated:
      return Problem(401, "invalid_token", "Unauthorized", e.message);
    case ErrorKind::kPermissionDenied:
      return Problem(403, "forbidden", "Forbidden", e.message);
    case ErrorKind::kNotFound:
      return Problem(404, "not_found", "Not Found", e.message);
    case ErrorKind::kConflict:
      return Problem(409, "conflict", "Conflict", e.message);
    case ErrorKind::kUnavailable:
      spdlog::warn("unavailable: {}", e.message);
      return Problem(503, "unavailable", "Service Unavailable", "try again later");
    case ErrorKind::kInternal:
      break;
  }
  spdlog::error("internal error: {}", e.message);
  return Problem(500, "internal_error", "Internal Server Error", "internal error");
}

http::Response JsonResponse(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

}  // namespace keyward::api
