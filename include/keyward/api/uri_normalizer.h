// The one URI normaliser forward auth matches routes on (contract section 4.2).
//
// A gateway forwards the client's request target as it arrived; an upstream will
// later decode and resolve it its own way. Matching the raw string lets a client
// pick a form that misses a route but reaches the same upstream resource
// (`/api/%61dmin`, `//api/admin`, `/api/logs/../admin`). So the path is brought to
// RFC 3986 section 6 normal form, and anything whose meaning differs between
// upstreams is refused instead of guessed:
//   * percent-encoded unreserved characters are decoded, other escapes keep their
//     octet with upper-case hex;
//   * dot segments are removed and repeated '/' merged;
//   * the query (and anything after '#') is dropped;
//   * refused: a target that is not an absolute path, one longer than
//     kMaxUriLength, a '..' that climbs above the root, an encoded '/', '\', ';',
//     '%' (double encoding) or NUL, a raw '\' or ';', and any control, space or
//     non-ASCII byte (raw or encoded control).
// Pure function; thread-safe.
#ifndef KEYWARD_API_URI_NORMALIZER_H_
#define KEYWARD_API_URI_NORMALIZER_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace keyward::api {

inline constexpr std::size_t kMaxUriLength = 4096;

struct NormalizedPath {
  bool ok = false;
  std::string path;        // the normal form when ok, e.g. "/api/admin/users"
  std::string_view error;  // why not, when !ok (a static string, safe to show)
};

NormalizedPath NormalizePath(std::string_view uri);

}  // namespace keyward::api

#endif  // KEYWARD_API_URI_NORMALIZER_H_
