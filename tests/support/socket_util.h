// Test helpers shared by the HTTPS client and the TLS probe: a blocking TCP connect
// with send/receive timeouts, and an OpenSSL client context that trusts anything.
//
// Thread-safety: stateless functions; safe from any thread.
#ifndef KEYWARD_TESTS_SUPPORT_SOCKET_UTIL_H_
#define KEYWARD_TESTS_SUPPORT_SOCKET_UTIL_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <string>

namespace keyward::testing {

// Connected socket to host:port (name or address literal), with SO_RCVTIMEO and
// SO_SNDTIMEO set to `timeout_seconds`; -1 with `error` set on failure. Also makes
// SIGPIPE harmless for the process: a server closing early must fail a write, not
// kill the test binary.
int ConnectTcp(const std::string& host, std::uint16_t port, int timeout_seconds,
               std::string* error);

// A client SSL_CTX without certificate verification (test servers are
// self-signed). The caller owns it (SSL_CTX_free).
SSL_CTX* NewInsecureClientContext();

// Drains OpenSSL's error queue for this thread into one line.
std::string OpenSslErrors();

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_SOCKET_UTIL_H_
