#include "keyward/core/time_util.h"

#include <algorithm>
#include <array>
#include <limits>

namespace keyward::core {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

bool IsLeapYear(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned DaysInMonth(std::int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads exactly `n` decimal digits at `pos`, advancing it.
std::optional<unsigned> ReadDigits(std::string_view s, std::size_t& pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  pos += n;
  return v;
}

bool Expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

void AppendDigits(std::string& out, std::int64_t v, int width) {
  std::array<char, 4> buf{};
  for (int i = width - 1; i >= 0; --i) {
    buf[static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf.data(), static_cast<std::size_t>(width));
}

}  // namespace

// Howard Hinnant's civil_from_days: exact over the proleptic Gregorian calendar and
// pure arithmetic, so no dependency on the C library's time zone state or time_t.
CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string FormatRfc3339(UnixSeconds t) {
  std::string out;
  out.reserve(20);
  AppendRfc3339(out, t);
  return out;
}

void AppendRfc3339(std::string& out, UnixSeconds t) {
  static const UnixSeconds kMin = DaysFromCivil(0, 1, 1) * kSecondsPerDay;
  static const UnixSeconds kMax = DaysFromCivil(10000, 1, 1) * kSecondsPerDay - 1;
  t = std::clamp(t, kMin, kMax);
  std::int64_t days = t / kSecondsPerDay;
  std::int64_t secs = t % kSecondsPerDay;
  if (secs < 0) {  // floor division for times before 1970
    secs += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  AppendDigits(out, date.year, 4);
  out += '-';
  AppendDigits(out, date.month, 2);
  out += '-';
  AppendDigits(out, date.day, 2);
  out += 'T';
  AppendDigits(out, secs / 3600, 2);
  out += ':';
  AppendDigits(out, secs / 60 % 60, 2);
  out += ':';
  AppendDigits(out, secs % 60, 2);
  out += 'Z';
}

std::optional<UnixSeconds> ParseRfc3339(std::string_view s) {
  std::size_t pos = 0;
  const auto year = ReadDigits(s, pos, 4);
  if (!year || !Expect(s, pos, '-')) return std::nullopt;
  const auto month = ReadDigits(s, pos, 2);
  if (!month || !Expect(s, pos, '-')) return std::nullopt;
  const auto day = ReadDigits(s, pos, 2);
  if (!day || pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return std::nullopt;
  ++pos;
  const auto hour = ReadDigits(s, pos, 2);
  if (!hour || !Expect(s, pos, ':')) return std::nullopt;
  const auto minute = ReadDigits(s, pos, 2);
  if (!minute || !Expect(s, pos, ':')) return std::nullopt;
  const auto second = ReadDigits(s, pos, 2);
  if (!second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > DaysInMonth(*year, *month) ||
      *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  if (pos < s.size() && s[pos] == '.') {  // fraction: at least one digit, truncated
    const std::size_t first = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == first) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;  // the offset is mandatory
  std::int64_t offset = 0;
  const char zone = s[pos++];
  if (zone == '+' || zone == '-') {
    const auto off_hour = ReadDigits(s, pos, 2);
    if (!off_hour || !Expect(s, pos, ':')) return std::nullopt;
    const auto off_minute = ReadDigits(s, pos, 2);
    if (!off_minute || *off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset = (static_cast<std::int64_t>(*off_hour) * 60 + *off_minute) * 60;
    if (zone == '-') offset = -offset;
  } else if (zone != 'Z' && zone != 'z') {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t days = DaysFromCivil(*year, *month, *day);
  // Local time = UTC + offset, so UTC = local - offset.
  return days * kSecondsPerDay + *hour * 3600 + *minute * 60 + *second - offset;
}

std::optional<std::int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (text.back()) {
    case 'd':
      unit = kSecondsPerDay;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'm':
      unit = 60;
      break;
    case 's':
      unit = 1;
      break;
    default:
      unit = 0;  // no suffix: plain seconds
  }
  std::string_view digits = unit == 0 ? text : text.substr(0, text.size() - 1);
  if (unit == 0) unit = 1;
  if (digits.empty()) return std::nullopt;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const int d = c - '0';
    if (n > (kMax - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  if (n == 0 || n > kMax / unit) return std::nullopt;
  return n * unit;
}

}  // namespace keyward::core
