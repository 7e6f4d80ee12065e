#include "keyward/core/base62.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <vector>

namespace keyward::core {
namespace {

// The table is built at compile time so there is no first-use race and no zlib.
constexpr std::array<std::uint32_t, 256> MakeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    }
    table[i] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kCrcTable = MakeCrcTable();

// Slicing-by-8 (Intel's method): table k holds the CRC of a byte followed by k zero
// bytes, so eight bytes fold in per step instead of one. Every key verification
// checks its checksum before anything else, so this runs on every request.
constexpr std::array<std::array<std::uint32_t, 256>, 8> MakeSlicedTables() {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  t[0] = kCrcTable;
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::uint32_t i = 0; i < 256; ++i) {
      t[k][i] = (t[k - 1][i] >> 8) ^ kCrcTable[t[k - 1][i] & 0xFFU];
    }
  }
  return t;
}

constexpr std::array<std::array<std::uint32_t, 256>, 8> kSliced = MakeSlicedTables();

}  // namespace

std::string EncodeBase62(std::span<const std::uint8_t> bytes, std::size_t width) {
  // Schoolbook long division by 62, one byte at a time. Keys are 16 or 32 bytes, so
  // the quadratic cost is a few thousand cheap operations.
  std::vector<std::uint8_t> number(bytes.begin(), bytes.end());
  std::string digits;  // least significant first
  digits.reserve(std::max<std::size_t>(width, bytes.size() * 2));
  std::size_t start = 0;  // index of the first non-zero byte of `number`
  while (start < number.size() && number[start] == 0) ++start;
  while (start < number.size()) {
    std::uint32_t remainder = 0;
    for (std::size_t i = start; i < number.size(); ++i) {
      const std::uint32_t acc = (remainder << 8) | number[i];
      number[i] = static_cast<std::uint8_t>(acc / 62);
      remainder = acc % 62;
    }
    digits.push_back(kBase62Alphabet[remainder]);
    while (start < number.size() && number[start] == 0) ++start;
  }
  if (!number.empty()) sodium_memzero(number.data(), number.size());
  if (digits.empty()) digits.push_back('0');  // zero is "0", not ""
  if (digits.size() < width) digits.append(width - digits.size(), '0');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string EncodeBase62(std::uint32_t v, std::size_t width) {
  std::string digits;
  while (v != 0) {
    digits.push_back(kBase62Alphabet[v % 62]);
    v /= 62;
  }
  if (digits.empty()) digits.push_back('0');
  if (digits.size() < width) digits.append(width - digits.size(), '0');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFU;
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(data[i]));
  };
  std::size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    const std::uint32_t lo =
        crc ^ (byte(i) | byte(i + 1) << 8 | byte(i + 2) << 16 | byte(i + 3) << 24);
    crc = kSliced[7][lo & 0xFFU] ^ kSliced[6][(lo >> 8) & 0xFFU] ^
          kSliced[5][(lo >> 16) & 0xFFU] ^ kSliced[4][lo >> 24] ^
          kSliced[3][byte(i + 4)] ^ kSliced[2][byte(i + 5)] ^ kSliced[1][byte(i + 6)] ^
          kSliced[0][byte(i + 7)];
  }
  data.remove_prefix(i);
  for (const char ch : data) {
    crc = kCrcTable[(crc ^ static_cast<std::uint8_t>(ch)) & 0xFFU] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFU;
}

}  // namespace keyward::core
