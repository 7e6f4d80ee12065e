#include "keyward/service/password.h"

#include <sodium.h>

#include <array>

namespace keyward::service {

Status CheckPasswordRules(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Error::Validation("password", "must be at most 1024 bytes");
  }
  if (password.find('\0') != std::string_view::npos) {
    return Error::Validation("password", "must not contain NUL");
  }
  std::size_t chars = 0;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++chars;  // count code points, not continuation bytes
  }
  if (chars < kMinPasswordChars) {
    return Error::Validation("password", "must be at least 12 characters");
  }
  return OkStatus();
}

Result<std::string> HashPassword(std::string_view password) {
  if (sodium_init() < 0) return Error::Internal("libsodium did not initialise");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            kPasswordOpsLimit, kPasswordMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& stored, std::string_view password) {
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

bool VerifyAgainstDummy(std::string_view password) {
  // A hash of a random password nobody knows, made once with the same parameters.
  static const std::string kDummy = [] {
    std::array<unsigned char, 32> random{};
    randombytes_buf(random.data(), random.size());
    auto h = HashPassword(
        std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
    return h.ok() ? *h : std::string();
  }();
  if (!kDummy.empty()) VerifyPassword(kDummy, password);
  return false;
}

}  // namespace keyward::service
