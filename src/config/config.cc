#include "keyward/config/config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "keyward/core/cidr.h"
#include "keyward/core/key_format.h"
#include "keyward/core/redis_url.h"
#include "keyward/core/scope.h"

namespace keyward::config {
namespace {

using nlohmann::json;

enum class EnvType { kString, kBool, kInt, kList };
struct EnvVar {
  const char* name;
  const char* section;  // nullptr: top level
  const char* field;
  EnvType type;
};

// Every scalar setting can come from the environment (containers are configured
// that way); KEYWARD_CONFIG, KEYWARD_DATA_DIR and KEYWARD_LISTEN are the contract's.
constexpr EnvVar kEnvVars[] = {
    {"KEYWARD_DATA_DIR", nullptr, "data_dir", EnvType::kString},
    {"KEYWARD_PEPPER_FILE", nullptr, "pepper_file", EnvType::kString},
    {"KEYWARD_LISTEN", nullptr, "listen", EnvType::kString},
    {"KEYWARD_INSECURE_HTTP", nullptr, "insecure_http", EnvType::kBool},
    {"KEYWARD_KEY_PREFIX", nullptr, "key_prefix", EnvType::kString},
    {"KEYWARD_ALLOW_QUERY_KEYS", nullptr, "allow_query_keys", EnvType::kBool},
    {"KEYWARD_TRUSTED_PROXIES", nullptr, "trusted_proxies", EnvType::kList},
    {"KEYWARD_DEFAULT_TIER", nullptr, "default_tier", EnvType::kString},
    {"KEYWARD_LAST_USED_FLUSH_SECONDS", nullptr, "last_used_flush_seconds",
     EnvType::kInt},
    {"KEYWARD_THREADS", nullptr, "threads", EnvType::kInt},
    {"KEYWARD_TLS_CERT_FILE", "tls", "cert_file", EnvType::kString},
    {"KEYWARD_TLS_KEY_FILE", "tls", "key_file", EnvType::kString},
    {"KEYWARD_CORS_ALLOWED_ORIGINS", "cors", "allowed_origins", EnvType::kList},
    {"KEYWARD_MAX_HEADER_BYTES", "limits", "max_header_bytes", EnvType::kInt},
    {"KEYWARD_MAX_BODY_BYTES", "limits", "max_body_bytes", EnvType::kInt},
    {"KEYWARD_REQUEST_TIMEOUT_SECONDS", "limits", "request_timeout_seconds",
     EnvType::kInt},
    {"KEYWARD_FAILED_AUTH_PER_MINUTE", "limits", "failed_auth_per_minute", EnvType::kInt},
    {"KEYWARD_MAX_KEYS_PER_OWNER", "limits", "max_keys_per_owner", EnvType::kInt},
    {"KEYWARD_MAX_CONNECTIONS", "limits", "max_connections", EnvType::kInt},
    {"KEYWARD_MAX_CONNECTIONS_PER_IP", "limits", "max_connections_per_ip", EnvType::kInt},
    {"KEYWARD_LOG_LEVEL", "log", "level", EnvType::kString},
    {"KEYWARD_LOG_FORMAT", "log", "format", EnvType::kString},
    {"KEYWARD_METRICS_REQUIRE_AUTH", "metrics", "require_auth", EnvType::kBool},
    {"KEYWARD_FORWARD_AUTH_GATEWAY", "forward_auth", "gateway", EnvType::kString},
    {"KEYWARD_AUDIT_RETENTION_DAYS", "audit", "retention_days", EnvType::kInt},
    {"KEYWARD_CONSOLE_ENABLED", "console", "enabled", EnvType::kBool},
    {"KEYWARD_CONSOLE_IDLE_TIMEOUT_SECONDS", "console", "idle_timeout_seconds",
     EnvType::kInt},
    {"KEYWARD_CONSOLE_ABSOLUTE_TIMEOUT_SECONDS", "console", "absolute_timeout_seconds",
     EnvType::kInt},
    {"KEYWARD_STORE_URL", "store", "url", EnvType::kString},
    {"KEYWARD_LIMITS_BACKEND", "limits", "backend", EnvType::kString},
    {"KEYWARD_LIMITS_ON_BACKEND_ERROR", "limits", "on_backend_error", EnvType::kString},
    {"KEYWARD_LIMITS_BACKEND_TIMEOUT_MS", "limits", "backend_timeout_ms", EnvType::kInt},
};

std::optional<json> EnvValue(const std::string& v, EnvType type) {
  switch (type) {
    case EnvType::kString:
      return json(v);
    case EnvType::kBool:
      if (v == "1" || v == "true") return json(true);
      if (v == "0" || v == "false") return json(false);
      return std::nullopt;
    case EnvType::kInt: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
      return json(n);
    }
    case EnvType::kList: {
      json list = json::array();
      size_t start = 0;
      while (start <= v.size()) {
        size_t comma = v.find(',', start);
        if (comma == std::string::npos) comma = v.size();
        std::string item = v.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) list.push_back(item);
        start = comma + 1;
      }
      return list;
    }
  }
  return std::nullopt;
}

Result<Config> ApplyEnv(const GetEnv& env, Config c) {
  json doc = json::object();
  for (const EnvVar& var : kEnvVars) {
    auto raw = env(var.name);
    if (!raw) continue;
    auto value = EnvValue(*raw, var.type);
    if (!value) return Error::Validation(var.name, "has an invalid value");
    if (var.section) {
      doc[var.section][var.field] = *value;
    } else {
      doc[var.field] = *value;
    }
  }
  if (doc.empty()) return c;
  auto r = ApplyJson(doc.dump(), std::move(c));
  if (!r.ok() && !r.error().fields.empty()) {
    // Name the variable the user actually set, not the JSON path.
    Error e = r.error();
    for (const EnvVar& var : kEnvVars) {
      std::string path =
          var.section ? std::string(var.section) + "." + var.field : var.field;
      if (path == e.fields[0].field) e.fields[0].field = var.name;
    }
    return e;
  }
  return r;
}

bool ParseListen(const std::string& listen, std::string& host, std::uint16_t& port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 >= listen.size()) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return false;  // IPv6 hosts need brackets: "[::1]:8443"
  }
  if (host.empty()) host = "0.0.0.0";
  unsigned value = 0;
  const char* b = listen.data() + colon + 1;
  const char* e = listen.data() + listen.size();
  auto [end, ec] = std::from_chars(b, e, value);
  if (ec != std::errc() || end != e || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

Config Config::Defaults() {
  Config c;
  c.tiers = {{"standard", {60, 60}}, {"high", {300, 60}}, {"admin", {6000, 60}}};
  return c;
}

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Result<Config> Validate(Config c) {
  if (!ParseListen(c.listen, c.listen_host, c.listen_port)) {
    return Error::Validation("listen", "must be HOST:PORT (IPv6 as [::1]:PORT)");
  }
  if (c.data_dir.empty()) return Error::Validation("data_dir", "must not be empty");
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return Error::Validation(c.tls_cert_file.empty() ? "tls.cert_file" : "tls.key_file",
                             "cert_file and key_file must be set together");
  }
  if (!core::KeyFormat::IsValidPrefix(c.key_prefix)) {
    return Error::Validation("key_prefix",
                             "must match [a-z][a-z0-9]*(_[a-z0-9]+)*, 20 chars max");
  }
  for (size_t i = 0; i < c.trusted_proxies.size(); ++i) {
    if (!core::Cidr::Parse(c.trusted_proxies[i])) {
      return Error::Validation(
          "trusted_proxies[" + std::to_string(i) + "]",
          "'" + c.trusted_proxies[i] + "' is not an IP address or CIDR");
    }
  }
  for (const auto& [name, rl] : c.tiers) {
    // The same bound the API puts on a key's own rate_limit.
    constexpr std::int64_t kMax = 1'000'000'000;
    if (rl.limit > kMax)
      return Error::Validation("tiers." + name + ".limit", "must be at most 10^9");
    if (rl.window_seconds > kMax) {
      return Error::Validation("tiers." + name + ".window_seconds",
                               "must be at most 10^9");
    }
  }
  if (!c.tiers.count(c.default_tier)) {
    return Error::Validation("default_tier", "names no tier: '" + c.default_tier + "'");
  }
  for (size_t i = 0; i < c.routes.size(); ++i) {
    const std::string& method = c.routes[i].method;
    const bool method_ok =
        method == "*" ||
        (!method.empty() && std::all_of(method.begin(), method.end(),
                                        [](char ch) { return ch >= 'A' && ch <= 'Z'; }));
    if (!method_ok) {
      return Error::Validation("routes[" + std::to_string(i) + "].method",
                               "must be an upper-case HTTP method such as GET, or \"*\"");
    }
    if (!core::IsValidScope(c.routes[i].scope)) {
      return Error::Validation("routes[" + std::to_string(i) + "].scope",
                               "is not a valid scope");
    }
  }
  for (size_t i = 0; i < c.cors_allowed_origins.size(); ++i) {
    const auto& o = c.cors_allowed_origins[i];
    // An Origin is scheme://host[:port] and nothing more: a trailing slash or a path
    // would never match what browsers send.
    const size_t host_at = o.rfind("https://", 0) == 0  ? 8
                           : o.rfind("http://", 0) == 0 ? 7
                                                        : std::string::npos;
    if (o != "*" && (host_at == std::string::npos || o.size() == host_at ||
                     o.find('/', host_at) != std::string::npos)) {
      return Error::Validation("cors.allowed_origins[" + std::to_string(i) + "]",
                               "must be \"*\" or an origin like https://app.example.com");
    }
  }
  if (c.max_header_bytes < 1024 || c.max_header_bytes > 61440) {
    // The upper bound keeps a header block within what a connection buffers (64 KiB,
    // src/http/session.cc), so an oversized one is always a clean 431.
    return Error::Validation("limits.max_header_bytes", "must be between 1024 and 61440");
  }
  static constexpr const char* kLevels[] = {"trace", "debug", "info",
                                            "warn",  "error", "off"};
  bool level_ok = false;
  for (auto* l : kLevels) level_ok = level_ok || c.log_level == l;
  if (!level_ok)
    return Error::Validation("log.level", "must be trace|debug|info|warn|error|off");
  {
    const std::string& g = c.forward_auth_gateway;
    if (g != "nginx" && g != "caddy" && g != "traefik" && g != "envoy" && g != "auto") {
      return Error::Validation("forward_auth.gateway",
                               "must be nginx, caddy, traefik, envoy or auto");
    }
  }
  if (c.log_format != "text" && c.log_format != "json") {
    return Error::Validation("log.format", "must be text or json");
  }
  {
    const std::string& u = c.store_url;
    if (!u.empty() && u != "sqlite:" && !u.starts_with("postgres://") &&
        !u.starts_with("postgresql://")) {
      // The value may hold a password: the message does not repeat it.
      return Error::Validation("store.url",
                               "must be sqlite:, postgres://... or postgresql://...");
    }
  }
  if (c.limits_backend != "local" && !core::ParseRedisUrl(c.limits_backend)) {
    return Error::Validation("limits.backend",
                             "must be local or redis://HOST:PORT[/DB] (no password)");
  }
  if (c.limits_on_backend_error != "local" && c.limits_on_backend_error != "deny") {
    return Error::Validation("limits.on_backend_error", "must be local or deny");
  }
  if (c.limits_backend_timeout_ms > 10000) {
    return Error::Validation("limits.backend_timeout_ms", "must be at most 10000");
  }
  return c;
}

Result<Config> Load(const Flags& flags, const GetEnv& env) {
  Config c = Config::Defaults();
  std::optional<std::string> file =
      flags.config_file ? flags.config_file : env("KEYWARD_CONFIG");
  if (file && !file->empty()) {
    auto r = ApplyFile(*file, std::move(c));
    RETURN_IF_ERROR(r);
    c = std::move(*r);
  }
  auto r = ApplyEnv(env, std::move(c));
  RETURN_IF_ERROR(r);
  c = std::move(*r);
  if (flags.data_dir) c.data_dir = *flags.data_dir;
  if (flags.listen) c.listen = *flags.listen;
  if (flags.insecure_http) c.insecure_http = true;
  return Validate(std::move(c));
}

std::string Describe(const Error& e) {
  if (!e.fields.empty()) {
    return "config: field '" + e.fields[0].field + "': " + e.fields[0].message;
  }
  return e.message;
}

}  // namespace keyward::config
