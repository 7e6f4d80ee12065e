#include "keyward/json/object_reader.h"

#include <algorithm>

namespace keyward::json {
namespace {

// The value a reader of nothing reads: never an object, so it finds no member.
const nlohmann::json& NoValue() {
  static const nlohmann::json kNothing;  // null
  return kNothing;
}

}  // namespace

std::string IndexPath(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

ObjectReader::ObjectReader(const nlohmann::json& value, std::string path,
                           FieldErrors& errors)
    : value_(value), path_(std::move(path)), errors_(errors) {}

bool ObjectReader::IsObject(std::string_view top_name, std::string_view message) {
  if (value_.is_object()) return true;
  errors_.Add(path_.empty() ? std::string(top_name) : path_, std::string(message));
  return false;
}

void ObjectReader::RefuseUnknown(std::initializer_list<std::string_view> known) {
  RefuseUnknown(std::vector<std::string_view>(known));
}

void ObjectReader::RefuseUnknown(const std::vector<std::string_view>& known) {
  if (!value_.is_object()) return;
  for (const auto& item : value_.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      errors_.Add(Path(item.key()), "unknown field");
    }
  }
}

const nlohmann::json* ObjectReader::Find(std::string_view name) const {
  if (!value_.is_object()) return nullptr;
  auto it = value_.find(name);
  return it == value_.end() ? nullptr : &*it;
}

bool ObjectReader::IsNull(std::string_view name) const {
  const nlohmann::json* v = Find(name);
  return v && v->is_null();
}

std::string ObjectReader::Path(std::string_view name) const {
  if (path_.empty()) return std::string(name);
  return path_ + "." + std::string(name);
}

void ObjectReader::Fail(std::string_view name, std::string message) {
  errors_.Add(Path(name), std::move(message));
}

std::optional<std::string> ObjectReader::String(std::string_view name,
                                                std::string_view message) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail(name, std::string(message));
    return std::nullopt;
  }
  // Valid UTF-8 is the parser's rule; NUL is ours: PostgreSQL cannot store it, and
  // both stores must answer the same.
  if (v->get_ref<const std::string&>().find('\0') != std::string::npos) {
    Fail(name, "must not contain NUL characters");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ObjectReader::Bool(std::string_view name, std::string_view message) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    Fail(name, std::string(message));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> ObjectReader::Int(std::string_view name, std::int64_t min,
                                              std::int64_t max,
                                              std::string_view message) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  // An unsigned value above INT64_MAX must not wrap into range.
  if (!v->is_number_integer() ||
      (v->is_number_unsigned() &&
       v->get<std::uint64_t>() >
           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) ||
      v->get<std::int64_t>() < min || v->get<std::int64_t>() > max) {
    Fail(name, std::string(message));
    return std::nullopt;
  }
  return v->get<std::int64_t>();
}

std::optional<std::vector<std::string>> ObjectReader::StringList(
    std::string_view name, const StringListRules& rules) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Fail(name, std::string(rules.not_array));
    return std::nullopt;
  }
  if (v->size() > rules.max_entries) {
    Fail(name, "must have at most " + std::to_string(rules.max_entries) + " entries");
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(v->size());
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const nlohmann::json& item = (*v)[i];
    if (!item.is_string()) {
      ok = false;
      if (!rules.name_bad_entries) {
        Fail(name, std::string(rules.not_array));
        return std::nullopt;
      }
      errors_.Add(IndexPath(Path(name), i), "must be a string");
      continue;
    }
    const auto& s = item.get_ref<const std::string&>();
    if (s.find('\0') != std::string::npos) {
      ok = false;
      errors_.Add(IndexPath(Path(name), i), "must not contain NUL characters");
      continue;
    }
    if (rules.deduplicate && std::find(out.begin(), out.end(), s) != out.end()) continue;
    out.push_back(s);
  }
  if (!ok) return std::nullopt;
  return out;
}

ObjectReader ObjectReader::Object(std::string_view name, std::string_view message) {
  const nlohmann::json* v = Find(name);
  if (!v) return ObjectReader(NoValue(), Path(name), errors_);
  if (!v->is_object()) {
    Fail(name, std::string(message));
    return ObjectReader(NoValue(), Path(name), errors_);
  }
  return ObjectReader(*v, Path(name), errors_);
}

}  // namespace keyward::json
