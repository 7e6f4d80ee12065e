// ObjectReader: the one strict reader of JSON objects, shared by request bodies
// (api/), the configuration file (config/) and anything else that takes JSON.
//
// Strict means: a member the caller did not name is an error ("unknown field"), a
// member of the wrong type is an error, and a typo never silently drops a setting.
// The reader does not stop at the first problem: every problem is appended to one
// FieldErrors list, named by its full path ("tiers.gold.limit", "scopes[2]"), so a
// client learns about every bad member of a body at once. Domain rules (is this a
// scope, is this time in the future) are the caller's; the reader checks shape,
// type and simple ranges only.
//
//   json::FieldErrors errors;
//   json::ObjectReader body(doc, "", errors);
//   if (!body.IsObject("(body)", "must be a JSON object")) return errors.ToError();
//   body.RefuseUnknown({"name", "enabled"});
//   std::optional<std::string> name = body.String("name");
//   std::optional<bool> enabled = body.Bool("enabled");
//   if (!errors.empty()) return errors.ToError();
//
// A reader refers to the JSON value and the error list it was given; both must
// outlive it. Thread-compatible (one reader per thread).
#ifndef KEYWARD_JSON_OBJECT_READER_H_
#define KEYWARD_JSON_OBJECT_READER_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyward/core/result.h"

namespace keyward::json {

// The problems found in one document, in the order they were found.
class FieldErrors {
 public:
  void Add(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  const std::vector<FieldError>& fields() const { return errors_; }

  // kValidation, "validation failed", naming every problem.
  Error ToError() const {
    return Error{ErrorKind::kValidation, "validation failed", errors_};
  }
  // OkStatus() when no problem was found, else ToError().
  Status ToStatus() const {
    if (errors_.empty()) return OkStatus();
    return ToError();
  }

 private:
  std::vector<FieldError> errors_;
};

// How StringList reads an array of strings.
struct StringListRules {
  // More entries than this: one error on the list ("must have at most N entries").
  std::size_t max_entries = std::numeric_limits<std::size_t>::max();
  // The message for a value that is not an array.
  std::string_view not_array = "must be an array of strings";
  // true: each non-string entry is its own error, "<name>[i]: must be a string".
  // false: any non-string entry is one error on the list, with `not_array`.
  bool name_bad_entries = true;
  // Drop repeated entries, keeping the first (scopes, tags and IP lists are sets).
  bool deduplicate = false;
};

class ObjectReader {
 public:
  // Reads `value` (not copied) at `path` ("" at the top, else "tiers.gold" or
  // "routes[0]"); problems go to `errors`.
  ObjectReader(const nlohmann::json& value, std::string path, FieldErrors& errors);

  // True when the value is an object. Otherwise reports one error, at the reader's
  // path or, at the top, at `top_name` ("(body)", "(root)"), and every other method
  // reads nothing.
  bool IsObject(std::string_view top_name = "(root)",
                std::string_view message = "must be an object");

  // Reports each member whose name is not in `known` as "unknown field".
  void RefuseUnknown(std::initializer_list<std::string_view> known);
  void RefuseUnknown(const std::vector<std::string_view>& known);

  // The member, or null when absent (or when the value is not an object).
  const nlohmann::json* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // Present and JSON null.
  bool IsNull(std::string_view name) const;

  // The full path of a member, for error messages: Path("limit") == "tiers.x.limit".
  std::string Path(std::string_view name) const;
  // Records a problem with member `name` (a caller's domain rule).
  void Fail(std::string_view name, std::string message);

  // Typed reads. Absent: nullopt, no error. Wrong type or out of range: nullopt and
  // one error naming the member. (A JSON null is the wrong type here: callers that
  // accept null check IsNull first.)
  std::optional<std::string> String(std::string_view name,
                                    std::string_view message = "must be a string");
  std::optional<bool> Bool(std::string_view name,
                           std::string_view message = "must be a boolean");
  // A JSON integer in [min, max]; anything else reports `message`.
  std::optional<std::int64_t> Int(std::string_view name, std::int64_t min,
                                  std::int64_t max, std::string_view message);
  std::optional<std::vector<std::string>> StringList(std::string_view name,
                                                     const StringListRules& rules = {});

  // A reader for the object member `name`, whose errors are prefixed "<path>.name".
  // Absent: a reader of nothing (Has() is false on it). Present but not an object:
  // one error with `message`, then a reader of nothing.
  ObjectReader Object(std::string_view name,
                      std::string_view message = "must be an object");

  // True when the value read is an object (false for a reader of nothing).
  bool is_object() const { return value_.is_object(); }
  const nlohmann::json& value() const { return value_; }
  const std::string& path() const { return path_; }
  FieldErrors& errors() { return errors_; }

 private:
  const nlohmann::json& value_;
  std::string path_;
  FieldErrors& errors_;
};

// Element path "<list>[i]".
std::string IndexPath(std::string_view list, std::size_t i);

}  // namespace keyward::json

#endif  // KEYWARD_JSON_OBJECT_READER_H_
