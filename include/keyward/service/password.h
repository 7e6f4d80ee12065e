// Passwords for the web console: Argon2id through libsodium's crypto_pwhash_str,
// with the parameters docs/console.md gives and the measurement that chose them.
//
// The stored string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash") carries its own salt
// and parameters, so raising them later keeps old hashes verifiable. Thread-safe.
#ifndef KEYWARD_SERVICE_PASSWORD_H_
#define KEYWARD_SERVICE_PASSWORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "keyward/core/result.h"

namespace keyward::service {

// Argon2id cost: passes over memory, and memory in bytes (measured ~100 ms here).
inline constexpr unsigned long long kPasswordOpsLimit = 2;
inline constexpr std::size_t kPasswordMemLimit = 64u * 1024 * 1024;
inline constexpr std::size_t kMinPasswordChars = 12;
// Longer passwords only cost hashing time; nobody types more than this.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// kValidation ("password") unless `password` has at least kMinPasswordChars
// characters (UTF-8 code points), at most kMaxPasswordBytes bytes and no NUL.
Status CheckPasswordRules(std::string_view password);

// The Argon2id string for `password`; kInternal only when libsodium cannot allocate.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `stored` (a HashPassword string).
bool VerifyPassword(const std::string& stored, std::string_view password);

// Spends the same work as VerifyPassword against a real hash and returns false: for
// unknown users and users without a password, so timing does not tell them apart.
bool VerifyAgainstDummy(std::string_view password);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_PASSWORD_H_
