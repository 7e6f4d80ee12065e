#include "keyward/core/hasher.h"

#include <sodium.h>

#include "sodium_init.h"

namespace keyward::core {

static_assert(crypto_generichash_BYTES == sizeof(Digest));
static_assert(sizeof(Digest) >= crypto_generichash_KEYBYTES_MIN &&
              sizeof(Digest) <= crypto_generichash_KEYBYTES_MAX);

Hasher::Hasher(const Digest& pepper) : pepper_(pepper) {
  // sodium_init picks the fastest BLAKE2b implementation for this CPU.
  internal::EnsureSodiumInitialized();
}

Hasher::~Hasher() { sodium_memzero(pepper_.data(), pepper_.size()); }

Digest Hasher::Hash(std::string_view key) const {
  Digest out{};
  crypto_generichash(out.data(), out.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     pepper_.data(), pepper_.size());
  return out;
}

bool DigestEquals(const Digest& a, const Digest& b) {
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace keyward::core
