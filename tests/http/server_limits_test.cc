// What the transport answers on its own: limits, garbage, slow clients.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server_fixture.h"
#include "keyward/http/server.h"
#include "support/https_client.h"

namespace keyward::http {
namespace {

using keyward::testing::HttpsClient;
using test::RunningServer;
using test::TestOptions;

// Records what Server::on_transport_response saw.
class Observed {
 public:
  std::function<void(int)> Callback() {
    return [this](int status) {
      std::lock_guard lock(mu_);
      statuses_.push_back(status);
    };
  }
  std::vector<int> statuses() {
    std::lock_guard lock(mu_);
    return statuses_;
  }

 private:
  std::mutex mu_;
  std::vector<int> statuses_;
};

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

void ExpectProblem(const std::string& raw, int status, const std::string& code) {
  EXPECT_EQ(raw.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u) << raw;
  EXPECT_TRUE(Contains(raw, "Content-Type: application/problem+json")) << raw;
  EXPECT_TRUE(Contains(raw, "Connection: close")) << raw;
  EXPECT_TRUE(Contains(raw, R"({"type":"about:blank","title":")")) << raw;
  EXPECT_TRUE(Contains(raw, R"("status":)" + std::to_string(status) + ",")) << raw;
  EXPECT_TRUE(Contains(raw, R"("code":")" + code + R"("})")) << raw;
}

TEST(ServerLimitsTest, OversizedHeaderGets431) {
  Observed observed;
  RunningServer s(TestOptions(), test::Echo, observed.Callback());
  HttpsClient client("127.0.0.1", s.port());
  const std::string raw = client.SendRaw(
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9 * 1024, 'a') + "\r\n\r\n");
  ExpectProblem(raw, 431, "header_too_large");
  EXPECT_EQ(observed.statuses(), std::vector<int>{431});
  // Send() reports it the same way.
  auto r = client.Send("GET", "/", {{"X-Big", std::string(9 * 1024, 'b')}});
  EXPECT_EQ(r.status, 431);
}

// Beast holds the start line and the fields each to header_limit, so a long target
// and long fields, each under the limit, made a head of twice it (attack review of
// session 8). The head as a whole is held to max_header_bytes; one just within it
// still passes.
TEST(ServerLimitsTest, TheWholeHeadStartLineIncludedIsHeldToTheLimit) {
  ServerOptions o = TestOptions();
  o.max_header_bytes = 8192;
  Observed observed;
  RunningServer s(o, test::Echo, observed.Callback());
  HttpsClient client("127.0.0.1", s.port());
  const auto head = [](std::size_t target, std::size_t field) {
    return "GET /?" + std::string(target, 't') +
           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-P: " +
           std::string(field, 'p') + "\r\n\r\n";
  };
  // The start line and the fields each under the limit, together over it.
  ExpectProblem(client.SendRaw(head(6000, 6000)), 431, "header_too_large");
  ExpectProblem(client.SendRaw(head(7000, 1500)), 431, "header_too_large");
  EXPECT_EQ(observed.statuses(), (std::vector<int>{431, 431}));
  // 8192 bytes in all pass; one more does not.
  const std::size_t rest = 8192 - head(4000, 0).size();
  ASSERT_EQ(head(4000, rest).size(), 8192u);
  EXPECT_EQ(client.SendRaw(head(4000, rest)).rfind("HTTP/1.1 200 ", 0), 0u);
  ExpectProblem(client.SendRaw(head(4000, rest + 1)), 431, "header_too_large");
}

TEST(ServerLimitsTest, OversizedBodyGets413) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 1000;
  Observed observed;
  RunningServer s(o, test::Echo, observed.Callback());
  HttpsClient client("127.0.0.1", s.port());
  EXPECT_EQ(client.Send("POST", "/", {}, std::string(1000, 'x')).status, 200);
  auto r = client.Send("POST", "/", {}, std::string(1001, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(Contains(r.body, R"("code":"payload_too_large")")) << r.body;
  // Declared length over the limit, body far larger still: refused before reading it.
  const std::string raw =
      client.SendRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" +
                     std::string(300000, 'y'));
  ExpectProblem(raw, 413, "payload_too_large");
  // Chunked bodies count too.
  const std::string chunked = client.SendRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "800\r\n" +
      std::string(0x800, 'z') + "\r\n0\r\n\r\n");
  ExpectProblem(chunked, 413, "payload_too_large");
  EXPECT_EQ(observed.statuses(), (std::vector<int>{413, 413, 413}));
}

// header_limit does not cover trailers, and a trailer field past what Beast's field
// list holds made it throw out of the connection (attack review): no answer at all,
// and an error line per request. It is a field too large, so 431.
TEST(ServerLimitsTest, AnOversizedTrailerFieldGets431AndTheServerServesTheNextClient) {
  Observed observed;
  RunningServer s(TestOptions(), test::Echo, observed.Callback());
  HttpsClient client("127.0.0.1", s.port());
  ExpectProblem(
      client.SendRaw("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "2\r\n{}\r\n0\r\nX-T: " +
                     std::string(100000, 'a') + "\r\n\r\n"),
      431, "header_too_large");
  EXPECT_EQ(observed.statuses(), std::vector<int>{431});
  HttpsClient next("127.0.0.1", s.port());
  EXPECT_EQ(next.Send("GET", "/").status, 200);
}

TEST(ServerLimitsTest, GarbageGets400AndTheServerServesTheNextClient) {
  Observed observed;
  RunningServer s(TestOptions(), test::Echo, observed.Callback());
  HttpsClient client("127.0.0.1", s.port());
  ExpectProblem(client.SendRaw("\x16\x03garbage \x01\x02 not http\r\n\r\n"), 400,
                "bad_request");
  ExpectProblem(client.SendRaw("GET / HTTP/1.1\r\nBad Header\r\n\r\n"), 400,
                "bad_request");
  EXPECT_EQ(observed.statuses(), (std::vector<int>{400, 400}));
  EXPECT_EQ(client.Send("GET", "/").status, 200);
}

TEST(ServerLimitsTest, AMissingOrRepeatedHostGets400) {
  Observed observed;
  RunningServer s(TestOptions(), test::Echo, observed.Callback());
  HttpsClient a("127.0.0.1", s.port());
  ExpectProblem(a.SendRaw("GET / HTTP/1.1\r\n\r\n"), 400, "bad_request");
  HttpsClient b("127.0.0.1", s.port());
  ExpectProblem(b.SendRaw("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400,
                "bad_request");
  HttpsClient c("127.0.0.1", s.port());
  ExpectProblem(c.SendRaw("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"), 400,
                "bad_request");
  EXPECT_EQ(observed.statuses(), (std::vector<int>{400, 400, 400}));
  // HTTP/1.0 may leave Host out.
  HttpsClient d("127.0.0.1", s.port());
  const std::string old_client = d.SendRaw("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old_client.find(" 200 "), 8u) << old_client.substr(0, 40);
}

TEST(ServerLimitsTest, GarbageInPlainModeGets400) {
  RunningServer s(TestOptions(/*tls=*/false));
  HttpsClient client("127.0.0.1", s.port(), /*tls=*/false);
  ExpectProblem(client.SendRaw("HELLO\r\n\r\n"), 400, "bad_request");
  EXPECT_EQ(client.Send("GET", "/").status, 200);
}

TEST(ServerLimitsTest, NonTlsBytesOnTheTlsPortEndQuietly) {
  RunningServer s(TestOptions());
  HttpsClient plain("127.0.0.1", s.port(), /*tls=*/false);
  plain.set_timeout_seconds(3);
  EXPECT_EQ(plain.SendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "");
  HttpsClient client("127.0.0.1", s.port());
  EXPECT_EQ(client.Send("GET", "/").status, 200);
}

TEST(ServerLimitsTest, SlowClientIsDroppedAndTheServerStillServes) {
  ServerOptions o = TestOptions();
  o.request_timeout_seconds = 1;
  RunningServer s(o);
  HttpsClient slow("127.0.0.1", s.port());
  slow.set_timeout_seconds(5);
  const auto start = std::chrono::steady_clock::now();
  const std::string raw = slow.SendRaw("GET / HTTP/1.1\r\nHost: loc");  // never finished
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(raw, "");
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(4))
      << "dropped by the deadline, not our timeout";
  HttpsClient client("127.0.0.1", s.port());
  EXPECT_EQ(client.Send("GET", "/").status, 200);
}

TEST(ServerLimitsTest, SilentConnectionAfterHandshakeIsDropped) {
  ServerOptions o = TestOptions();
  o.request_timeout_seconds = 1;
  RunningServer s(o);
  HttpsClient silent("127.0.0.1", s.port());
  silent.set_timeout_seconds(5);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(silent.SendRaw(""), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(ServerLimitsTest, IdleKeepAliveConnectionIsClosedAndClientReconnects) {
  ServerOptions o = TestOptions();
  o.idle_timeout_seconds = 1;
  RunningServer s(o);
  HttpsClient client("127.0.0.1", s.port());
  ASSERT_EQ(client.Send("GET", "/").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(client.Send("GET", "/").status, 200);
  EXPECT_EQ(client.connections_opened(), 2);
}

// The connection's timer fires once per shortest timeout and must then follow the
// deadline the last read or write set, not close the connection on its first tick:
// here requests keep one connection busy for three request timeouts, and an idle
// wait longer than the request timeout is honoured.
TEST(ServerLimitsTest, AKeepAliveConnectionOutlivesItsTimersPeriod) {
  ServerOptions o = TestOptions();
  o.request_timeout_seconds = 1;
  o.idle_timeout_seconds = 3;
  RunningServer s(o);
  HttpsClient client("127.0.0.1", s.port());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(client.Send("GET", "/").status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1800));  // idle, past 1 s
  ASSERT_EQ(client.Send("GET", "/").status, 200);
  EXPECT_EQ(client.connections_opened(), 1);
}

}  // namespace
}  // namespace keyward::http
