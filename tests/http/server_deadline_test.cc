// The deadline of a connection's first request: the TLS handshake and the wait for
// the request's first bytes share one request timeout, and reading the request gets
// one more. So a client holds a connection for at most twice the timeout before it
// has sent a request, not once per phase.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http/server_fixture.h"
#include "http/stepped_tls_client.h"
#include "keyward/http/server.h"

namespace keyward::http {
namespace {

using std::chrono::milliseconds;
using test::RunningServer;
using test::SteppedTlsClient;
using test::TestOptions;

constexpr char kRequest[] = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

ServerOptions TwoSecondTimeout() {
  ServerOptions o = TestOptions();
  o.request_timeout_seconds = 2;
  return o;
}

// A slow handshake (1.2 s) followed by a request at once is served.
TEST(ServerDeadlineTest, ASlowHandshakeThenARequestIsServed) {
  RunningServer s(TwoSecondTimeout());
  SteppedTlsClient client(s.port());
  ASSERT_TRUE(client.HandshakeHoldingLastFlight());
  std::this_thread::sleep_for(milliseconds(1200));
  ASSERT_TRUE(client.SendHeld());
  const std::string answer = client.Exchange(kRequest);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
}

// The same handshake, then 1.4 s of silence: 2.6 s after connecting, past the one
// timeout the handshake and the first wait share, the connection is gone. (Each
// phase with a deadline of its own would have allowed 1.2 + 2 s.)
TEST(ServerDeadlineTest, TheHandshakeAndTheFirstWaitShareOneTimeout) {
  RunningServer s(TwoSecondTimeout());
  SteppedTlsClient client(s.port());
  ASSERT_TRUE(client.HandshakeHoldingLastFlight());
  std::this_thread::sleep_for(milliseconds(1200));
  ASSERT_TRUE(client.SendHeld());
  std::this_thread::sleep_for(milliseconds(1400));
  EXPECT_EQ(client.Exchange(kRequest).find("HTTP/1.1 200"), std::string::npos);
}

}  // namespace
}  // namespace keyward::http
