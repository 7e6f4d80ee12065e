// RedactKeyLike: the last guard before text that may quote a request goes to a
// client (problem details). Validation messages quote the value they reject, and a
// user may paste a key into any field (a scope, an IP list entry); the contract says
// no error body ever holds a full key.
#ifndef KEYWARD_CORE_REDACT_H_
#define KEYWARD_CORE_REDACT_H_

#include <string>
#include <string_view>

namespace keyward::core {

// Runs of base62 characters this long or longer are cut to their first
// kRedactKeep characters followed by "...". A key's random part is 49 characters,
// its display part 9; ids (22) and display prefixes pass through unchanged.
inline constexpr std::size_t kRedactFrom = 32;
inline constexpr std::size_t kRedactKeep = 9;

std::string RedactKeyLike(std::string_view text);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_REDACT_H_
