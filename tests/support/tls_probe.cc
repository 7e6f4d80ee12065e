#include "support/tls_probe.h"

#include <openssl/ssl.h>
#include <unistd.h>

#include "support/socket_util.h"

namespace keyward::testing {

TlsProbeResult ProbeTls(const std::string& host, std::uint16_t port,
                        const TlsProbeOptions& options) {
  TlsProbeResult result;
  SSL_CTX* ctx = NewInsecureClientContext();
  if (ctx == nullptr) {
    result.error = "SSL_CTX_new: " + OpenSslErrors();
    return result;
  }
  // Security level 0 lets this client offer TLS 1.0/1.1 and weak suites at all.
  const std::string ciphers =
      (options.cipher_list.empty() ? std::string("DEFAULT") : options.cipher_list) +
      ":@SECLEVEL=0";
  bool configured = SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) == 1;
  if (!options.ciphersuites.empty()) {
    configured =
        configured && SSL_CTX_set_ciphersuites(ctx, options.ciphersuites.c_str()) == 1;
  }
  if (options.min_version != 0) {
    configured =
        configured && SSL_CTX_set_min_proto_version(ctx, options.min_version) == 1;
  }
  if (options.max_version != 0) {
    configured =
        configured && SSL_CTX_set_max_proto_version(ctx, options.max_version) == 1;
  }
  if (!configured) {
    result.error = "client configuration: " + OpenSslErrors();
    SSL_CTX_free(ctx);
    return result;
  }
  const int fd = ConnectTcp(host, port, 5, &result.error);
  if (fd >= 0) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (SSL_connect(ssl) == 1) {
      result.ok = true;
      result.version = SSL_get_version(ssl);
      result.cipher = SSL_get_cipher_name(ssl);
      SSL_shutdown(ssl);
    } else {
      result.error = "handshake: " + OpenSslErrors();
    }
    SSL_free(ssl);
    ::close(fd);
  }
  SSL_CTX_free(ctx);
  return result;
}

}  // namespace keyward::testing
