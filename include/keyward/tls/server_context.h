// The server's TLS policy, as an OpenSSL SSL_CTX ready for the transport.
//
// CreateServerContext loads a certificate chain and private key and fixes the
// protocol policy in one place: TLS 1.2 minimum (1.3 allowed), TLS 1.2 limited to
// ECDHE with AEAD ciphers (AES-GCM, ChaCha20-Poly1305), server cipher preference,
// no compression, no renegotiation. The type is only forward-declared here so that
// callers need no OpenSSL header.
//
// Thread-safety: CreateServerContext may be called from any thread. The returned
// context is meant to be configured once and then shared read-only by connections.
#ifndef KEYWARD_TLS_SERVER_CONTEXT_H_
#define KEYWARD_TLS_SERVER_CONTEXT_H_

#include <memory>
#include <string>

#include "keyward/core/result.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace keyward::tls {

struct SslCtxDeleter {
  void operator()(ssl_ctx_st* ctx) const;
};
using SslCtxPtr = std::unique_ptr<ssl_ctx_st, SslCtxDeleter>;

// The TLS 1.2 cipher list the server accepts (OpenSSL syntax), exposed for tests.
extern const char kTls12CipherList[];

// Returns a server context holding the chain in `cert_file` and the key in
// `key_file` (both PEM). Fails with kInvalidArgument naming the file that cannot be
// read or parsed, or both files when the key does not match the certificate.
Result<SslCtxPtr> CreateServerContext(const std::string& cert_file,
                                      const std::string& key_file);

}  // namespace keyward::tls

#endif  // KEYWARD_TLS_SERVER_CONTEXT_H_
