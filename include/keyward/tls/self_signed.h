// Self-signed server certificates for first start without a configured certificate.
//
// GenerateSelfSigned writes a fresh ECDSA P-256 key and an X.509 v3 certificate for
// CN=keyward with SubjectAltName DNS:localhost, IP:127.0.0.1 and IP:::1. Both files
// are created with mode 0600 from the first byte on (O_CREAT|O_EXCL), so the private
// key is never readable by others, not even for an instant.
//
// Thread-safety: the functions keep no state and may be called from any thread.
#ifndef KEYWARD_TLS_SELF_SIGNED_H_
#define KEYWARD_TLS_SELF_SIGNED_H_

#include <string>

#include "keyward/core/result.h"

namespace keyward::tls {

// Creates `cert_path` and `key_path` (PEM). Validity runs from one hour ago (clock
// skew) for 825 days (the CA/B Forum maximum browsers accept); the serial is random.
// Fails with kConflict if either file already exists (nothing is overwritten), and
// with kInternal naming the file for any other I/O or OpenSSL failure; on failure
// neither file is left behind.
Status GenerateSelfSigned(const std::string& cert_path, const std::string& key_path);

// SHA-256 fingerprint of the DER certificate in the PEM file `cert_path`, as
// upper-case hex pairs joined with ':' ("AB:01:..", 95 characters). Fails with
// kInvalidArgument naming the file if it cannot be read or parsed.
Result<std::string> CertificateFingerprintSha256(const std::string& cert_path);

}  // namespace keyward::tls

#endif  // KEYWARD_TLS_SELF_SIGNED_H_
