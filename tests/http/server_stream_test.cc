// The connection's reads and writes (tls_stream, plain_stream, stream_wait.h) as a
// client sees them: requests that arrive while the connection is busy elsewhere
// (an offloaded handler, a response the client is slow to read) are still read,
// and a client that leaves mid-response leaves the server up.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <string>
#include <thread>

#include "http/server_fixture.h"
#include "support/https_client.h"

namespace keyward::http {
namespace {

using keyward::testing::HttpsClient;
using test::RunningServer;
using test::TestOptions;

// More than both sockets buffer (tcp_wmem's 4 MiB and tcp_rmem's 6 MiB at most).
constexpr std::size_t kBigBody = 16 << 20;

// A blocking client connection, TLS or plain, that writes and reads raw bytes.
class RawConnection {
 public:
  // A read that waits longer than `timeout_s`: the server missed a request (it
  // would wait for it until its 30 s idle timeout).
  RawConnection(std::uint16_t port, bool tls, int timeout_s = 3) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeout_s, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (ok_ && tls) {
      ctx_ = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);  // the test's certificate
      ssl_ = SSL_new(ctx_);
      SSL_set_fd(ssl_, fd_);
      ok_ = SSL_connect(ssl_) == 1;
    }
  }
  ~RawConnection() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    ::close(fd_);
  }

  bool ok() const { return ok_; }
  bool Write(const std::string& bytes) {
    if (ssl_ != nullptr)
      return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) > 0;
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Up to `max` bytes; empty at the end of the connection or after a timeout.
  std::string Read(std::size_t max = 64 * 1024) {
    std::string buf(max, '\0');
    const int n = ssl_ != nullptr ? SSL_read(ssl_, buf.data(), static_cast<int>(max))
                                  : static_cast<int>(::recv(fd_, buf.data(), max, 0));
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
  }
  // Reads until `count` responses that end in `tail` have come, or the reads stop.
  std::string ReadUntil(const std::string& tail, int count, std::size_t at_least = 0) {
    std::string all;
    int seen = 0;
    std::size_t from = 0;  // where a match not yet counted may start
    for (;;) {
      for (std::size_t at = all.find(tail, from); at != std::string::npos;
           at = all.find(tail, at + 1)) {
        ++seen;
        from = at + 1;
      }
      if (all.size() >= tail.size()) from = std::max(from, all.size() - tail.size() + 1);
      if (seen >= count && all.size() >= at_least) return all;
      const std::string more = Read();
      if (more.empty()) return all;
      all += more;
    }
  }
  // While corked, what is written goes out in as few segments as it fits.
  void Cork(bool on) {
    const int v = on ? 1 : 0;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &v, sizeof v);
  }
  void EndWrites() { ::shutdown(fd_, SHUT_WR); }
  // Closes with a reset, without reading what the server still sends.
  void Abort() {
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool ok_ = false;
};

// SIGPIPE's disposition for a test's length.
class SigpipeAs {
 public:
  explicit SigpipeAs(void (*handler)(int)) : was_(std::signal(SIGPIPE, handler)) {}
  ~SigpipeAs() { std::signal(SIGPIPE, was_); }
  SigpipeAs(const SigpipeAs&) = delete;
  SigpipeAs& operator=(const SigpipeAs&) = delete;

 private:
  void (*was_)(int);
};

Response SlowOrBig(const Request& r) {
  Response out;
  out.Set("Content-Type", "text/plain");
  if (r.target == "/slow") {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    out.body = "slow-done";
  } else if (r.target == "/stale-error") {
    // Code on the I/O thread (a library, a handler) that leaves an error on
    // OpenSSL's per-thread queue, where SSL_get_error would read it.
    ERR_raise(ERR_LIB_SSL, SSL_R_BAD_LENGTH);
    out.body = "stale-done";
  } else if (r.target == "/big") {
    out.body.assign(kBigBody, 'b');
  } else {
    out.body = "fast-done";
  }
  return out;
}

ServerOptions Options(bool tls) {
  ServerOptions o = TestOptions(tls);
  o.idle_timeout_seconds = 30;  // a missed request shows as the client's 3 s timeout
  o.request_timeout_seconds = 30;
  o.offload = [](const Request& r) { return r.target == "/slow"; };
  return o;
}

class ServerStreamTest : public ::testing::TestWithParam<bool> {};

// The offloaded handler's thread frees the connection's I/O thread, which then
// sees the second request's bytes arrive while no read is pending: the connection
// must read for it afterwards, not wait for another readiness event.
TEST_P(ServerStreamTest, ARequestSentWhileTheHandlerIsOffloadedIsAnswered) {
  RunningServer s(Options(GetParam()), SlowOrBig);
  RawConnection c(s.port(), GetParam());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.Write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(c.Write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string got = c.ReadUntil("-done", 2);
  EXPECT_NE(got.find("slow-done"), std::string::npos) << got;
  EXPECT_NE(got.find("fast-done"), std::string::npos) << got;
}

// Two TLS records in one TCP segment: one read takes both, OpenSSL decrypts one
// record per read, and the second request waits in the connection's buffers, not
// in the kernel, where no wait would ever see it.
TEST_P(ServerStreamTest, TwoRequestsInOneSegmentAreBothAnswered) {
  RunningServer s(Options(GetParam()), SlowOrBig);
  RawConnection c(s.port(), GetParam());
  ASSERT_TRUE(c.ok());
  c.Cork(true);
  ASSERT_TRUE(c.Write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(c.Write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
  c.Cork(false);
  const std::string got = c.ReadUntil("fast-done", 2);
  EXPECT_NE(got.find("fast-done"), got.rfind("fast-done")) << got;
}

// The same while the connection waits for the client to take a large response.
TEST_P(ServerStreamTest, ARequestSentWhileAResponseWaitsForTheSocketIsAnswered) {
  RunningServer s(Options(GetParam()), SlowOrBig);
  RawConnection c(s.port(), GetParam(), /*timeout_s=*/15);  // TSan encrypts slowly
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.Write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // buffers fill up
  ASSERT_TRUE(c.Write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string got = c.ReadUntil("fast-done", 1, kBigBody);
  EXPECT_GT(got.size(), kBigBody);
  EXPECT_NE(got.find("fast-done"), std::string::npos)
      << "after " << got.size() << " bytes";
}

// Writing to a connection the peer has reset must fail the write, not raise
// SIGPIPE (which would end the server's process, here the test's).
TEST_P(ServerStreamTest, AClientThatLeavesDuringALargeResponseLeavesTheServerUp) {
  // The test support ignores SIGPIPE for the whole binary; a server process does
  // not, so neither does this test.
  const SigpipeAs sigpipe(SIG_DFL);
  RunningServer s(Options(GetParam()), SlowOrBig);
  for (int i = 0; i < 3; ++i) {
    RawConnection c(s.port(), GetParam());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c.Write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
    c.EndWrites();  // the server's end is in CLOSE_WAIT: a reset now means EPIPE
    EXPECT_FALSE(c.Read(1024).empty());
    c.Abort();
  }
  HttpsClient client("127.0.0.1", s.port(), GetParam());
  EXPECT_EQ(client.Send("GET", "/fast").status, 200);
}

// An error some other code left on the I/O thread's OpenSSL queue must not be
// taken for the next TLS call's: the body read below waits for its record (the
// read's result is "want read", and SSL_get_error checks the queue first).
TEST_P(ServerStreamTest, AnErrorLeftOnTheThreadsQueueDoesNotEndTheNextRead) {
  // If the server drops the connection, the body's write must fail, not end the test.
  const SigpipeAs sigpipe(SIG_IGN);
  RunningServer s(Options(GetParam()), SlowOrBig);
  RawConnection c(s.port(), GetParam());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.Write("GET /stale-error HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_NE(c.ReadUntil("stale-done", 1).find("stale-done"), std::string::npos);
  ASSERT_TRUE(c.Write("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  c.Write("hello");
  EXPECT_NE(c.ReadUntil("fast-done", 1).find("fast-done"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(TlsAndPlain, ServerStreamTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Tls" : "Plain"; });

}  // namespace
}  // namespace keyward::http
