// A small blocking HTTP/1.1 client for tests, over TLS (no certificate
// verification: test servers use self-signed certificates; SNI "localhost") or
// plain TCP.
//
// Send() reuses one keep-alive connection and reconnects when the server has closed
// it; SendRaw() writes arbitrary bytes on a fresh connection and returns whatever
// comes back, for tests of malformed or oversized requests. Failures never throw:
// Send() answers status 0 with the reason in body. Every read and write has a
// timeout (10 s by default).
//
// Thread-safety: one client per thread; distinct clients are independent.
#ifndef KEYWARD_TESTS_SUPPORT_HTTPS_CLIENT_H_
#define KEYWARD_TESTS_SUPPORT_HTTPS_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyward::testing {

struct ClientResponse {
  int status = 0;  // 0: no response (connection failed, timeout, garbage)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // First header with this name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

class HttpsClient {
 public:
  HttpsClient(std::string host, std::uint16_t port, bool tls = true);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends one request. Adds Host unless given, and Content-Length when there is a
  // body (or the method is POST, PUT or PATCH) unless given.
  ClientResponse Send(std::string method, std::string target,
                      std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string body = {});

  // Opens a new connection, writes `bytes`, and returns everything received until
  // the server closes the connection or the timeout passes.
  std::string SendRaw(std::string bytes);

  void set_timeout_seconds(int seconds) { timeout_seconds_ = seconds; }
  // TCP connections Send() has opened so far (1 after many keep-alive requests).
  int connections_opened() const { return connections_opened_; }

 private:
  class Connection;

  std::unique_ptr<Connection> Connect(std::string* error);

  std::string host_;
  std::uint16_t port_;
  bool tls_;
  int timeout_seconds_ = 10;
  int connections_opened_ = 0;
  std::unique_ptr<Connection> conn_;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_HTTPS_CLIENT_H_
