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
  for (const char ch : data) {
    crc = kCrcTable[(crc ^ static_cast<std::uint8_t>(ch)) & 0xFFU] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFU;
}

}  // namespace keyward::core
