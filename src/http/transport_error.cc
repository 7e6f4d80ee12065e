#include "transport_error.h"

#include <boost/beast/http/error.hpp>
#include <string>

namespace keyward::http::internal {
namespace {

struct Problem {
  int status;
  const char* title;
  const char* code;
};

Problem Describe(TransportError error) {
  switch (error) {
    case TransportError::kBadRequest:
      return {400, "Bad Request", "bad_request"};
    case TransportError::kPayloadTooLarge:
      return {413, "Content Too Large", "payload_too_large"};
    case TransportError::kHeaderTooLarge:
      return {431, "Request Header Fields Too Large", "header_too_large"};
    case TransportError::kNotImplemented:
      return {501, "Not Implemented", "unsupported_transfer_coding"};
    case TransportError::kBusy:
      return {503, "Service Unavailable", "busy"};
    case TransportError::kInternal:
      break;
  }
  return {500, "Internal Server Error", "internal_error"};
}

std::string Detail(TransportError error, std::size_t limit) {
  switch (error) {
    case TransportError::kBadRequest:
      return "The request is not valid HTTP/1.1.";
    case TransportError::kPayloadTooLarge:
      return "The request body exceeds the limit of " + std::to_string(limit) + " bytes.";
    case TransportError::kHeaderTooLarge:
      return "The request header exceeds the limit of " + std::to_string(limit) +
             " bytes.";
    case TransportError::kNotImplemented:
      return "Only the chunked transfer coding is supported.";
    case TransportError::kBusy:
      return "Too many administrative requests are waiting; retry shortly.";
    case TransportError::kInternal:
      break;
  }
  // Deliberately vague: internal details go to the log, never to the client.
  return "The server could not complete the request.";
}

}  // namespace

Response MakeTransportErrorResponse(TransportError error, std::size_t limit) {
  const Problem p = Describe(error);
  Response r;
  r.status = p.status;
  r.Set("Content-Type", "application/problem+json");
  r.Set("Cache-Control", "no-store");
  if (error == TransportError::kBusy) r.Set("Retry-After", "1");
  // Every string here is a fixed ASCII literal without quotes or backslashes, so
  // plain concatenation is valid JSON.
  r.body = std::string(R"({"type":"about:blank","title":")") + p.title +
           R"(","status":)" + std::to_string(p.status) + R"(,"detail":")" +
           Detail(error, limit) + R"(","code":")" + p.code + R"("})";
  return r;
}

std::optional<TransportError> RefusalForReadError(const boost::system::error_code& ec) {
  namespace bhttp = boost::beast::http;
  // buffer_overflow: a chunked body's trailer section outgrew the connection's
  // buffer (header_limit does not cover trailers). Too large a field, like any other.
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return TransportError::kHeaderTooLarge;
  }
  if (ec == bhttp::error::body_limit) return TransportError::kPayloadTooLarge;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream) {
    return TransportError::kBadRequest;
  }
  return std::nullopt;
}

}  // namespace keyward::http::internal
