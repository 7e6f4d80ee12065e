// Hasher: the one-way, keyed digest under which keys are stored.
//
// Digest = BLAKE2b-256 of the whole key string, keyed with the server's 32-byte
// pepper (libsodium crypto_generichash). Without the pepper a stolen database does
// not allow offline checking of guessed keys. A Hasher is immutable after
// construction: Hash() may be called from many threads at once.
#ifndef KEYWARD_CORE_HASHER_H_
#define KEYWARD_CORE_HASHER_H_

#include <string_view>

#include "keyward/core/records.h"

namespace keyward::core {

class Hasher {
 public:
  // Keeps its own copy of `pepper`, wiped on destruction.
  explicit Hasher(const Digest& pepper);
  Hasher(const Hasher&) = default;
  Hasher& operator=(const Hasher&) = default;
  ~Hasher();

  // Keyed BLAKE2b-256 of `key`. Deterministic for a given pepper.
  Digest Hash(std::string_view key) const;

 private:
  Digest pepper_;
};

// Constant-time equality (sodium_memcmp): the time taken does not depend on where
// the digests first differ.
bool DigestEquals(const Digest& a, const Digest& b);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_HASHER_H_
