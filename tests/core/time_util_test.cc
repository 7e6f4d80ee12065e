#include "keyward/core/time_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace keyward::core {
namespace {

using ::testing::Optional;

struct FormatCase {
  UnixSeconds t;
  std::string text;
};

class FormatRfc3339Test : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatRfc3339Test, WritesUtcWithZ) {
  EXPECT_EQ(FormatRfc3339(GetParam().t), GetParam().text);
}

TEST_P(FormatRfc3339Test, ParsesBackToTheSameSecond) {
  EXPECT_THAT(ParseRfc3339(GetParam().text), Optional(GetParam().t));
}

INSTANTIATE_TEST_SUITE_P(
    Table, FormatRfc3339Test,
    ::testing::Values(FormatCase{0, "1970-01-01T00:00:00Z"},
                      FormatCase{1795328482, "2026-11-22T06:21:22Z"},
                      FormatCase{951782400, "2000-02-29T00:00:00Z"},
                      FormatCase{1709251199, "2024-02-29T23:59:59Z"},
                      FormatCase{-1, "1969-12-31T23:59:59Z"},
                      FormatCase{-62167219200, "0000-01-01T00:00:00Z"},
                      FormatCase{253402300799, "9999-12-31T23:59:59Z"}));

TEST(FormatRfc3339Test, ClampsOutOfRangeYears) {
  EXPECT_EQ(FormatRfc3339(std::numeric_limits<UnixSeconds>::max()),
            "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(std::numeric_limits<UnixSeconds>::min()),
            "0000-01-01T00:00:00Z");
}

TEST(FormatRfc3339Test, RoundTripsEveryDayOverFourCenturies) {
  // Steps of 1 day + 1 second walk through every date and many times of day.
  for (UnixSeconds t = -2208988800; t < 10413792000; t += 86401) {
    ASSERT_THAT(ParseRfc3339(FormatRfc3339(t)), Optional(t)) << t;
  }
}

struct ParseCase {
  std::string text;
  std::optional<UnixSeconds> expected;
};

class ParseRfc3339Test : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseRfc3339Test, ParsesStrictly) {
  EXPECT_EQ(ParseRfc3339(GetParam().text), GetParam().expected) << GetParam().text;
}

constexpr UnixSeconds kT = 1795328482;  // 2026-11-22T06:21:22Z

INSTANTIATE_TEST_SUITE_P(Accepted, ParseRfc3339Test,
                         ::testing::Values(ParseCase{"2026-11-22T06:21:22Z", kT},
                                           ParseCase{"2026-11-22t06:21:22z", kT},
                                           ParseCase{"2026-11-22T06:21:22.999999Z", kT},
                                           ParseCase{"2026-11-22T06:21:22.1+00:00", kT},
                                           ParseCase{"2026-11-22T07:21:22+01:00", kT},
                                           ParseCase{"2026-11-22T00:51:22-05:30", kT},
                                           ParseCase{"2026-11-22T06:21:22-00:00", kT},
                                           ParseCase{"2026-11-23T05:21:22+23:00", kT},
                                           ParseCase{"2000-02-29T00:00:00Z", 951782400},
                                           ParseCase{"2026-12-31T23:59:59Z",
                                                     1798761599}));

INSTANTIATE_TEST_SUITE_P(
    Rejected, ParseRfc3339Test,
    ::testing::Values(ParseCase{"", std::nullopt}, ParseCase{"2026-11-22", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22", std::nullopt},
                      ParseCase{"2026-11-22 06:21:22Z", std::nullopt},
                      ParseCase{"2026-11-22T06:21Z", std::nullopt},
                      ParseCase{"2026-1-22T06:21:22Z", std::nullopt},
                      ParseCase{"26-11-22T06:21:22Z", std::nullopt},
                      ParseCase{"2026-00-22T06:21:22Z", std::nullopt},
                      ParseCase{"2026-13-01T06:21:22Z", std::nullopt},
                      ParseCase{"2026-11-00T06:21:22Z", std::nullopt},
                      ParseCase{"2026-04-31T06:21:22Z", std::nullopt},
                      ParseCase{"2023-02-29T00:00:00Z", std::nullopt},
                      ParseCase{"2100-02-29T00:00:00Z", std::nullopt},
                      ParseCase{"2026-11-22T24:00:00Z", std::nullopt},
                      ParseCase{"2026-11-22T06:60:00Z", std::nullopt},
                      ParseCase{"2026-11-22T06:21:60Z", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22.Z", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22,5Z", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22+24:00", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22+01:60", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22+0100", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22+01", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22ZZ", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22Z ", std::nullopt},
                      ParseCase{" 2026-11-22T06:21:22Z", std::nullopt},
                      ParseCase{"2026-11-22T06:21:22UTC", std::nullopt},
                      ParseCase{"+2026-11-22T06:21:22Z", std::nullopt},
                      ParseCase{"2026-11-22T0a:21:22Z", std::nullopt}));

struct DurationCase {
  std::string text;
  std::optional<std::int64_t> expected;
};

class ParseDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ParseDurationTest, ParsesPositiveDurations) {
  EXPECT_EQ(ParseDuration(GetParam().text), GetParam().expected) << GetParam().text;
}

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDurationTest,
    ::testing::Values(DurationCase{"90d", 7776000}, DurationCase{"12h", 43200},
                      DurationCase{"30m", 1800}, DurationCase{"45s", 45},
                      DurationCase{"3600", 3600}, DurationCase{"1", 1},
                      DurationCase{"007s", 7}, DurationCase{"9223372036854775807", kMax},
                      DurationCase{"106751991167300d", 106751991167300 * 86400},
                      DurationCase{"", std::nullopt}, DurationCase{"0", std::nullopt},
                      DurationCase{"0d", std::nullopt}, DurationCase{"-5", std::nullopt},
                      DurationCase{"+5", std::nullopt}, DurationCase{"d", std::nullopt},
                      DurationCase{"5x", std::nullopt}, DurationCase{"5D", std::nullopt},
                      DurationCase{"1.5h", std::nullopt},
                      DurationCase{"1h30m", std::nullopt},
                      DurationCase{" 5", std::nullopt}, DurationCase{"5 ", std::nullopt},
                      DurationCase{"9223372036854775808", std::nullopt},
                      DurationCase{"99999999999999999999999", std::nullopt},
                      DurationCase{"106751991167301d", std::nullopt},
                      DurationCase{"153722867280912931m", std::nullopt}));

TEST(DaysFromCivilTest, CountsFromTheUnixEpoch) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
}

}  // namespace
}  // namespace keyward::core
