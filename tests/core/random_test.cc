#include "keyward/core/random.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "core/fake_random.h"

namespace keyward::core {
namespace {

using ::testing::MatchesRegex;

TEST(RandomIdTest, IsPrefixPlusTwentyTwoBase62Chars) {
  SodiumRandom random;
  EXPECT_THAT(RandomId(random, "key_"), MatchesRegex("key_[0-9A-Za-z]{22}"));
  EXPECT_THAT(RandomId(random, "usr_"), MatchesRegex("usr_[0-9A-Za-z]{22}"));
  EXPECT_THAT(RandomId(random, ""), MatchesRegex("[0-9A-Za-z]{22}"));
}

TEST(RandomIdTest, EncodesSixteenBytesFromTheSource) {
  testing::PatternRandom random({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  EXPECT_EQ(RandomId(random, "org_"), "org_000SYW7RiJxkEgOGusQGwp");
}

TEST(RandomIdTest, SodiumIdsDoNotRepeat) {
  SodiumRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomId(random, "key_"));
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(SodiumRandomTest, FillsTheWholeBuffer) {
  SodiumRandom random;
  // 64 zero bytes from a CSPRNG would happen with probability 2^-512.
  std::array<std::uint8_t, 64> buf{};
  random.Fill(buf);
  std::array<std::uint8_t, 64> zero{};
  EXPECT_NE(buf, zero);
  // The last byte is written too (probability 2^-8 per try of being 0; try 4 times).
  bool last_written = false;
  for (int i = 0; i < 4 && !last_written; ++i) {
    buf.back() = 0;
    random.Fill(buf);
    last_written = buf.back() != 0;
  }
  EXPECT_TRUE(last_written);
}

}  // namespace
}  // namespace keyward::core
