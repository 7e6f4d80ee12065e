// Private: HTTP/1.1 framing rules the session applies to every message, kept apart
// from the connection loop (session.cc) so each stays one concept.
#ifndef KEYWARD_SRC_HTTP_FRAMING_H_
#define KEYWARD_SRC_HTTP_FRAMING_H_

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "keyward/http/message.h"
#include "transport_error.h"

namespace keyward::http::internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// How much a connection reads at once, and holds.
inline constexpr std::size_t kReadChunk = 16 * 1024;
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// Bodies up to this size are copied behind the head and sent in one write.
inline constexpr std::size_t kInlineBodyBytes = 16 * 1024;
// The most unparsed bytes a connection holds. Beast parses a chunked body's trailer
// section only once it is whole, and throws (out of the I/O thread's run loop, not
// into this coroutine) for a field value of 64 KiB or more; a buffer that cannot
// hold one turns that into buffer_overflow, a 431. Must exceed the largest
// max_header_bytes the config allows (60 KiB) and kReadChunk.
inline constexpr std::size_t kMaxBufferedBytes = 64 * 1024;

inline bool ValueHasToken(std::string_view value, std::string_view token) {
  for (const auto part : bhttp::token_list(value)) {
    if (beast::iequals(part, token)) return true;
  }
  return false;
}

// True when the request has no Transfer-Encoding, or exactly one coding "chunked"
// (in one field). Anything else is a coding we would not decode.
template <class Fields>
bool OnlyChunkedCoding(const Fields& h) {
  std::size_t fields = 0, codings = 0;
  bool chunked = false;
  const auto [first, last] = h.equal_range(bhttp::field::transfer_encoding);
  for (auto it = first; it != last; ++it) {
    ++fields;
    for (const auto part : bhttp::token_list(it->value())) {
      ++codings;
      chunked = beast::iequals(part, "chunked");
    }
  }
  return fields == 0 || (fields == 1 && codings == 1 && chunked);
}

// True when the handler's answer says "Connection: close".
inline bool AsksToClose(const Fields& headers) {
  if (!headers.has_framing()) return false;
  for (const auto& [name, value] : headers) {
    if (beast::iequals(name, "Connection") && ValueHasToken(value, "close")) return true;
  }
  return false;
}

// Why the transport refuses a request head before reading its body, if it does.
template <class Header>
std::optional<TransportError> RefusedHead(const Header& h) {
  // RFC 9112 3.2: an HTTP/1.1 request without Host, or any request with more than
  // one, is answered 400: the two hops of a proxy chain could each read a different
  // one.
  if (h.count(bhttp::field::host) > 1 ||
      (h.version() >= 11 && h.count(bhttp::field::host) == 0)) {
    return TransportError::kBadRequest;
  }
  // Beast frames "gzip, chunked" as chunked and would hand over the still gzip-coded
  // bytes as the body: refuse any coding we do not decode. (HTTP/1.0 has no
  // transfer codings: RFC 9112 6.1 says treat them as faulty.)
  if (!OnlyChunkedCoding(h) ||
      (h.version() < 11 && h.count(bhttp::field::transfer_encoding) > 0)) {
    return TransportError::kNotImplemented;
  }
  return std::nullopt;
}

// Copies a request's head into `out`, reusing the strings (and so the heap blocks)
// the previous request on the connection left there. Called once the header is
// parsed and before any body: a chunked body's trailer fields, which Beast adds to
// the same field list later (and next to a header field of the same name), never
// reach the handler. RFC 9110 6.5.1: trailers must not be merged into the header
// section, or a trailer could add an X-Forwarded-For, an Authorization or a second
// Host after the checks of the head.
template <class Header>
void CopyHead(const Header& in, Request& out) {
  // Methods are case-sensitive (RFC 9110 9.1): "delete" is not DELETE.
  out.method.assign(in.method_string());
  out.target.assign(in.target());
  std::size_t n = 0;
  for (const auto& field : in) {
    if (n == out.headers.size()) out.headers.emplace_back();
    out.headers[n].first.assign(field.name_string());
    out.headers[n].second.assign(field.value());
    ++n;
  }
  out.headers.resize(n);
}

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_FRAMING_H_
