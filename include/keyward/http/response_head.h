// The status line and header block of an HTTP/1.x response, as the transport
// writes it: the handler's headers in order (minus the framing fields the
// transport owns: Content-Length, Transfer-Encoding, Connection), then Connection
// as keep-alive requires for the version, then Content-Length (none for 204/304).
// Byte for byte what Beast's serializer writes for the same message; formatted
// into a caller's buffer so the hot path builds no field objects. Pure function.
#ifndef KEYWARD_HTTP_RESPONSE_HEAD_H_
#define KEYWARD_HTTP_RESPONSE_HEAD_H_

#include <cstddef>
#include <string>

#include "keyward/http/message.h"

namespace keyward::http {

// Appends the head (ending in the blank line) to `out`. `version` is the
// request's, e.g. 11 for HTTP/1.1.
void AppendResponseHead(std::string& out, const Response& response, unsigned version,
                        bool keep_alive);

// Replaces `out` with the head and, unless the status or a HEAD request has none,
// a body of at most `inline_body` bytes behind it, so a small answer leaves in one
// TLS record and one system call. False when the body is larger and must be
// written after `out`.
bool FormatResponseInto(std::string& out, const Response& response, unsigned version,
                        bool keep_alive, bool head, std::size_t inline_body);

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_RESPONSE_HEAD_H_
