// Fuzzes api::NormalizePath, the one normaliser forward-auth routes match on
// (contract section 4.2). Besides "no crash" it checks the properties route matching
// relies on: an accepted result is an absolute path in normal form, safe to compare
// byte for byte, and normalising it again changes nothing.
//
// Input: the raw URI.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "keyward/api/uri_normalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view uri(reinterpret_cast<const char*>(data), size);
  const keyward::api::NormalizedPath n = keyward::api::NormalizePath(uri);
  if (!n.ok) {
    FUZZ_CHECK(!n.error.empty());
    return 0;
  }
  FUZZ_CHECK(uri.find('#') == std::string_view::npos);
  const std::string_view p = n.path;
  FUZZ_CHECK(!p.empty() && p[0] == '/');
  FUZZ_CHECK(p.size() <= uri.size());  // decoding and merging only shorten
  FUZZ_CHECK(p.find("//") == std::string_view::npos);
  FUZZ_CHECK(p.find("/./") == std::string_view::npos);
  FUZZ_CHECK(p.find("/../") == std::string_view::npos);
  FUZZ_CHECK(p != "/." && !p.ends_with("/.") && !p.ends_with("/.."));
  FUZZ_CHECK(p.find_first_of("?#\\;") == std::string_view::npos);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    FUZZ_CHECK(c >= 0x21 && c < 0x7f);
    if (c == '%') {
      // What stays encoded is a well-formed upper-case escape of a reserved ASCII
      // octet that is not '/', '\', ';', '%' or a control.
      FUZZ_CHECK(i + 2 < p.size());
      const std::string_view hex = p.substr(i + 1, 2);
      FUZZ_CHECK(hex.find_first_not_of("0123456789ABCDEF") == std::string_view::npos);
      FUZZ_CHECK(hex != "2F" && hex != "5C" && hex != "3B" && hex != "25" &&
                 hex != "7F" && hex[0] >= '2' && hex[0] <= '7');
      const char d = static_cast<char>(std::stoi(std::string(hex), nullptr, 16));
      FUZZ_CHECK(!((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z') ||
                   (d >= '0' && d <= '9') || d == '-' || d == '.' || d == '_' ||
                   d == '~'));
    }
  }
  const keyward::api::NormalizedPath again = keyward::api::NormalizePath(p);
  FUZZ_CHECK(again.ok && again.path == n.path);
  return 0;
}
