// Transport-neutral HTTP request/response values.
//
// http/ (Beast) converts wire messages to and from these, so api/ handlers never
// include Beast or Asio headers. Header names are matched case-insensitively.
// Values are plain data: thread-compatible.
#ifndef KEYWARD_HTTP_MESSAGE_H_
#define KEYWARD_HTTP_MESSAGE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyward/http/fields.h"

namespace keyward::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive ASCII comparison for header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // upper-case, e.g. "GET"
  std::string target;  // raw request-target, path plus query
  HeaderList headers;
  std::string body;
  std::string peer_ip;  // TCP peer address, textual ("127.0.0.1", "::1")
  bool tls = false;

  // First header with this name, if any.
  std::optional<std::string_view> Header(std::string_view name) const;
  // How many headers carry this name.
  int HeaderCount(std::string_view name) const;
};

struct Response {
  int status = 200;
  Fields headers;  // Content-Length is set by the transport
  std::string body;

  void Set(FieldName name, std::string_view value) { headers.Set(name, value); }
};

// A handler turns a request into a response. It must not throw; the transport
// answers 500 if it does. Called concurrently from several worker threads.
using Handler = std::function<Response(const Request&)>;

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_MESSAGE_H_
