// ApplyJson: the configuration file, read with the shared strict reader
// (json/object_reader.h). Every member is known, typed and range-checked, because a
// typo must never silently drop a restriction (a misspelt trusted_proxies would
// trust nobody... or everybody). Every bad member is reported, not only the first.
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>
#include <sstream>

#include "keyward/config/config.h"
#include "keyward/json/object_reader.h"

namespace keyward::config {
namespace {

constexpr std::int64_t kMaxConfigInt = std::numeric_limits<int>::max();

// Copies a member that was present and well-typed onto its setting; a missing or bad
// member leaves the setting as the earlier layer had it (a bad one is reported).
template <typename T, typename V>
void Set(const std::optional<V>& read, T& out) {
  if (read) out = static_cast<T>(*read);
}

template <typename T>
void PositiveInt(json::ObjectReader& r, std::string_view name, T& out) {
  Set(r.Int(name, 1, kMaxConfigInt, "must be a positive integer"), out);
}

// A list whose entries all must be strings, reported as one error on the list.
constexpr json::StringListRules kPlainList{.name_bad_entries = false};

void ApplyTiers(json::ObjectReader& root, Config& c) {
  json::ObjectReader tiers = root.Object("tiers");
  if (!tiers.is_object()) return;
  for (const auto& item : tiers.value().items()) {
    json::ObjectReader tier = tiers.Object(item.key());
    if (!tier.is_object()) continue;
    const std::size_t errors_before = root.errors().size();
    tier.RefuseUnknown({"limit", "window_seconds"});
    if (!tier.Has("limit")) tier.Fail("limit", "is required");
    if (!tier.Has("window_seconds")) tier.Fail("window_seconds", "is required");
    RateLimit rl;
    PositiveInt(tier, "limit", rl.limit);
    PositiveInt(tier, "window_seconds", rl.window_seconds);
    // Replaces the default of the same name only, and only when well-formed.
    if (root.errors().size() == errors_before) c.tiers[item.key()] = rl;
  }
}

void ApplyRoutes(json::ObjectReader& root, Config& c) {
  const nlohmann::json* v = root.Find("routes");
  if (!v) return;
  if (!v->is_array()) {
    root.Fail("routes", "must be an array of objects");
    return;
  }
  std::vector<RouteRule> routes;
  for (std::size_t i = 0; i < v->size(); ++i) {
    json::ObjectReader r((*v)[i], json::IndexPath("routes", i), root.errors());
    if (!r.IsObject()) continue;
    r.RefuseUnknown({"method", "path", "scope"});
    RouteRule rule{"*", "", ""};
    Set(r.String("method"), rule.method);
    std::optional<std::string> path = r.String("path");
    std::optional<std::string> scope = r.String("scope");
    if (path) rule.path = *path;
    if (scope) rule.scope = *scope;
    // A path or scope of the wrong type has been reported already.
    if ((path || !r.Has("path")) && (rule.path.empty() || rule.path[0] != '/')) {
      r.Fail("path", "must start with '/'");
    }
    if ((scope || !r.Has("scope")) && rule.scope.empty()) r.Fail("scope", "is required");
    routes.push_back(std::move(rule));
  }
  c.routes = std::move(routes);
}

}  // namespace

Result<Config> ApplyJson(std::string_view json_text, Config c) {
  // nlohmann's lexer takes a NUL for the end of input: everything after one (say, a
  // trusted_proxies list) would be dropped without a word.
  if (json_text.find('\0') != std::string_view::npos) {
    return Error{ErrorKind::kInvalidArgument, "config: not valid JSON (a NUL byte)", {}};
  }
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr,
                                             /*allow_exceptions=*/false,
                                             /*ignore_comments=*/true);
  if (doc.is_discarded()) {
    return Error{ErrorKind::kInvalidArgument, "config: not valid JSON", {}};
  }
  json::FieldErrors errors;
  json::ObjectReader root(doc, "", errors);
  if (!root.IsObject("(root)")) return errors.ToError();
  root.RefuseUnknown({"listen",
                      "data_dir",
                      "pepper_file",
                      "tls",
                      "insecure_http",
                      "key_prefix",
                      "allow_query_keys",
                      "trusted_proxies",
                      "tiers",
                      "default_tier",
                      "routes",
                      "cors",
                      "limits",
                      "last_used_flush_seconds",
                      "threads",
                      "log",
                      "metrics",
                      "forward_auth",
                      "audit",
                      "console",
                      "store"});
  Set(root.String("listen"), c.listen);
  Set(root.String("data_dir"), c.data_dir);
  Set(root.String("pepper_file"), c.pepper_file);
  Set(root.Bool("insecure_http"), c.insecure_http);
  Set(root.String("key_prefix"), c.key_prefix);
  Set(root.Bool("allow_query_keys"), c.allow_query_keys);
  Set(root.StringList("trusted_proxies", kPlainList), c.trusted_proxies);
  Set(root.String("default_tier"), c.default_tier);
  PositiveInt(root, "last_used_flush_seconds", c.last_used_flush_seconds);
  // 0 (the default) is allowed: it means "from the CPU affinity".
  Set(root.Int("threads", 0, kMaxThreads,
               "must be an integer from 0 to " + std::to_string(kMaxThreads)),
      c.threads);
  if (json::ObjectReader tls = root.Object("tls"); tls.is_object()) {
    tls.RefuseUnknown({"cert_file", "key_file"});
    Set(tls.String("cert_file"), c.tls_cert_file);
    Set(tls.String("key_file"), c.tls_key_file);
  }
  ApplyTiers(root, c);
  ApplyRoutes(root, c);
  if (json::ObjectReader cors = root.Object("cors"); cors.is_object()) {
    cors.RefuseUnknown({"allowed_origins"});
    Set(cors.StringList("allowed_origins", kPlainList), c.cors_allowed_origins);
  }
  if (json::ObjectReader lim = root.Object("limits"); lim.is_object()) {
    lim.RefuseUnknown({"max_header_bytes", "max_body_bytes", "request_timeout_seconds",
                       "failed_auth_per_minute", "max_keys_per_owner", "max_connections",
                       "max_connections_per_ip", "backend", "on_backend_error",
                       "backend_timeout_ms"});
    Set(lim.String("backend"), c.limits_backend);
    Set(lim.String("on_backend_error"), c.limits_on_backend_error);
    PositiveInt(lim, "backend_timeout_ms", c.limits_backend_timeout_ms);
    PositiveInt(lim, "max_header_bytes", c.max_header_bytes);
    PositiveInt(lim, "max_body_bytes", c.max_body_bytes);
    PositiveInt(lim, "request_timeout_seconds", c.request_timeout_seconds);
    PositiveInt(lim, "failed_auth_per_minute", c.failed_auth_per_minute);
    PositiveInt(lim, "max_keys_per_owner", c.max_keys_per_owner);
    PositiveInt(lim, "max_connections", c.max_connections);
    PositiveInt(lim, "max_connections_per_ip", c.max_connections_per_ip);
  }
  if (json::ObjectReader log = root.Object("log"); log.is_object()) {
    log.RefuseUnknown({"level", "format"});
    Set(log.String("level"), c.log_level);
    Set(log.String("format"), c.log_format);
  }
  if (json::ObjectReader fa = root.Object("forward_auth"); fa.is_object()) {
    fa.RefuseUnknown({"gateway"});
    Set(fa.String("gateway"), c.forward_auth_gateway);
  }
  if (json::ObjectReader audit = root.Object("audit"); audit.is_object()) {
    audit.RefuseUnknown({"retention_days"});
    PositiveInt(audit, "retention_days", c.audit_retention_days);
  }
  if (json::ObjectReader store = root.Object("store"); store.is_object()) {
    store.RefuseUnknown({"url"});
    Set(store.String("url"), c.store_url);
  }
  if (json::ObjectReader m = root.Object("metrics"); m.is_object()) {
    m.RefuseUnknown({"require_auth"});
    Set(m.Bool("require_auth"), c.metrics_require_auth);
  }
  if (json::ObjectReader con = root.Object("console"); con.is_object()) {
    con.RefuseUnknown({"enabled", "idle_timeout_seconds", "absolute_timeout_seconds"});
    Set(con.Bool("enabled"), c.console_enabled);
    PositiveInt(con, "idle_timeout_seconds", c.console_idle_timeout_seconds);
    PositiveInt(con, "absolute_timeout_seconds", c.console_absolute_timeout_seconds);
  }
  if (!errors.empty()) return errors.ToError();
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
