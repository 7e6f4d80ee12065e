#include "keyward/core/key_format.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "keyward/core/base62.h"

namespace keyward::core {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Writes the checksum of `body` into `out` as fixed-width base62, without allocating,
// so DisplayPrefix can run on the hot path before any other work.
void ChecksumChars(std::string_view body,
                   std::array<char, KeyFormat::kChecksumChars>& out) {
  std::uint32_t crc = Crc32(body);
  for (std::size_t i = out.size(); i-- > 0;) {
    out[i] = kBase62Alphabet[crc % 62];
    crc /= 62;
  }
}

}  // namespace

KeyFormat::KeyFormat(std::string prefix) : prefix_(std::move(prefix)) {
  if (!IsValidPrefix(prefix_)) {
    throw std::invalid_argument("invalid key prefix: " + prefix_);
  }
}

bool KeyFormat::IsValidPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > kMaxPrefixLength) return false;
  if (prefix.front() < 'a' || prefix.front() > 'z') return false;
  // After the first letter: lowercase alphanumerics, with single '_' separators that
  // are never last. That keeps "<prefix>_" unambiguous when a key is read back.
  bool after_underscore = false;
  for (const char c : prefix.substr(1)) {
    if (c == '_') {
      if (after_underscore) return false;
      after_underscore = true;
    } else if (IsLowerAlnum(c)) {
      after_underscore = false;
    } else {
      return false;
    }
  }
  return !after_underscore;
}

KeyFormat::GeneratedKey KeyFormat::Generate(RandomSource& random) const {
  std::array<std::uint8_t, kRandomBytes> bytes{};
  random.Fill(bytes);
  std::string random_chars = EncodeBase62(bytes, kRandomChars);
  sodium_memzero(bytes.data(), bytes.size());

  GeneratedKey out;
  // Reserve up front so the secret is never left behind in a reallocated buffer.
  out.key.reserve(key_length());
  out.key.append(prefix_).append(1, '_').append(random_chars);
  sodium_memzero(random_chars.data(), random_chars.size());
  std::array<char, kChecksumChars> checksum{};
  ChecksumChars(out.key, checksum);
  out.key.append(checksum.data(), checksum.size());
  out.display_prefix = out.key.substr(0, display_prefix_length());
  return out;
}

std::optional<std::string_view> KeyFormat::DisplayPrefix(std::string_view key) const {
  if (key.size() != key_length()) return std::nullopt;
  if (key.substr(0, prefix_.size()) != prefix_ || key[prefix_.size()] != '_') {
    return std::nullopt;
  }
  const std::size_t body_length = key.size() - kChecksumChars;
  bool base62 = true;  // without a branch per character
  for (std::size_t i = prefix_.size() + 1; i < key.size(); ++i) {
    base62 &= IsBase62Char(key[i]);
  }
  if (!base62) return std::nullopt;
  std::array<char, kChecksumChars> expected{};
  ChecksumChars(key.substr(0, body_length), expected);
  if (key.substr(body_length) != std::string_view(expected.data(), expected.size())) {
    return std::nullopt;
  }
  return key.substr(0, display_prefix_length());
}

}  // namespace keyward::core
