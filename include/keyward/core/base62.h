// Base62 encoding and CRC-32: the two encodings that make up an API key string.
//
// Base62 here is a big-endian big-number encoding with the alphabet 0-9A-Za-z, so the
// same bytes always give the same characters and lexical order follows numeric order.
// CRC-32 is the IEEE 802.3 variant (the one zlib and secret scanners use).
// All functions are pure and thread-safe.
#ifndef KEYWARD_CORE_BASE62_H_
#define KEYWARD_CORE_BASE62_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace keyward::core {

inline constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// True iff `c` is one of the 62 alphabet characters.
inline constexpr std::array<bool, 256> kBase62Chars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
  return t;
}();
// By table: every presented key's ~50 characters go through this.
constexpr bool IsBase62Char(char c) {
  return kBase62Chars[static_cast<unsigned char>(c)];
}

// Encodes `bytes` as one big-endian unsigned number in base62 (zero is "0"),
// left-padded with '0' to at least `width` characters. Never truncates: a number that
// needs more than `width` digits is returned in full. Internal scratch copies are wiped,
// so this is safe to use on secret bytes (the returned string is the caller's to wipe).
std::string EncodeBase62(std::span<const std::uint8_t> bytes, std::size_t width);

// Encodes `v` in base62, left-padded with '0' to at least `width` characters.
std::string EncodeBase62(std::uint32_t v, std::size_t width);

// CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320, init and final xor
// 0xFFFFFFFF). Crc32("123456789") == 0xCBF43926.
std::uint32_t Crc32(std::string_view data);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_BASE62_H_
