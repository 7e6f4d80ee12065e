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

// Why an error happened, where a caller must act on it (retry, rename, explain).
// Callers branch on this, never on the message text, which is for people. The
// store sets the kDuplicate* causes from the constraint a write broke.
enum class ErrorCause {
  kNone,
  kDuplicateId,             // a primary key already exists
  kDuplicateDisplayPrefix,  // a key's display prefix is taken: draw a new secret
  kDuplicateUsername,       // a username is taken (case-insensitively)
  kDuplicateOrgName,        // an organization name is taken
  kDuplicateOther,          // some other unique constraint
  kRevoked,                 // the key is revoked: nothing about it may change
  kRotated,                 // the key was rotated: it is frozen until it expires
  kExpired,                 // the key has expired
  kNotEmpty,                // the organization still has members or keys
  kKeyLimit,                // the owner holds limits.max_keys_per_owner live keys
  kLocked,                  // another process holds the data dir
};

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  std::vector<FieldError> fields;  // set for kValidation
  ErrorCause cause = ErrorCause::kNone;
  // The message names internals (SQL, constraint and file names): it is logged and
  // never sent to a client. Set by the store for every error it makes.
  bool internal_message = false;

  bool Is(ErrorCause c) const { return cause == c; }

  static Error Validation(std::string field, std::string message) {
    return Error{ErrorKind::kValidation,
                 "validation failed",
                 {FieldError{std::move(field), std::move(message)}}};
  }
  static Error NotFound(std::string message) {
    return Error{ErrorKind::kNotFound, std::move(message), {}};
  }
  static Error Conflict(std::string message, ErrorCause cause = ErrorCause::kNone) {
    return Error{ErrorKind::kConflict, std::move(message), {}, cause};
  }
  static Error PermissionDenied(std::string message) {
    return Error{ErrorKind::kPermissionDenied, std::move(message), {}};
  }
  static Error InvalidArgument(std::string message) {
    return Error{ErrorKind::kInvalidArgument, std::move(message), {}};
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

// RETURN_IF_ERROR(expr): returns expr's Error from the enclosing function when the
// Result `expr` failed. The enclosing function returns a Result (or anything an
// Error converts to, such as api::Reply).
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    auto&& kw_status_ = (expr);                      \
    if (!kw_status_.ok()) return kw_status_.error(); \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): `lhs = value of expr`, or return its Error.
//   ASSIGN_OR_RETURN(KeyRecord key, store.GetKey(id));
#define KW_RESULT_CONCAT_INNER_(a, b) a##b
#define KW_RESULT_CONCAT_(a, b) KW_RESULT_CONCAT_INNER_(a, b)
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(KW_RESULT_CONCAT_(kw_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.error();           \
  lhs = std::move(tmp).value()

#endif  // KEYWARD_CORE_RESULT_H_
