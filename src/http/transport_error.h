// Private: the responses the transport produces itself, as problem+json.
//
// When a request cannot reach the handler (oversized header or body, bytes that are
// not HTTP) or the handler throws, the transport answers on its own. The bodies are
// fixed RFC 9457 documents with the same members api/ uses ("type", "title",
// "status", "detail", "code") and never echo anything from the request.
//
// Thread-safety: pure functions.
#ifndef KEYWARD_SRC_HTTP_TRANSPORT_ERROR_H_
#define KEYWARD_SRC_HTTP_TRANSPORT_ERROR_H_

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <optional>

#include "keyward/http/message.h"

namespace keyward::http::internal {

enum class TransportError {
  kBadRequest,       // 400 bad_request: not parseable as HTTP/1.x
  kPayloadTooLarge,  // 413 payload_too_large: body over max_body_bytes
  kHeaderTooLarge,   // 431 header_too_large: request line + fields over the limit
  kNotImplemented,   // 501: a transfer coding other than chunked (RFC 9112 6.1)
  kBusy,             // 503: the offload pool is full (admin work waiting on the store)
  kInternal,         // 500 internal_error: the handler threw or answered nonsense
};

// The answer to a request whose reading failed with `ec` (Beast's parser errors),
// or nullopt when there is nobody to answer: a timeout, a reset, a truncation.
std::optional<TransportError> RefusalForReadError(const boost::system::error_code& ec);

// `limit` is the configured limit quoted in the detail of 413 and 431.
Response MakeTransportErrorResponse(TransportError error, std::size_t limit = 0);

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_TRANSPORT_ERROR_H_
