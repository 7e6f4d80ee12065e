// RandomSource: where every secret and identifier gets its randomness.
//
// Production code uses SodiumRandom (libsodium's CSPRNG); tests substitute a
// deterministic source. SodiumRandom is stateless and thread-safe; other
// implementations state their own thread-safety.
#ifndef KEYWARD_CORE_RANDOM_H_
#define KEYWARD_CORE_RANDOM_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace keyward::core {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` entirely with random bytes. Never fails.
  virtual void Fill(std::span<std::uint8_t> out) = 0;
};

// libsodium's randombytes_buf (getrandom on Linux). Initialises libsodium once, on
// first construction; aborts the process if libsodium cannot start.
class SodiumRandom final : public RandomSource {
 public:
  SodiumRandom();
  void Fill(std::span<std::uint8_t> out) override;
};

// Returns `prefix` followed by 22 base62 characters encoding 16 random bytes
// (128 bits), e.g. RandomId(rng, "key_") -> "key_3hQ9...". Used for record ids.
std::string RandomId(RandomSource& random, std::string_view prefix);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_RANDOM_H_
