#include "keyward/core/base62.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace keyward::core {
namespace {

struct IntCase {
  std::uint32_t value;
  std::size_t width;
  std::string expected;
};

class EncodeBase62IntTest : public ::testing::TestWithParam<IntCase> {};

TEST_P(EncodeBase62IntTest, EncodesBigEndianPadded) {
  EXPECT_EQ(EncodeBase62(GetParam().value, GetParam().width), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EncodeBase62IntTest,
    ::testing::Values(IntCase{0, 0, "0"}, IntCase{0, 6, "000000"}, IntCase{9, 1, "9"},
                      IntCase{10, 1, "A"}, IntCase{35, 1, "Z"}, IntCase{36, 1, "a"},
                      IntCase{61, 1, "z"}, IntCase{62, 1, "10"}, IntCase{3843, 0, "zz"},
                      IntCase{3844, 6, "000100"}, IntCase{0xFFFFFFFFU, 6, "4gfFC3"},
                      IntCase{0xFFFFFFFFU, 2, "4gfFC3"}));

struct BytesCase {
  std::vector<std::uint8_t> bytes;
  std::size_t width;
  std::string expected;
};

class EncodeBase62BytesTest : public ::testing::TestWithParam<BytesCase> {};

TEST_P(EncodeBase62BytesTest, EncodesAsOneBigNumber) {
  EXPECT_EQ(EncodeBase62(GetParam().bytes, GetParam().width), GetParam().expected);
}

std::vector<std::uint8_t> Iota(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i);
  return v;
}

// Expected values computed independently with Python big integers.
INSTANTIATE_TEST_SUITE_P(
    Table, EncodeBase62BytesTest,
    ::testing::Values(
        BytesCase{{}, 0, "0"}, BytesCase{{0, 0, 0}, 3, "000"}, BytesCase{{1, 0}, 0, "48"},
        BytesCase{{0xde, 0xad, 0xbe, 0xef, 0, 1}, 0, "17WVQyJ5V"},
        BytesCase{std::vector<std::uint8_t>(32, 0xFF), 43,
                  "yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp1"},
        BytesCase{std::vector<std::uint8_t>(16, 0xFF), 22, "7n42DGM5Tflk9n8mt7Fhc7"},
        BytesCase{Iota(16), 22, "000SYW7RiJxkEgOGusQGwp"},
        BytesCase{Iota(32), 43, "003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf"}));

TEST(EncodeBase62Test, ThirtyTwoBytesAlwaysFitFortyThreeChars) {
  // 62^43 > 2^256, so the maximum value must not spill into a 44th character.
  EXPECT_EQ(EncodeBase62(std::vector<std::uint8_t>(32, 0xFF), 43).size(), 43U);
}

struct CrcCase {
  std::string input;
  std::uint32_t expected;
};

class Crc32Test : public ::testing::TestWithParam<CrcCase> {};

TEST_P(Crc32Test, MatchesIeeeVectors) {
  EXPECT_EQ(Crc32(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Crc32Test,
    ::testing::Values(CrcCase{"", 0x00000000U}, CrcCase{"a", 0xE8B7BE43U},
                      CrcCase{"123456789", 0xCBF43926U},
                      CrcCase{"The quick brown fox jumps over the lazy dog",
                              0x414FA339U}));

// Crc32 folds eight bytes at a time: every length and alignment of the tail must
// agree with the plain byte-at-a-time definition.
TEST(Crc32Test, MatchesBytewiseDefinitionAtEveryLength) {
  auto bytewise = [](std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (const char ch : data) {
      crc ^= static_cast<std::uint8_t>(ch);
      for (int k = 0; k < 8; ++k)
        crc = (crc & 1U) != 0 ? 0xEDB88320U ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFU;
  };
  std::string data;
  for (int i = 0; i < 200; ++i) data.push_back(static_cast<char>((i * 151 + 7) & 0xFF));
  for (std::size_t start = 0; start < 8; ++start) {
    for (std::size_t len = 0; start + len <= data.size(); ++len) {
      const std::string_view s = std::string_view(data).substr(start, len);
      ASSERT_EQ(Crc32(s), bytewise(s)) << "start " << start << " length " << len;
    }
  }
}

TEST(IsBase62CharTest, AcceptsExactlyTheAlphabet) {
  int accepted = 0;
  for (int c = 0; c < 256; ++c) {
    if (IsBase62Char(static_cast<char>(c))) ++accepted;
  }
  EXPECT_EQ(accepted, 62);
  for (const char c : kBase62Alphabet) EXPECT_TRUE(IsBase62Char(c)) << c;
}

}  // namespace
}  // namespace keyward::core
