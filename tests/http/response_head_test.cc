// AppendResponseHead must write what Beast's serializer wrote for the same
// response before the transport formatted heads itself.
#define BOOST_ASIO_NO_DEPRECATED
#define BOOST_BEAST_USE_STD_STRING_VIEW
#include "keyward/http/response_head.h"

#include <gtest/gtest.h>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

namespace keyward::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// The head Beast writes for `r` (the transport's former Write()).
std::string BeastHead(const Response& r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  for (const auto& [name, value] : r.headers) {
    if (beast::iequals(name, "Content-Length") ||
        beast::iequals(name, "Transfer-Encoding") || beast::iequals(name, "Connection")) {
      continue;
    }
    res.insert(name, value);
  }
  res.keep_alive(keep_alive);
  if (r.status != 204 && r.status != 304) res.content_length(r.body.size());
  std::ostringstream os;
  os << res.base();
  return os.str();
}

std::string Head(const Response& r, unsigned version, bool keep_alive) {
  std::string out = "kept";  // appends
  AppendResponseHead(out, r, version, keep_alive);
  return out.substr(4);
}

TEST(ResponseHeadTest, MatchesBeastsSerializer) {
  std::vector<Response> responses;
  Response ok;
  ok.headers = {{"Content-Type", "application/json"},
                {"X-Keyward-Key-Id", "key_1"},
                {"RateLimit", "\"default\";r=59;t=41"},
                {"content-length", "999"},  // the transport's to set
                {"Connection", "close"},
                {"transfer-encoding", "chunked"},
                {"x-empty", ""}};
  ok.body = R"({"code":"VALID","valid":true})";
  responses.push_back(ok);
  for (int status : {204, 304, 401, 404, 429, 431, 503, 299, 599}) {
    Response r;
    r.status = status;
    r.headers = {{"WWW-Authenticate", "Bearer realm=\"keyward\""}};
    r.body = status == 204 ? "" : "{}";
    responses.push_back(r);
  }
  for (const Response& r : responses) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {false, true}) {
        EXPECT_EQ(Head(r, version, keep_alive), BeastHead(r, version, keep_alive))
            << r.status << " " << version << " " << keep_alive;
      }
    }
  }
}

TEST(ResponseHeadTest, SpellsOutAKeepAliveAnswer) {
  Response r;
  r.headers = {{"Content-Type", "text/plain"}};
  r.body = "hello";
  EXPECT_EQ(Head(r, 11, true),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(Head(r, 10, true),
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n"
            "Content-Length: 5\r\n\r\n");
}

// The status line names 413 and 422 as RFC 9110 does, as their problem titles do
// (Beast still has RFC 7231's "Payload Too Large" and "Unprocessable Entity").
TEST(ResponseHeadTest, ReasonPhrasesAreRfc9110s) {
  Response r;
  r.status = 413;
  EXPECT_EQ(Head(r, 11, false).substr(0, 32), "HTTP/1.1 413 Content Too Large\r\n");
  r.status = 422;
  EXPECT_EQ(Head(r, 11, false).substr(0, 36), "HTTP/1.1 422 Unprocessable Content\r\n");
}

// Small bodies go behind the head (one record, one write); none for 204, 304 and
// HEAD; a larger body is left for a second write.
TEST(ResponseHeadTest, FormatResponseIntoInlinesOnlySmallBodiesThatExist) {
  Response r;
  r.body = "hello";
  std::string out = "stale";
  ASSERT_TRUE(FormatResponseInto(out, r, 11, true, false, 5));
  EXPECT_EQ(out.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_TRUE(out.ends_with("\r\n\r\nhello")) << out;
  EXPECT_EQ(out.find("stale"), std::string::npos);

  ASSERT_FALSE(FormatResponseInto(out, r, 11, true, false, 4));
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;  // the head alone

  ASSERT_TRUE(FormatResponseInto(out, r, 11, true, /*head=*/true, 4));
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
  r.status = 204;
  ASSERT_TRUE(FormatResponseInto(out, r, 11, true, false, 4));
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
}

}  // namespace
}  // namespace keyward::http
