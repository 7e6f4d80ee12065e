#include "keyward/tls/server_context.h"

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "openssl_error.h"

namespace keyward::tls {

// ECDHE only (forward secrecy) and AEAD only (no CBC, no SHA-1 MACs), ECDSA first
// because the self-signed certificate is ECDSA.
const char kTls12CipherList[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

namespace {

constexpr char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

Error BadFile(const std::string& what, const std::string& file, const std::string& why) {
  return Error{ErrorKind::kInvalidArgument,
               "cannot load TLS " + what + " from '" + file +
                   "': " + (why.empty() ? "unknown error" : why),
               {}};
}

// Checks readability first so that a missing file or a permission problem is
// reported in the words of errno rather than as an OpenSSL PEM error.
std::string Unreadable(const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return std::strerror(errno);
  std::fclose(f);
  return {};
}

}  // namespace

void SslCtxDeleter::operator()(ssl_ctx_st* ctx) const { SSL_CTX_free(ctx); }

Result<SslCtxPtr> CreateServerContext(const std::string& cert_file,
                                      const std::string& key_file) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return Error::Internal("SSL_CTX_new: " + TakeOpenSslError());
  SSL_CTX* c = ctx.get();

  if (SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(c, kTls12CipherList) != 1 ||
      SSL_CTX_set_ciphersuites(c, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(c, "X25519:P-256:P-384") != 1) {
    return Error::Internal("TLS policy rejected by OpenSSL: " + TakeOpenSslError());
  }
  SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                             SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
  // No SSL_MODE_RELEASE_BUFFERS: it would free and reallocate both ~17 KiB record
  // buffers around every request of a keep-alive connection. A connection keeps
  // its ~34 KiB instead (gateways hold a bounded pool of them); the HTTP session
  // clears the mode Asio sets on each SSL, too.

  if (std::string why = Unreadable(cert_file); !why.empty()) {
    return BadFile("certificate", cert_file, why);
  }
  if (SSL_CTX_use_certificate_chain_file(c, cert_file.c_str()) != 1) {
    return BadFile("certificate", cert_file, TakeOpenSslError());
  }
  if (std::string why = Unreadable(key_file); !why.empty()) {
    return BadFile("private key", key_file, why);
  }
  // Parsed apart from SSL_CTX_use_PrivateKey so that a damaged key file and a key
  // that belongs to another certificate get different messages.
  std::FILE* kf = std::fopen(key_file.c_str(), "rb");
  // An encrypted key is refused instead of prompting on the terminal for a passphrase.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return -1; };
  EVP_PKEY* pkey =
      kf ? PEM_read_PrivateKey(kf, nullptr, no_passphrase, nullptr) : nullptr;
  if (kf != nullptr) std::fclose(kf);
  if (pkey == nullptr) return BadFile("private key", key_file, TakeOpenSslError());
  const int used = SSL_CTX_use_PrivateKey(c, pkey);
  EVP_PKEY_free(pkey);
  if (used != 1 || SSL_CTX_check_private_key(c) != 1) {
    TakeOpenSslError();
    return Error{ErrorKind::kInvalidArgument,
                 "TLS private key '" + key_file + "' does not match certificate '" +
                     cert_file + "'",
                 {}};
  }
  return ctx;
}

}  // namespace keyward::tls
