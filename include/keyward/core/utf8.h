#ifndef KEYWARD_INCLUDE_KEYWARD_CORE_UTF8_H_
#define KEYWARD_INCLUDE_KEYWARD_CORE_UTF8_H_

// UTF-8 checks for bytes that came from outside (decoded paths and queries, header
// values). JSON bodies are checked by their parser; these are for everything else
// that may end up in a store: PostgreSQL refuses invalid UTF-8 and NUL in text, and
// one refused audit row must not be able to block the rows behind it.

#include <cstddef>
#include <string>
#include <string_view>

namespace keyward::core {

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF), or 0. ASCII bytes have length 1.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// True when `s` is well-formed UTF-8 without NUL.
bool IsStorableText(std::string_view s);

// `s` with every ill-formed byte and every control character (C0 and DEL) replaced
// by '?': always storable, and safe to show in a log line.
std::string ScrubText(std::string_view s);

}  // namespace keyward::core

#endif  // KEYWARD_INCLUDE_KEYWARD_CORE_UTF8_H_
