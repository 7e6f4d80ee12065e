// Request-target parsing: path, percent-decoded query parameters, list cursors.
// Pure functions; thread-safe.
#ifndef KEYWARD_API_TARGET_H_
#define KEYWARD_API_TARGET_H_

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyward::api {

// Requests carry a parameter or two: held inline, without a heap block per request.
using QueryList = boost::container::small_vector<std::pair<std::string, std::string>, 4>;
using QueryValues = boost::container::small_vector<std::string, 4>;

struct Target {
  std::string path;  // percent-decoded path (for display and prefix tests)
  // The path as sent, still encoded. Routing splits this on '/' and decodes each
  // segment alone, so an encoded '/' inside an id never splits it.
  std::string raw_path;
  QueryList query;  // decoded, in order

  // First value of `name`, if present.
  std::optional<std::string> Query(std::string_view name) const;
  QueryValues QueryAll(std::string_view name) const;
};

// At most this many query parameters: no route reads more than a few, and each one
// parsed is two strings, so a head full of "&a" would cost a request megabytes.
inline constexpr std::size_t kMaxQueryParams = 100;

// nullopt when the target is not origin-form, has a bad percent escape, or has more
// than kMaxQueryParams query parameters.
std::optional<Target> ParseTarget(std::string_view target);
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);
// The value of one hex digit (either case), or -1.
int HexDigitValue(char c);

// List cursors are opaque to clients; inside they carry the last row's sequence number.
std::string EncodeCursor(std::int64_t after);
std::optional<std::int64_t> DecodeCursor(std::string_view cursor);

}  // namespace keyward::api

#endif  // KEYWARD_API_TARGET_H_
