// Test helper: one TLS handshake with chosen client settings, to check which
// protocol versions and cipher suites a server accepts (the automated version of
// `sslscan`).
//
// Thread-safety: stateless; safe from any thread.
#ifndef KEYWARD_TESTS_SUPPORT_TLS_PROBE_H_
#define KEYWARD_TESTS_SUPPORT_TLS_PROBE_H_

#include <cstdint>
#include <string>

namespace keyward::testing {

struct TlsProbeOptions {
  int min_version = 0;       // e.g. TLS1_1_VERSION; 0 = library default
  int max_version = 0;       // 0 = library default
  std::string cipher_list;   // TLS <= 1.2 list in OpenSSL syntax; "" = default
  std::string ciphersuites;  // TLS 1.3 suites; "" = default
};

struct TlsProbeResult {
  bool ok = false;      // handshake completed
  std::string version;  // "TLSv1.3" etc. when ok
  std::string cipher;   // negotiated cipher when ok
  std::string error;    // why not, when !ok
};

// Connects to host:port and attempts a handshake (SNI "localhost", no
// verification). Old protocols are offered at OpenSSL security level 0, so a refusal
// comes from the server and not from the client's own defaults.
TlsProbeResult ProbeTls(const std::string& host, std::uint16_t port,
                        const TlsProbeOptions& options);

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_TLS_PROBE_H_
