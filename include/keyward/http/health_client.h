// CheckHealth: the one HTTP(S) GET behind `keyward health` (contract section 1), so
// that a container HEALTHCHECK needs no curl. Beast and Asio stay in src/http/; the
// CLI sees only this header.
//
// Certificates: a server reached on a loopback address is not verified by default
// (keyward's own self-signed certificate is the usual case there); any other address
// is verified against the system's trust store and the URL's host name. `ca_file`
// makes it verify against that file instead, on loopback too; `insecure` turns
// verification off everywhere.
//
// Thread-safety: CheckHealth is reentrant; each call has its own io_context.
#ifndef KEYWARD_HTTP_HEALTH_CLIENT_H_
#define KEYWARD_HTTP_HEALTH_CLIENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyward::http {

struct HttpUrl {
  bool tls = true;
  std::string host;  // without brackets for IPv6 literals
  std::uint16_t port = 0;
  std::string target = "/";  // path and query
};

// Parses http://HOST[:PORT][/PATH] and https://...; IPv6 literals in brackets. No
// user info, no fragment. nullopt with the reason in `error` otherwise.
std::optional<HttpUrl> ParseHttpUrl(std::string_view url, std::string* error);

struct HealthCheckOptions {
  std::string url = "https://127.0.0.1:8443/healthz";
  bool insecure = false;  // never verify the certificate
  std::string ca_file;    // verify against this PEM bundle (also on loopback)
  int timeout_seconds = 2;
};

struct HealthCheckResult {
  int status = 0;             // the HTTP status; 0 when no response arrived
  std::string error;          // why not, when status is 0
  bool verified_tls = false;  // the certificate was checked (TLS only)
};

// One GET with Connection: close; the whole exchange (resolve, connect, handshake,
// write, read) must finish within options.timeout_seconds.
HealthCheckResult CheckHealth(const HealthCheckOptions& options);

// Whether CheckHealth verifies the certificate of a server at these addresses.
bool ShouldVerifyCertificate(bool all_addresses_loopback, const HealthCheckOptions& o);

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_HEALTH_CLIENT_H_
