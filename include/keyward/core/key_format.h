// KeyFormat: the shape of an API key string (contract section 2).
//
//   <prefix> "_" <43 base62 chars: 32 random bytes> <6 base62 chars: CRC-32>
//
// With the default prefix "kw" a key is 52 characters and matches
// kw_[0-9A-Za-z]{49}. The display prefix (<prefix> "_" and the first 9 random
// characters) is stored in clear and is the index look-up key; the checksum lets a
// typo or a truncated paste be rejected as MALFORMED without any look-up.
// A KeyFormat is immutable after construction: safe to share between threads.
#ifndef KEYWARD_CORE_KEY_FORMAT_H_
#define KEYWARD_CORE_KEY_FORMAT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "keyward/core/random.h"

namespace keyward::core {

class KeyFormat {
 public:
  static constexpr std::size_t kRandomBytes = 32;
  static constexpr std::size_t kRandomChars = 43;
  static constexpr std::size_t kChecksumChars = 6;
  static constexpr std::size_t kDisplayRandomChars = 9;
  static constexpr std::size_t kMaxPrefixLength = 20;

  struct GeneratedKey {
    std::string key;             // the full secret; shown once, then wiped by the caller
    std::string display_prefix;  // e.g. "kw_AbCdEfGhI"
  };

  // Throws std::invalid_argument when !IsValidPrefix(prefix); configuration is
  // validated before this, so that only happens on a programming error.
  explicit KeyFormat(std::string prefix = "kw");

  // True iff `prefix` matches [a-z][a-z0-9]*(_[a-z0-9]+)* and has at most 20 chars.
  static bool IsValidPrefix(std::string_view prefix);

  // Draws 32 bytes from `random` and returns a new key and its display prefix.
  // The raw bytes are wiped before returning.
  GeneratedKey Generate(RandomSource& random) const;

  // Returns the display prefix of `key` (a view into `key`) iff `key` has exactly
  // this format's length, prefix, alphabet and a matching checksum; otherwise
  // nullopt, meaning MALFORMED. Does not allocate; cost is linear in the key length.
  std::optional<std::string_view> DisplayPrefix(std::string_view key) const;

  const std::string& prefix() const { return prefix_; }
  // Total length of a key in this format (52 for "kw").
  std::size_t key_length() const {
    return prefix_.size() + 1 + kRandomChars + kChecksumChars;
  }
  // Length of a display prefix in this format (12 for "kw").
  std::size_t display_prefix_length() const {
    return prefix_.size() + 1 + kDisplayRandomChars;
  }

 private:
  std::string prefix_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_KEY_FORMAT_H_
