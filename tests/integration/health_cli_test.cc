// `keyward health` (contract section 1), the real binary against a real server:
// exit 0 on 200, 1 for anything else, with a one-line reason on stderr.
#include <thread>

#include "keyward/http/server.h"
#include "nginx_process.h"
#include "server_test.h"

namespace keyward::testing {
namespace {

class HealthCliTest : public ServerTest {
 protected:
  std::string Url(std::uint16_t port, const std::string& path = "/healthz") const {
    return "https://127.0.0.1:" + std::to_string(port) + path;
  }
};

TEST_F(HealthCliTest, ZeroWhileTheServerServes) {
  CliResult r = RunCli({"health", "--url", Url(server_->port())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  // localhost resolves to loopback too: still no certificate check.
  r = RunCli({"health", "--url",
              "https://localhost:" + std::to_string(server_->port()) + "/healthz"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // With the server's own certificate as the CA, the check passes for real.
  r = RunCli({"health", "--cacert", data_dir() + "/tls/cert.pem", "--url",
              "https://localhost:" + std::to_string(server_->port()) + "/healthz"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(HealthCliTest, DefaultUrlFollowsTheListenSetting) {
  // No --url: the address `serve` would use with the same environment.
  const std::string listen =
      "KEYWARD_LISTEN=127.0.0.1:" + std::to_string(server_->port());
  CliResult r = RunCli({"health"}, {listen});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunCli({"health"}, {"KEYWARD_LISTEN=0.0.0.0:" + std::to_string(server_->port())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Plain HTTP is asked for by KEYWARD_INSECURE_HTTP: this TLS server then fails.
  r = RunCli({"health"}, {listen, "KEYWARD_INSECURE_HTTP=1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("http://127.0.0.1:"), std::string::npos) << r.err;
}

TEST_F(HealthCliTest, OneForAClosedPortWithAReason) {
  const std::uint16_t port = FreeLoopbackPort();
  CliResult r = RunCli({"health", "--url", Url(port)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("keyward health: " + Url(port) + ": cannot connect"),
            std::string::npos)
      << r.err;
  // Neither does the stopped server answer.
  const std::uint16_t was = server_->port();
  StopServer();
  r = RunCli({"health", "--url", Url(was)});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST_F(HealthCliTest, OneForAnyStatusButTwoHundred) {
  // A TLS server (keyward's transport, keyward's certificate) that answers 503.
  http::ServerOptions o;
  o.port = 0;
  o.cert_file = data_dir() + "/tls/cert.pem";
  o.key_file = data_dir() + "/tls/key.pem";
  o.threads = 1;
  o.handle_signals = false;
  auto created = http::Server::Create(o, [](const http::Request&) {
    http::Response resp;
    resp.status = 503;
    resp.body = R"({"status":"unavailable"})";
    return resp;
  });
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::unique_ptr<http::Server> unhealthy = std::move(*created);
  std::thread runner([&] { unhealthy->Run(); });
  CliResult r = RunCli({"health", "--url", Url(unhealthy->port())});
  unhealthy->Stop();
  runner.join();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("answered 503"), std::string::npos) << r.err;

  r = RunCli({"health", "--url", Url(server_->port(), "/no/such/route")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("answered 404"), std::string::npos) << r.err;
}

TEST_F(HealthCliTest, UsageErrorsAreOneNotTwo) {
  // Docker reserves exit code 2 in HEALTHCHECK.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"health", "--url", "ftp://h/"},
        {"health", "--no-such-flag"},
        {"health", "extra"},
        {"health", "--timeout", "0"}}) {
    CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 1) << args[1] << ": " << r.err;
    EXPECT_FALSE(r.err.empty()) << args[1];
  }
}

}  // namespace
}  // namespace keyward::testing
