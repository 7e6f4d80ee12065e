// A TLS client on memory BIOs, for tests that decide when each handshake flight
// reaches the server: the server's handshake ends only when the client's last
// flight (its Finished) is sent, which this client holds back until asked.
#ifndef KEYWARD_TESTS_HTTP_STEPPED_TLS_CLIENT_H_
#define KEYWARD_TESTS_HTTP_STEPPED_TLS_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace keyward::http::test {

class SteppedTlsClient {
 public:
  explicit SteppedTlsClient(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{8, 0};  // no test waits this long for an answer
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);  // the test's own certificate
    ssl_ = SSL_new(ctx_);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_, in_, out_);  // ssl_ owns both
    SSL_set_connect_state(ssl_);
  }
  ~SteppedTlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    close(fd_);
  }
  SteppedTlsClient(const SteppedTlsClient&) = delete;
  SteppedTlsClient& operator=(const SteppedTlsClient&) = delete;

  // Runs the handshake to its end on the client's side, holding back the client's
  // last flight. False if the server did not answer.
  bool HandshakeHoldingLastFlight() {
    if (!connected_) return false;
    for (;;) {
      const int r = SSL_do_handshake(ssl_);
      if (r == 1) {
        held_ = Pending();
        return !held_.empty();
      }
      if (SSL_get_error(ssl_, r) != SSL_ERROR_WANT_READ) return false;
      if (!SendAll(Pending()) || !ReceiveSome()) return false;
    }
  }

  // Sends the held flight: the server's handshake completes now.
  bool SendHeld() { return SendAll(held_); }

  // Sends `request` and returns what the server answered until it closed, or "" if
  // it closed without a word.
  std::string Exchange(const std::string& request) {
    SSL_write(ssl_, request.data(), static_cast<int>(request.size()));
    std::string answer;
    if (!SendAll(Pending())) return answer;
    for (;;) {
      char buf[4096];
      int n;
      while ((n = SSL_read(ssl_, buf, sizeof buf)) > 0) answer.append(buf, n);
      if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ) return answer;
      if (!ReceiveSome()) return answer;
    }
  }

 private:
  std::string Pending() {
    std::string bytes;
    char buf[4096];
    int n;
    while ((n = BIO_read(out_, buf, sizeof buf)) > 0) bytes.append(buf, n);
    return bytes;
  }
  bool SendAll(const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool ReceiveSome() {
    char buf[16384];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    BIO_write(in_, buf, static_cast<int>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // server -> client
  BIO* out_ = nullptr;  // client -> server
  std::string held_;
};

}  // namespace keyward::http::test

#endif  // KEYWARD_TESTS_HTTP_STEPPED_TLS_CLIENT_H_
