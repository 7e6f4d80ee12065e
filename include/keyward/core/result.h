// Result<T>: the one error-carrying return type used across module boundaries.
//
// A Result holds either a value or an Error. Error kinds form a closed set that the
// api/ layer maps to HTTP statuses in exactly one place (api/problem.h). Results are
// plain values: thread-compatible, not thread-safe.
#ifndef KEYWARD_CORE_RESULT_H_
#define KEYWARD_CORE_RESULT_H_

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace keyward {

enum class ErrorKind {
  kInvalidArgument,   // caller sent something unusable (maps to 400)
  kValidation,        // well-formed but invalid values; `fields` names them (422)
  kUnauthenticated,   // no or bad credential (401)
  kPermissionDenied,  // authenticated but not allowed (403)
  kNotFound,          // no such resource, or not visible to the caller (404)
  kConflict,          // state forbids the change, e.g. uniqueness (409)
  kUnavailable,       // a dependency (the store) cannot answer now (503)
  kInternal,          // a bug or an unexpected failure (500, details only logged)
};

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  std::vector<FieldError> fields;  // set for kValidation

  static Error Validation(std::string field, std::string message) {
    return Error{ErrorKind::kValidation,
                 "validation failed",
                 {FieldError{std::move(field), std::move(message)}}};
  }
  static Error NotFound(std::string message) {
    return Error{ErrorKind::kNotFound, std::move(message), {}};
  }
  static Error Conflict(std::string message) {
    return Error{ErrorKind::kConflict, std::move(message), {}};
  }
  static Error Internal(std::string message) {
    return Error{ErrorKind::kInternal, std::move(message), {}};
  }
  static Error Unavailable(std::string message) {
    return Error{ErrorKind::kUnavailable, std::move(message), {}};
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Status: a Result that carries no value.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace keyward

#endif  // KEYWARD_CORE_RESULT_H_
