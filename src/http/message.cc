#include "keyward/http/message.h"

#include <array>

namespace keyward::http {

namespace {

// ASCII lower case by table: header names are compared on every lookup and on
// every Response::Set (a dozen per API answer), mostly names of equal length.
constexpr std::array<unsigned char, 256> kLower = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return t;
}();

}  // namespace

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (kLower[static_cast<unsigned char>(a[i])] !=
        kLower[static_cast<unsigned char>(b[i])])
      return false;
  }
  return true;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

int Request::HeaderCount(std::string_view name) const {
  int n = 0;
  for (const auto& [k, v] : headers) n += HeaderNameEquals(k, name) ? 1 : 0;
  return n;
}

}  // namespace keyward::http
