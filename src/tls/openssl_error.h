// Private helper: drains OpenSSL's thread-local error queue into one message.
//
// OpenSSL reports failures on a per-thread queue; leaving entries there makes a
// later, unrelated call on the same thread look as if it failed, so every caller
// that sees a failure takes the whole queue with this function.
#ifndef KEYWARD_SRC_TLS_OPENSSL_ERROR_H_
#define KEYWARD_SRC_TLS_OPENSSL_ERROR_H_

#include <openssl/err.h>

#include <string>

namespace keyward::tls {

// Returns the reasons queued on this thread ("" if none), oldest first, and
// empties the queue.
inline std::string TakeOpenSslError() {
  std::string out;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(e);
    if (!out.empty()) out += "; ";
    out += reason != nullptr ? reason : "unknown OpenSSL error";
  }
  return out;
}

}  // namespace keyward::tls

#endif  // KEYWARD_SRC_TLS_OPENSSL_ERROR_H_
