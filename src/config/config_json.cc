// ApplyJson: the strict JSON reader for the configuration file. Every member is
// known, typed and range-checked here, because a typo must never silently drop a
// restriction (e.g. a misspelt trusted_proxies would trust nobody... or everybody).
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>
#include <sstream>

#include "keyward/config/config.h"

namespace keyward::config {
namespace {

using nlohmann::json;

std::string Join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Walks one JSON object, refusing members it was not told about.
class ObjectReader {
 public:
  ObjectReader(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  Status CheckObject() const {
    if (!obj_.is_object()) {
      return Error::Validation(path_.empty() ? "(root)" : path_, "must be an object");
    }
    return OkStatus();
  }

  Status RefuseUnknown(std::initializer_list<std::string_view> known) const {
    for (const auto& [k, v] : obj_.items()) {
      bool found = false;
      for (auto n : known) found = found || n == k;
      if (!found) return Error::Validation(Join(path_, k), "unknown field");
    }
    return OkStatus();
  }

  const json* Find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }

  Status String(const char* key, std::string& out) const {
    if (const json* v = Find(key)) {
      if (!v->is_string()) return Error::Validation(Join(path_, key), "must be a string");
      out = v->get<std::string>();
    }
    return OkStatus();
  }

  Status Bool(const char* key, bool& out) const {
    if (const json* v = Find(key)) {
      if (!v->is_boolean())
        return Error::Validation(Join(path_, key), "must be a boolean");
      out = v->get<bool>();
    }
    return OkStatus();
  }

  template <typename Int>
  Status PositiveInt(const char* key, Int& out) const {
    if (const json* v = Find(key)) {
      if (!v->is_number_integer() || v->get<std::int64_t>() <= 0 ||
          v->get<std::int64_t>() >
              static_cast<std::int64_t>(std::numeric_limits<int>::max())) {
        return Error::Validation(Join(path_, key), "must be a positive integer");
      }
      out = static_cast<Int>(v->get<std::int64_t>());
    }
    return OkStatus();
  }

  Status StringList(const char* key, std::vector<std::string>& out) const {
    if (const json* v = Find(key)) {
      if (!v->is_array())
        return Error::Validation(Join(path_, key), "must be an array of strings");
      std::vector<std::string> list;
      for (const auto& e : *v) {
        if (!e.is_string()) {
          return Error::Validation(Join(path_, key), "must be an array of strings");
        }
        list.push_back(e.get<std::string>());
      }
      out = std::move(list);
    }
    return OkStatus();
  }

  const std::string& path() const { return path_; }

 private:
  const json& obj_;
  std::string path_;
};

#define KW_TRY(expr)         \
  do {                       \
    RETURN_IF_ERROR((expr)); \
  } while (0)

Status ApplyTiers(const json& v, Config& c) {
  ObjectReader tiers(v, "tiers");
  KW_TRY(tiers.CheckObject());
  for (const auto& [name, body] : v.items()) {
    ObjectReader tier(body, "tiers." + name);
    KW_TRY(tier.CheckObject());
    KW_TRY(tier.RefuseUnknown({"limit", "window_seconds"}));
    RateLimit rl;
    if (!tier.Find("limit"))
      return Error::Validation("tiers." + name + ".limit", "is required");
    if (!tier.Find("window_seconds")) {
      return Error::Validation("tiers." + name + ".window_seconds", "is required");
    }
    KW_TRY(tier.PositiveInt("limit", rl.limit));
    KW_TRY(tier.PositiveInt("window_seconds", rl.window_seconds));
    c.tiers[name] = rl;  // replaces the default of the same name only
  }
  return OkStatus();
}

Status ApplyRoutes(const json& v, Config& c) {
  if (!v.is_array()) return Error::Validation("routes", "must be an array of objects");
  std::vector<RouteRule> routes;
  for (size_t i = 0; i < v.size(); ++i) {
    ObjectReader r(v[i], "routes[" + std::to_string(i) + "]");
    KW_TRY(r.CheckObject());
    KW_TRY(r.RefuseUnknown({"method", "path", "scope"}));
    RouteRule rule{"*", "", ""};
    KW_TRY(r.String("method", rule.method));
    KW_TRY(r.String("path", rule.path));
    KW_TRY(r.String("scope", rule.scope));
    if (rule.path.empty() || rule.path[0] != '/') {
      return Error::Validation(r.path() + ".path", "must start with '/'");
    }
    if (rule.scope.empty()) return Error::Validation(r.path() + ".scope", "is required");
    routes.push_back(std::move(rule));
  }
  c.routes = std::move(routes);
  return OkStatus();
}

}  // namespace

Result<Config> ApplyJson(std::string_view json_text, Config c) {
  // nlohmann's lexer takes a NUL for the end of input: everything after one (say, a
  // trusted_proxies list) would be dropped without a word.
  if (json_text.find('\0') != std::string_view::npos) {
    return Error{ErrorKind::kInvalidArgument, "config: not valid JSON (a NUL byte)", {}};
  }
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false,
                         /*ignore_comments=*/true);
  if (doc.is_discarded()) {
    return Error{ErrorKind::kInvalidArgument, "config: not valid JSON", {}};
  }
  ObjectReader root(doc, "");
  KW_TRY(root.CheckObject());
  KW_TRY(root.RefuseUnknown(
      {"listen", "data_dir", "tls", "insecure_http", "key_prefix", "allow_query_keys",
       "trusted_proxies", "tiers", "default_tier", "routes", "cors", "limits",
       "last_used_flush_seconds", "log", "metrics", "forward_auth", "audit"}));
  KW_TRY(root.String("listen", c.listen));
  KW_TRY(root.String("data_dir", c.data_dir));
  KW_TRY(root.Bool("insecure_http", c.insecure_http));
  KW_TRY(root.String("key_prefix", c.key_prefix));
  KW_TRY(root.Bool("allow_query_keys", c.allow_query_keys));
  KW_TRY(root.StringList("trusted_proxies", c.trusted_proxies));
  KW_TRY(root.String("default_tier", c.default_tier));
  KW_TRY(root.PositiveInt("last_used_flush_seconds", c.last_used_flush_seconds));
  if (const json* v = root.Find("tls")) {
    ObjectReader tls(*v, "tls");
    KW_TRY(tls.CheckObject());
    KW_TRY(tls.RefuseUnknown({"cert_file", "key_file"}));
    KW_TRY(tls.String("cert_file", c.tls_cert_file));
    KW_TRY(tls.String("key_file", c.tls_key_file));
  }
  if (const json* v = root.Find("tiers")) KW_TRY(ApplyTiers(*v, c));
  if (const json* v = root.Find("routes")) KW_TRY(ApplyRoutes(*v, c));
  if (const json* v = root.Find("cors")) {
    ObjectReader cors(*v, "cors");
    KW_TRY(cors.CheckObject());
    KW_TRY(cors.RefuseUnknown({"allowed_origins"}));
    KW_TRY(cors.StringList("allowed_origins", c.cors_allowed_origins));
  }
  if (const json* v = root.Find("limits")) {
    ObjectReader lim(*v, "limits");
    KW_TRY(lim.CheckObject());
    KW_TRY(lim.RefuseUnknown({"max_header_bytes", "max_body_bytes",
                              "request_timeout_seconds", "failed_auth_per_minute"}));
    KW_TRY(lim.PositiveInt("max_header_bytes", c.max_header_bytes));
    KW_TRY(lim.PositiveInt("max_body_bytes", c.max_body_bytes));
    KW_TRY(lim.PositiveInt("request_timeout_seconds", c.request_timeout_seconds));
    KW_TRY(lim.PositiveInt("failed_auth_per_minute", c.failed_auth_per_minute));
  }
  if (const json* v = root.Find("log")) {
    ObjectReader log(*v, "log");
    KW_TRY(log.CheckObject());
    KW_TRY(log.RefuseUnknown({"level", "format"}));
    KW_TRY(log.String("level", c.log_level));
    KW_TRY(log.String("format", c.log_format));
  }
  if (const json* v = root.Find("forward_auth")) {
    ObjectReader fa(*v, "forward_auth");
    KW_TRY(fa.CheckObject());
    KW_TRY(fa.RefuseUnknown({"gateway"}));
    KW_TRY(fa.String("gateway", c.forward_auth_gateway));
  }
  if (const json* v = root.Find("audit")) {
    ObjectReader audit(*v, "audit");
    KW_TRY(audit.CheckObject());
    KW_TRY(audit.RefuseUnknown({"retention_days"}));
    KW_TRY(audit.PositiveInt("retention_days", c.audit_retention_days));
  }
  if (const json* v = root.Find("metrics")) {
    ObjectReader m(*v, "metrics");
    KW_TRY(m.CheckObject());
    KW_TRY(m.RefuseUnknown({"require_auth"}));
    KW_TRY(m.Bool("require_auth", c.metrics_require_auth));
  }
  return c;
}

Result<Config> ApplyFile(const std::string& path, Config base) {
  std::ifstream in(path);
  if (!in) {
    return Error{
        ErrorKind::kInvalidArgument, "config: cannot read file '" + path + "'", {}};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = ApplyJson(ss.str(), std::move(base));
  if (!r.ok() && r.error().kind == ErrorKind::kInvalidArgument) {
    return Error{
        ErrorKind::kInvalidArgument, "config: '" + path + "' is not valid JSON", {}};
  }
  return r;
}

}  // namespace keyward::config
