// Config: the one immutable configuration of a keyward process.
//
// Built once at start-up from built-in defaults, then the JSON file, then
// KEYWARD_* environment variables, then command-line flags (later wins), and
// validated once; every error names the offending field. After start-up it is
// shared read-only between threads.
#ifndef KEYWARD_CONFIG_CONFIG_H_
#define KEYWARD_CONFIG_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/core/records.h"
#include "keyward/core/result.h"

namespace keyward::config {

struct RouteRule {
  std::string method;  // "GET", or "*" for any method
  std::string path;    // exact path, or a prefix ending in "*"
  std::string scope;   // required scope for a match
};

// Upper bound of Config::threads.
inline constexpr int kMaxThreads = 256;

struct Config {
  std::string listen = "127.0.0.1:8443";
  std::string data_dir = "./data";
  // The 32-byte BLAKE2b key for key hashes; empty: <data_dir>/pepper. Replicas that
  // share a database must all read the same pepper (contract section 7).
  std::string pepper_file;
  std::string tls_cert_file;  // empty: self-signed cert in <data_dir>/tls/
  std::string tls_key_file;
  bool insecure_http = false;
  std::string key_prefix = "kw";
  bool allow_query_keys = false;
  std::vector<std::string> trusted_proxies;  // CIDRs
  std::map<std::string, RateLimit> tiers;    // filled with defaults by Defaults()
  std::string default_tier = "standard";
  std::vector<RouteRule> routes;
  // Which gateway sends /v1/auth requests, and so the only headers forward auth
  // reads the original method and URI from: nginx|caddy|traefik|envoy|auto.
  std::string forward_auth_gateway = "auto";
  std::vector<std::string> cors_allowed_origins;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  int request_timeout_seconds = 30;
  int failed_auth_per_minute = 30;
  // Live (not revoked, not expired) keys one user may own, and one organization may
  // hold as organization keys: a keys:write key cannot mint without bound (each key
  // costs memory on every replica and adds its own rate limit).
  int max_keys_per_owner = 1000;
  // Open client connections at once. Past it, the connection that has waited
  // longest for a request (or else stalled longest in one) is closed to make room;
  // if none has, the new one is closed as soon as it is accepted. Each idle TLS
  // connection holds ~90 KB: without a bound, a client opening connections and never
  // sending could take the memory.
  int max_connections = 4096;
  // Connections one client address (an IPv6 /64) may hold at once, so one client
  // cannot fill max_connections; trusted_proxies are exempt (a gateway is many
  // clients).
  int max_connections_per_ip = 256;
  int last_used_flush_seconds = 5;
  // I/O threads of the server; 0: one per CPU this process may run on
  // (sched_getaffinity), so `taskset -c 0` means one thread.
  int threads = 0;
  std::string log_level = "info";     // trace|debug|info|warn|error|off
  std::string log_format = "text";    // text|json
  bool metrics_require_auth = false;  // extension: /metrics needs metrics:read
  int audit_retention_days = 365;     // audit events older than this are pruned
  // The web console (contract section 8): served under /console/ when enabled; a
  // session ends after this long without a request, and this long after sign-in.
  bool console_enabled = true;
  int console_idle_timeout_seconds = 30 * 60;
  int console_absolute_timeout_seconds = 12 * 60 * 60;
  // store.url: "" or "sqlite:" is the SQLite file in data_dir; "postgres://..." or
  // "postgresql://..." a PostgreSQL shared by replicas (contract section 7).
  std::string store_url;
  // limits.backend: "local" (each replica counts alone) or "redis://HOST:PORT[/DB]"
  // (rate limits, remaining_uses and the failed-auth throttle shared exactly);
  // limits.on_backend_error: "local" or "deny" while Redis cannot answer; the
  // connect and command deadline of one Redis call (contract section 7).
  std::string limits_backend = "local";
  std::string limits_on_backend_error = "local";
  int limits_backend_timeout_ms = 100;

  // Derived from `listen` by Validate().
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8443;

  static Config Defaults();
};

// What the command line said; unset members leave lower layers in force.
struct Flags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> listen;
  bool insecure_http = false;
};

using GetEnv = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> ProcessEnv(const char* name);

// Applies a JSON document on top of `base`. Errors are kValidation naming the field
// ("limits.max_body_bytes") or kInvalidArgument for unparseable JSON.
Result<Config> ApplyJson(std::string_view json_text, Config base);

// Reads `path` and applies it with ApplyJson.
Result<Config> ApplyFile(const std::string& path, Config base);

// Checks cross-field rules and fills derived members.
Result<Config> Validate(Config config);

// Defaults → file (flag, else KEYWARD_CONFIG) → environment → flags → Validate.
Result<Config> Load(const Flags& flags, const GetEnv& env = ProcessEnv);

// One line for a human: "config: field 'x': message".
std::string Describe(const Error& error);

}  // namespace keyward::config

#endif  // KEYWARD_CONFIG_CONFIG_H_
