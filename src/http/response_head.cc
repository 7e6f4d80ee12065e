#include "keyward/http/response_head.h"

#include <ostream>  // Beast's string_view header needs it complete

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>

namespace keyward::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

void AppendUnsigned(std::string& out, std::size_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

bool IsFramingField(std::string_view name) {
  return beast::iequals(name, "Content-Length") ||
         beast::iequals(name, "Transfer-Encoding") || beast::iequals(name, "Connection");
}

// The status line's reason phrase: RFC 9110's, where it renamed one that Beast
// still spells the RFC 7231 way (so the line agrees with the problem's title).
std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 413:
      return "Content Too Large";
    case 422:
      return "Unprocessable Content";
    default:
      return bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  }
}

}  // namespace

void AppendResponseHead(std::string& out, const Response& response, unsigned version,
                        bool keep_alive) {
  const int s = response.status;
  out += "HTTP/";
  AppendUnsigned(out, version / 10);
  out += '.';
  AppendUnsigned(out, version % 10);
  out += ' ';
  AppendUnsigned(out, static_cast<std::size_t>(s));
  out += ' ';
  out += ReasonPhrase(s);
  out += "\r\n";
  if (!response.headers.has_framing()) {
    out += response.headers.wire();
  } else {
    for (const auto& [name, value] : response.headers) {
      // Framing is the transport's job: the handler's values would only conflict.
      if (IsFramingField(name)) continue;
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
  }
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  if (s != 204 && s != 304) {
    // HEAD announces the length the GET body would have.
    out += "Content-Length: ";
    AppendUnsigned(out, response.body.size());
    out += "\r\n";
  }
  out += "\r\n";
}

bool FormatResponseInto(std::string& out, const Response& response, unsigned version,
                        bool keep_alive, bool head, std::size_t inline_body) {
  out.clear();
  AppendResponseHead(out, response, version, keep_alive);
  if (response.status == 204 || response.status == 304 || head) return true;
  if (response.body.size() > inline_body) return false;
  out += response.body;
  return true;
}

}  // namespace keyward::http
