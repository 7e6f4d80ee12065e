#include "keyward/core/random.h"

#include <sodium.h>

#include <array>

#include "keyward/core/base62.h"
#include "sodium_init.h"

namespace keyward::core {
namespace {

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kIdChars = 22;  // ceil(128 / log2(62))

}  // namespace

SodiumRandom::SodiumRandom() { internal::EnsureSodiumInitialized(); }

void SodiumRandom::Fill(std::span<std::uint8_t> out) {
  randombytes_buf(out.data(), out.size());
}

std::string RandomId(RandomSource& random, std::string_view prefix) {
  std::array<std::uint8_t, kIdBytes> bytes{};
  random.Fill(bytes);
  std::string id;
  id.reserve(prefix.size() + kIdChars);
  id.append(prefix);
  id.append(EncodeBase62(bytes, kIdChars));
  return id;
}

}  // namespace keyward::core
