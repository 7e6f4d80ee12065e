// Shared by the http_tests files: a certificate generated once per binary, default
// options for a test server on an ephemeral port, a server running on its own
// thread, and an echo handler.
//
// Thread-safety: RunningServer is owned by the test thread; the server's workers
// call the handler concurrently.
#ifndef KEYWARD_TESTS_HTTP_SERVER_FIXTURE_H_
#define KEYWARD_TESTS_HTTP_SERVER_FIXTURE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "keyward/http/message.h"
#include "keyward/http/server.h"
#include "keyward/tls/self_signed.h"
#include "support/temp_dir.h"

namespace keyward::http::test {

struct TlsFiles {
  std::string cert;
  std::string key;
};

inline const TlsFiles& SharedTlsFiles() {
  static keyward::testing::TempDir dir;
  static const TlsFiles files = [] {
    TlsFiles f{dir.File("cert.pem"), dir.File("key.pem")};
    Status st = tls::GenerateSelfSigned(f.cert, f.key);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
    return f;
  }();
  return files;
}

// 127.0.0.1, ephemeral port, two workers, no signal handling, short timeouts.
inline ServerOptions TestOptions(bool tls = true) {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.tls = tls;
  if (tls) {
    o.cert_file = SharedTlsFiles().cert;
    o.key_file = SharedTlsFiles().key;
  }
  o.threads = 2;
  o.request_timeout_seconds = 5;
  o.idle_timeout_seconds = 5;
  o.shutdown_grace_seconds = 5;
  o.handle_signals = false;
  return o;
}

// Answers 200 with the request body, and its facts in headers.
inline Response Echo(const Request& r) {
  Response out;
  out.Set("Content-Type", "text/plain");
  out.Set("X-Method", r.method);
  out.Set("X-Target", r.target);
  out.Set("X-Peer-Ip", r.peer_ip);
  out.Set("X-Tls", r.tls ? "1" : "0");
  if (auto v = r.Header("X-Echo")) out.Set("X-Echo", std::string(*v));
  out.body = r.body;
  return out;
}

class RunningServer {
 public:
  explicit RunningServer(ServerOptions options, Handler handler = Echo,
                         std::function<void(int)> observer = nullptr) {
    auto created = Server::Create(std::move(options), std::move(handler));
    if (!created.ok()) {
      ADD_FAILURE() << "Server::Create: " << created.error().message;
      return;
    }
    server_ = std::move(created.value());
    server_->on_transport_response = std::move(observer);
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~RunningServer() { StopAndJoin(); }

  bool ok() const { return server_ != nullptr; }
  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  Server& server() { return *server_; }

  void StopAndJoin() {
    if (server_) server_->Stop();
    Join();
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace keyward::http::test

#endif  // KEYWARD_TESTS_HTTP_SERVER_FIXTURE_H_
