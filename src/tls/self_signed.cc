#include "keyward/tls/self_signed.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "openssl_error.h"

namespace keyward::tls {
namespace {

constexpr long kValidDays = 825;
constexpr long kBackdateSeconds = 3600;  // tolerate clients whose clock runs behind

template <auto Fn>
struct FreeWith {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, FreeWith<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, FreeWith<X509_free>>;
using BnPtr = std::unique_ptr<BIGNUM, FreeWith<BN_free>>;
using BioPtr = std::unique_ptr<BIO, FreeWith<BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, FreeWith<X509_EXTENSION_free>>;

Error OpenSslFailure(const std::string& step) {
  return Error::Internal("self-signed certificate: " + step + ": " + TakeOpenSslError());
}

bool AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Result<X509Ptr> BuildCertificate(EVP_PKEY* key) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return OpenSslFailure("X509_new");
  }
  // 159 random bits: positive, at most 20 octets, unpredictable (RFC 5280 4.1.2.2).
  unsigned char serial[20];
  if (RAND_bytes(serial, sizeof serial) != 1) return OpenSslFailure("RAND_bytes");
  serial[0] &= 0x7F;
  BnPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return OpenSslFailure("serial number");
  }
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(kValidDays),
                       -kBackdateSeconds, nullptr) == nullptr) {
    return OpenSslFailure("validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("keyward"), -1,
                                 -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return OpenSslFailure("subject");
  }
  if (!AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(cert.get(), NID_ext_key_usage, "serverAuth") ||
      !AddExtension(cert.get(), NID_subject_key_identifier, "hash") ||
      !AddExtension(cert.get(), NID_subject_alt_name,
                    "DNS:localhost,IP:127.0.0.1,IP:::1")) {
    return OpenSslFailure("extensions");
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) return OpenSslFailure("X509_sign");
  return cert;
}

// Creates `path` exclusively with mode 0600 and writes the PEM produced by `write`
// straight into the file descriptor, so the key is never in a world-readable file
// and no extra copy of it stays in memory.
template <typename WriteFn>
Status WritePemFile(const std::string& path, WriteFn write) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    return Error{err == EEXIST ? ErrorKind::kConflict : ErrorKind::kInternal,
                 "cannot create '" + path + "': " + std::strerror(err),
                 {}};
  }
  // The umask can only remove bits; fchmod pins the mode exactly.
  bool ok = ::fchmod(fd, 0600) == 0;
  BioPtr bio(BIO_new_fd(fd, BIO_NOCLOSE));
  ok = ok && bio && write(bio.get()) == 1 && BIO_flush(bio.get()) == 1;
  bio.reset();
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return Error::Internal("cannot write '" + path + "': " + TakeOpenSslError());
  }
  return OkStatus();
}

}  // namespace

Status GenerateSelfSigned(const std::string& cert_path, const std::string& key_path) {
  ERR_clear_error();
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslFailure("EVP_EC_gen");
  Result<X509Ptr> cert = BuildCertificate(key.get());
  RETURN_IF_ERROR(cert);

  Status st = WritePemFile(key_path, [&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr,
                                    nullptr);
  });
  if (!st.ok()) return st;
  st = WritePemFile(cert_path,
                    [&](BIO* bio) { return PEM_write_bio_X509(bio, cert->get()); });
  if (!st.ok()) {
    ::unlink(key_path.c_str());  // never leave a key without its certificate
    return st;
  }
  return OkStatus();
}

Result<std::string> CertificateFingerprintSha256(const std::string& cert_path) {
  ERR_clear_error();
  BioPtr bio(BIO_new_file(cert_path.c_str(), "rb"));
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    return Error{ErrorKind::kInvalidArgument,
                 "cannot read certificate '" + cert_path + "': " + TakeOpenSslError(),
                 {}};
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha256(), md, &len) != 1) {
    return OpenSslFailure("X509_digest");
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 3);
  for (unsigned int i = 0; i < len; ++i) {
    if (i != 0) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0x0F];
  }
  return out;
}

}  // namespace keyward::tls
