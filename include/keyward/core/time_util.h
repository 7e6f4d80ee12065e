// RFC 3339 timestamps and human durations ("90d") as used by the API and the CLI.
//
// Times are Unix seconds (UTC). The API always writes "YYYY-MM-DDTHH:MM:SSZ" and
// reads any RFC 3339 date-time, converting the offset to UTC.
// All functions are pure and thread-safe.
#ifndef KEYWARD_CORE_TIME_UTIL_H_
#define KEYWARD_CORE_TIME_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keyward/core/records.h"

namespace keyward::core {

// Formats `t` as "2026-11-22T06:21:22Z" (UTC, no fractional seconds). Years outside
// 0000..9999 cannot be written in RFC 3339; they are clamped to that range.
std::string FormatRfc3339(UnixSeconds t);
// The same text, appended to `out` (no temporary string: the hot path uses it).
void AppendRfc3339(std::string& out, UnixSeconds t);

// Parses "YYYY-MM-DD[Tt]HH:MM:SS[.fraction]([Zz]|+hh:mm|-hh:mm)" into Unix seconds
// (UTC); fractional seconds are truncated. Returns nullopt for anything else,
// including out-of-range fields (month 13, Feb 29 in a non-leap year, hour 24,
// second 60, offset hour over 23) and a missing offset.
std::optional<UnixSeconds> ParseRfc3339(std::string_view text);

// Parses a positive duration: "<n>d", "<n>h", "<n>m", "<n>s" or plain "<n>" seconds,
// with n in decimal digits. Returns the number of seconds, or nullopt when the text
// is malformed, zero, or would overflow int64.
std::optional<std::int64_t> ParseDuration(std::string_view text);

// Days since 1970-01-01 of the proleptic Gregorian date (month 1..12, day 1..31).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// The proleptic Gregorian date of day `days` since 1970-01-01 (the inverse of
// DaysFromCivil).
CivilDate CivilFromDays(std::int64_t days);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_TIME_UTIL_H_
