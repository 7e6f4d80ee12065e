#include "keyward/core/key_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/fake_random.h"
#include "keyward/core/base62.h"

namespace keyward::core {
namespace {

using ::testing::MatchesRegex;
using ::testing::Optional;

std::vector<std::uint8_t> Iota32() {
  std::vector<std::uint8_t> v(32);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i);
  return v;
}

// Appends a correct checksum to `body`, so a test can isolate one defect.
std::string WithChecksum(std::string body) { return body + EncodeBase62(Crc32(body), 6); }

// Known answers computed independently (Python zlib.crc32 and big integers).
constexpr std::string_view kIotaKey =
    "kw_003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf45YXCo";
constexpr std::string_view kZeroKey =
    "kw_00000000000000000000000000000000000000000004RAm10";
constexpr std::string_view kIotaAcmeKey =
    "acme_live_003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf3MpRGw";

TEST(KeyFormatTest, GeneratesTheContractLayoutFromRandomBytes) {
  testing::PatternRandom random(Iota32());
  const auto generated = KeyFormat().Generate(random);
  EXPECT_EQ(generated.key, kIotaKey);
  EXPECT_EQ(generated.display_prefix, "kw_003aUlTJC");
}

TEST(KeyFormatTest, PadsSmallRandomValuesWithZeros) {
  testing::PatternRandom random({0});
  EXPECT_EQ(KeyFormat().Generate(random).key, kZeroKey);
}

TEST(KeyFormatTest, UsesACustomPrefix) {
  testing::PatternRandom random(Iota32());
  const KeyFormat format("acme_live");
  const auto generated = format.Generate(random);
  EXPECT_EQ(generated.key, kIotaAcmeKey);
  EXPECT_EQ(generated.display_prefix, "acme_live_003aUlTJC");
  EXPECT_EQ(format.key_length(), 59U);
  EXPECT_THAT(format.DisplayPrefix(generated.key), Optional(generated.display_prefix));
}

TEST(KeyFormatTest, GeneratedKeysRoundTripAndMatchTheScannerPattern) {
  SodiumRandom random;
  const KeyFormat format;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto generated = format.Generate(random);
    ASSERT_EQ(generated.key.size(), 52U);
    ASSERT_THAT(generated.key, MatchesRegex("kw_[0-9A-Za-z]{49}"));
    ASSERT_EQ(generated.display_prefix.size(), 12U);
    ASSERT_THAT(format.DisplayPrefix(generated.key), Optional(generated.display_prefix));
    seen.insert(generated.key);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(KeyFormatTest, DisplayPrefixIsAViewIntoTheKey) {
  const std::string key(kIotaKey);
  const auto prefix = KeyFormat().DisplayPrefix(key);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(prefix->data(), key.data());
}

struct BadKeyCase {
  std::string name;
  std::string key;
};

class KeyFormatRejectsTest : public ::testing::TestWithParam<BadKeyCase> {};

TEST_P(KeyFormatRejectsTest, AsMalformed) {
  EXPECT_EQ(KeyFormat().DisplayPrefix(GetParam().key), std::nullopt);
}

const std::string kGood(kIotaKey);

INSTANTIATE_TEST_SUITE_P(
    Table, KeyFormatRejectsTest,
    ::testing::Values(
        BadKeyCase{"Empty", ""}, BadKeyCase{"PrefixOnly", "kw_"},
        BadKeyCase{"OneCharShort", kGood.substr(0, 51)},
        BadKeyCase{"OneCharLong", kGood + "0"},
        BadKeyCase{"LeadingSpace", " " + kGood.substr(0, 51)},
        BadKeyCase{"WrongPrefixSameLength", WithChecksum("kx_" + kGood.substr(3, 43))},
        BadKeyCase{"UppercasePrefix", WithChecksum("KW_" + kGood.substr(3, 43))},
        BadKeyCase{"DashSeparator", WithChecksum("kw-" + kGood.substr(3, 43))},
        BadKeyCase{"OtherPrefixKey", std::string(kIotaAcmeKey)},
        BadKeyCase{"NonBase62InRandom", WithChecksum("kw_" + std::string(42, '0') + "-")},
        BadKeyCase{"NonBase62InChecksum", kGood.substr(0, 51) + "!"},
        BadKeyCase{"NulInRandom", WithChecksum("kw_" + std::string(42, 'a') + '\0')},
        BadKeyCase{"WrongChecksum", kGood.substr(0, 46) + "000000"},
        BadKeyCase{"SwappedAdjacentChars",
                   kGood.substr(0, 10) + kGood[11] + kGood[10] + kGood.substr(12)}),
    [](const auto& info) { return info.param.name; });

TEST(KeyFormatTest, RejectsEverySingleCharacterSubstitution) {
  const KeyFormat format;
  for (std::size_t pos = 0; pos < kGood.size(); ++pos) {
    for (const char c : kBase62Alphabet) {
      if (c == kGood[pos]) continue;
      std::string mutated = kGood;
      mutated[pos] = c;
      ASSERT_EQ(format.DisplayPrefix(mutated), std::nullopt) << "pos " << pos << " " << c;
    }
  }
}

struct PrefixCase {
  std::string prefix;
  bool valid;
};

class IsValidPrefixTest : public ::testing::TestWithParam<PrefixCase> {};

TEST_P(IsValidPrefixTest, FollowsTheContractPattern) {
  EXPECT_EQ(KeyFormat::IsValidPrefix(GetParam().prefix), GetParam().valid)
      << GetParam().prefix;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IsValidPrefixTest,
    ::testing::Values(PrefixCase{"kw", true}, PrefixCase{"a", true},
                      PrefixCase{"acme_live", true}, PrefixCase{"a1_b2_c3", true},
                      PrefixCase{"sk2", true}, PrefixCase{std::string(20, 'a'), true},
                      PrefixCase{std::string(21, 'a'), false}, PrefixCase{"", false},
                      PrefixCase{"1kw", false}, PrefixCase{"Kw", false},
                      PrefixCase{"kW", false}, PrefixCase{"kw_", false},
                      PrefixCase{"_kw", false}, PrefixCase{"kw__live", false},
                      PrefixCase{"kw-live", false}, PrefixCase{"kw live", false},
                      PrefixCase{"k\xc3\xa9", false}));

TEST(KeyFormatTest, ConstructorRefusesAnInvalidPrefix) {
  EXPECT_THROW(KeyFormat("Bad-Prefix"), std::invalid_argument);
  EXPECT_NO_THROW(KeyFormat("acme_live"));
}

}  // namespace
}  // namespace keyward::core
