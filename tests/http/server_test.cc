// Round trips through the real transport: TLS, keep-alive, message conversion.
#include "keyward/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/server_fixture.h"
#include "support/https_client.h"

namespace keyward::http {
namespace {

using keyward::testing::HttpsClient;
using test::RunningServer;
using test::TestOptions;

TEST(ServerTest, GetRoundTripOverTls) {
  RunningServer s(TestOptions());
  ASSERT_TRUE(s.ok());
  ASSERT_NE(s.port(), 0);
  HttpsClient client("127.0.0.1", s.port());
  auto r = client.Send("GET", "/v1/echo?x=1", {{"X-Echo", "hello"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("X-Method"), "GET");
  EXPECT_EQ(r.Header("X-Target"), "/v1/echo?x=1");
  EXPECT_EQ(r.Header("X-Echo"), "hello");
  EXPECT_EQ(r.Header("X-Tls"), "1");
  EXPECT_EQ(r.Header("Content-Length"), "0");
}

TEST(ServerTest, PostBodyRoundTrip) {
  RunningServer s(TestOptions());
  HttpsClient client("127.0.0.1", s.port());
  const std::string body(100000, 'k');
  auto r = client.Send("POST", "/p", {{"Content-Type", "application/json"}}, body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("X-Method"), "POST");
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.Header("Content-Length"), std::to_string(body.size()));
}

TEST(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  RunningServer s(TestOptions());
  HttpsClient client("127.0.0.1", s.port());
  for (int i = 0; i < 5; ++i) {
    auto r = client.Send("POST", "/n", {}, std::to_string(i));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, std::to_string(i));
    EXPECT_NE(r.Header("Connection"), "close");
  }
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(ServerTest, PeerIpIsTheLoopbackAddress) {
  RunningServer s(TestOptions());
  HttpsClient client("127.0.0.1", s.port());
  EXPECT_EQ(client.Send("GET", "/").Header("X-Peer-Ip"), "127.0.0.1");
}

TEST(ServerTest, HandlerSeesMethodAsSentAndAllHeaders) {
  Request seen;
  std::mutex mu;
  RunningServer s(TestOptions(), [&](const Request& r) {
    std::lock_guard lock(mu);
    seen = r;
    return Response{204, {}, {}};
  });
  HttpsClient client("127.0.0.1", s.port());
  auto r =
      client.Send("delete", "/k/1", {{"X-A", "1"}, {"x-a", "2"}, {"Authorization", "t"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.Header("Content-Length"), "");
  std::lock_guard lock(mu);
  // Methods are case-sensitive: "delete" is not DELETE (issue 7, finding 13).
  EXPECT_EQ(seen.method, "delete");
  EXPECT_EQ(seen.HeaderCount("X-A"), 2);
  EXPECT_EQ(seen.Header("authorization").value_or(""), "t");
  EXPECT_TRUE(seen.tls);
}

// A head's fields are parsed into a per-connection arena, reused by the next
// request and spilled to the heap when a head outgrows it: small and large heads in
// turn on one connection must each reach the handler whole, none with a field of
// the one before.
TEST(ServerTest, HeadsOfAnySizeInTurnOnOneConnectionReachTheHandlerWhole) {
  std::vector<Request> seen;
  std::mutex mu;
  RunningServer s(TestOptions(), [&](const Request& r) {
    std::lock_guard lock(mu);
    seen.push_back(r);
    return Response{204, {}, {}};
  });
  HttpsClient client("127.0.0.1", s.port());
  const std::vector<int> fields_per_request = {1, 60, 2, 0, 40, 3, 80, 1};
  for (std::size_t i = 0; i < fields_per_request.size(); ++i) {
    std::vector<std::pair<std::string, std::string>> headers;
    for (int f = 0; f < fields_per_request[i]; ++f) {
      headers.emplace_back("X-F" + std::to_string(f),
                           std::string(40, static_cast<char>('a' + (i + f) % 26)));
    }
    ASSERT_EQ(client.Send("GET", "/r/" + std::to_string(i), headers).status, 204);
  }
  EXPECT_EQ(client.connections_opened(), 1);
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), fields_per_request.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].target, "/r/" + std::to_string(i));
    EXPECT_EQ(seen[i].Header("X-F" + std::to_string(fields_per_request[i])),
              std::nullopt);
    for (int f = 0; f < fields_per_request[i]; ++f) {
      EXPECT_EQ(seen[i].Header("X-F" + std::to_string(f)).value_or("?"),
                std::string(40, static_cast<char>('a' + (i + f) % 26)))
          << "request " << i << " field " << f;
    }
  }
}

TEST(ServerTest, HeadAnnouncesLengthWithoutBody) {
  RunningServer s(TestOptions(), [](const Request&) {
    return Response{200, {}, "12345"};
  });
  HttpsClient client("127.0.0.1", s.port());
  auto r = client.Send("HEAD", "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Length"), "5");
  EXPECT_EQ(r.body, "");
  // The connection is still in step: no stray body bytes were sent.
  auto g = client.Send("GET", "/");
  EXPECT_EQ(g.body, "12345");
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(ServerTest, ClientConnectionCloseIsHonoured) {
  RunningServer s(TestOptions());
  HttpsClient client("127.0.0.1", s.port());
  auto r = client.Send("GET", "/", {{"Connection", "close"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Connection"), "close");
  ASSERT_EQ(client.Send("GET", "/").status, 200);
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST(ServerTest, HandlerConnectionCloseIsHonoured) {
  RunningServer s(TestOptions(), [](const Request&) {
    Response r;
    r.Set("Connection", "close");
    r.Set("Content-Length", "999");  // the transport frames the body itself
    r.body = "bye";
    return r;
  });
  HttpsClient client("127.0.0.1", s.port());
  auto r = client.Send("GET", "/");
  EXPECT_EQ(r.body, "bye");
  EXPECT_EQ(r.Header("Content-Length"), "3");
  EXPECT_EQ(r.Header("Connection"), "close");
}

TEST(ServerTest, HandlerThatThrowsGives500WithoutDetail) {
  std::atomic<int> observed{0};
  RunningServer s(
      TestOptions(),
      [](const Request&) -> Response { throw std::runtime_error("secret kw_abc"); },
      [&](int status) { observed = status; });
  HttpsClient client("127.0.0.1", s.port());
  auto r = client.Send("GET", "/");
  ASSERT_EQ(r.status, 500);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_NE(r.body.find(R"("code":"internal_error")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("status":500)"), std::string::npos);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(observed.load(), 500);
  // The connection stays usable.
  EXPECT_EQ(client.Send("GET", "/").status, 500);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(ServerTest, HeaderInjectionFromHandlerGives500) {
  RunningServer s(TestOptions(), [](const Request&) {
    Response r;
    r.Set("X-Bad", "a\r\nSet-Cookie: x=1");
    return r;
  });
  HttpsClient client("127.0.0.1", s.port());
  auto r = client.Send("GET", "/");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.Header("Set-Cookie"), "");
}

// Each byte that could end a field (CR, LF, NUL) anywhere in a value, and each name
// that is not an RFC 9110 token, is refused; every token character is allowed.
TEST(ServerTest, EveryUnsafeHeaderByteFromTheHandlerGives500) {
  struct Case {
    std::string name, value;
    int status;
  };
  const std::vector<Case> cases = {
      {"X-A", "a\rb", 500},
      {"X-A", "a\nb", 500},
      {"X-A", std::string("a\0b", 3), 500},
      {"X-A", "\n", 500},
      {"X A", "v", 500},
      {"X:A", "v", 500},
      {"", "v", 500},
      {"X-\x80", "v", 500},
      {"!#$%&'*+-.^_`|~09azAZ", "tab\tand all of ~!@", 200},
  };
  std::atomic<int> next{0};
  RunningServer s(TestOptions(), [&](const Request&) {
    const Case& c = cases[next.fetch_add(1)];
    Response r;
    r.headers.emplace_back(FieldName(c.name), c.value);
    return r;
  });
  HttpsClient client("127.0.0.1", s.port());
  for (const Case& c : cases) {
    EXPECT_EQ(client.Send("GET", "/").status, c.status) << "name " << c.name;
  }
}

// A chunked body's trailer fields never join the headers the handler sees: else a
// trailer could add an X-Forwarded-For, an Authorization or a second Host after the
// transport checked the head (RFC 9110 6.5.1).
TEST(ServerTest, TrailerFieldsDoNotReachTheHandler) {
  RunningServer s(TestOptions(), [](const Request& req) {
    Response r;
    for (const auto& [name, value] : req.headers) r.body += name + "=" + value + ";";
    r.body += "|" + req.body;
    return r;
  });
  HttpsClient client("127.0.0.1", s.port());
  const std::string raw = client.SendRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.7\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "3\r\nabc\r\n0\r\nX-Forwarded-For: 203.0.113.50\r\nAuthorization: Bearer x\r\n"
      "Host: y\r\n\r\n");
  EXPECT_NE(raw.find("HTTP/1.1 200 OK"), std::string::npos) << raw;
  EXPECT_NE(raw.find("X-Forwarded-For=198.51.100.7;"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("203.0.113.50"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("Authorization"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("Host=y"), std::string::npos) << raw;
  EXPECT_NE(raw.find("|abc"), std::string::npos) << raw;
}

TEST(ServerTest, PlainHttpMode) {
  RunningServer s(TestOptions(/*tls=*/false));
  ASSERT_TRUE(s.ok());
  HttpsClient client("127.0.0.1", s.port(), /*tls=*/false);
  auto r = client.Send("POST", "/plain", {}, "body");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "body");
  EXPECT_EQ(r.Header("X-Tls"), "0");
}

TEST(ServerTest, ExpectContinueGetsAnInterim100) {
  RunningServer s(TestOptions());
  HttpsClient client("127.0.0.1", s.port());
  const std::string raw = client.SendRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n"
      "Connection: close\r\n\r\nabc");
  EXPECT_EQ(raw.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 0), 0u) << raw;
  EXPECT_EQ(raw.substr(raw.size() - 3), "abc");
  // Through the client, which skips interim responses.
  auto r = client.Send("POST", "/", {{"Expect", "100-continue"}}, "def");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "def");
}

TEST(ServerTest, DualStackListenerReportsIpv4PeerPlainly) {
  ServerOptions o = TestOptions();
  o.host = "::";
  RunningServer s(o);
  if (!s.ok()) GTEST_SKIP() << "no IPv6 on this machine";
  HttpsClient v4("127.0.0.1", s.port());
  EXPECT_EQ(v4.Send("GET", "/").Header("X-Peer-Ip"), "127.0.0.1");
  HttpsClient v6("::1", s.port());
  auto r = v6.Send("GET", "/");
  if (r.status == 0) GTEST_SKIP() << "no IPv6 loopback: " << r.body;
  EXPECT_EQ(r.Header("X-Peer-Ip"), "::1");
}

TEST(ServerTest, ConcurrentClientsAreAllServed) {
  RunningServer s(TestOptions());
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      HttpsClient client("127.0.0.1", s.port());
      for (int i = 0; i < 25; ++i) {
        const std::string body = std::to_string(c) + ":" + std::to_string(i);
        auto r = client.Send("POST", "/", {}, body);
        if (r.status == 200 && r.body == body) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 8 * 25);
}

TEST(ServerTest, CreateFailsOnAPortInUse) {
  RunningServer s(TestOptions());
  ServerOptions o = TestOptions();
  o.port = s.port();
  auto second = Server::Create(o, test::Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::kUnavailable);
}

TEST(ServerTest, CreateFailsOnMissingCertificateNamingIt) {
  ServerOptions o = TestOptions();
  o.cert_file = "/nonexistent/cert.pem";
  auto s = Server::Create(o, test::Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/nonexistent/cert.pem"), std::string::npos);
}

}  // namespace
}  // namespace keyward::http
