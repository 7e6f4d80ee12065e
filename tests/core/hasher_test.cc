#include "keyward/core/hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace keyward::core {
namespace {

Digest IotaPepper() {
  Digest pepper{};
  for (std::size_t i = 0; i < pepper.size(); ++i)
    pepper[i] = static_cast<std::uint8_t>(i);
  return pepper;
}

std::string Hex(const Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

TEST(HasherTest, MatchesKeyedBlake2bKnownAnswer) {
  // From Python: hashlib.blake2b(b"kw_test", key=bytes(range(32)), digest_size=32).
  EXPECT_EQ(Hex(Hasher(IotaPepper()).Hash("kw_test")),
            "f36c608a15ed9610b8133f1cea2af7c5bd8222e70328d10cf42375df2acfcb4b");
}

TEST(HasherTest, MatchesADirectGenericHashCall) {
  const Digest pepper = IotaPepper();
  const std::string key = "kw_003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf45YXCo";
  Digest expected{};
  crypto_generichash(expected.data(), expected.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     pepper.data(), pepper.size());
  EXPECT_EQ(Hasher(pepper).Hash(key), expected);
}

TEST(HasherTest, DifferentPepperGivesDifferentDigest) {
  Digest other = IotaPepper();
  other[31] ^= 1;
  EXPECT_NE(Hasher(IotaPepper()).Hash("kw_same"), Hasher(other).Hash("kw_same"));
}

TEST(HasherTest, IsDeterministicAndKeySensitive) {
  const Hasher hasher(IotaPepper());
  EXPECT_EQ(hasher.Hash("kw_a"), hasher.Hash("kw_a"));
  EXPECT_NE(hasher.Hash("kw_a"), hasher.Hash("kw_b"));
  EXPECT_NE(hasher.Hash("kw_a"), hasher.Hash("kw_a "));
}

TEST(HasherTest, CopiesHashAlike) {
  const Hasher original(IotaPepper());
  const Hasher copy = original;
  EXPECT_EQ(copy.Hash("kw_x"), original.Hash("kw_x"));
}

TEST(DigestEqualsTest, ComparesEveryByte) {
  const Digest a = IotaPepper();
  EXPECT_TRUE(DigestEquals(a, a));
  for (std::size_t i = 0; i < a.size(); ++i) {
    Digest b = a;
    b[i] ^= 0x80;
    EXPECT_FALSE(DigestEquals(a, b)) << "byte " << i;
  }
}

}  // namespace
}  // namespace keyward::core
