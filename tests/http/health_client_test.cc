// CheckHealth against a real http::Server (TLS and plain), and its URL parsing and
// certificate decision.
#include "keyward/http/health_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "server_fixture.h"

namespace keyward::http {
namespace {

using test::RunningServer;
using test::TestOptions;

Response Status(int status) {
  Response r;
  r.status = status;
  r.body = "{}";
  return r;
}

HealthCheckOptions Url(std::string url) {
  HealthCheckOptions o;
  o.url = std::move(url);
  return o;
}

TEST(ParseHttpUrlTest, AcceptsHostsPortsAndTargets) {
  auto u = ParseHttpUrl("https://127.0.0.1:8443/healthz", nullptr);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/healthz");

  u = ParseHttpUrl("http://keyward.example", nullptr);
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/");

  u = ParseHttpUrl("https://[::1]:9443/readyz?x=1", nullptr);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9443);
  EXPECT_EQ(u->target, "/readyz?x=1");

  u = ParseHttpUrl("https://h?x", nullptr);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/?x");
}

TEST(ParseHttpUrlTest, RefusesWhatItCannotUseSafely) {
  for (const char* bad :
       {"", "127.0.0.1:8443", "ftp://h/", "https://", "https://:8443/", "https://h:/",
        "https://h:0/", "https://h:65536/", "https://h:12x/", "https://u:p@h/",
        "https://[::1/", "https://[::1]x/", "https://h/a b", "https://h/#frag",
        "https://h\r\n/", "https://[zz]/"}) {
    std::string error;
    EXPECT_FALSE(ParseHttpUrl(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(ShouldVerifyCertificateTest, LoopbackOnlyIsSkippedByDefault) {
  HealthCheckOptions o;
  EXPECT_FALSE(ShouldVerifyCertificate(/*all_addresses_loopback=*/true, o));
  EXPECT_TRUE(ShouldVerifyCertificate(false, o));
  o.ca_file = "/ca.pem";
  EXPECT_TRUE(ShouldVerifyCertificate(true, o));
  o.insecure = true;
  EXPECT_FALSE(ShouldVerifyCertificate(false, o));
  EXPECT_FALSE(ShouldVerifyCertificate(true, o));
}

TEST(CheckHealthTest, ReportsTheStatusOverTlsAndPlainHttp) {
  RunningServer tls(TestOptions(true), [](const Request& r) {
    return Status(r.target == "/healthz" ? 200 : 503);
  });
  ASSERT_TRUE(tls.ok());
  const std::string base = "https://127.0.0.1:" + std::to_string(tls.port());
  HealthCheckResult r = CheckHealth(Url(base + "/healthz"));
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_FALSE(r.verified_tls);  // loopback: keyward's own self-signed certificate
  EXPECT_EQ(CheckHealth(Url(base + "/readyz")).status, 503);

  RunningServer plain(TestOptions(false), [](const Request&) { return Status(503); });
  ASSERT_TRUE(plain.ok());
  r = CheckHealth(Url("http://127.0.0.1:" + std::to_string(plain.port()) + "/healthz"));
  EXPECT_EQ(r.status, 503) << r.error;
}

TEST(CheckHealthTest, VerifiesAgainstAGivenCaAndItsNames) {
  RunningServer tls(TestOptions(true), [](const Request&) { return Status(200); });
  ASSERT_TRUE(tls.ok());
  const std::string port = std::to_string(tls.port());
  // The test certificate names localhost, 127.0.0.1 and ::1.
  HealthCheckOptions o = Url("https://localhost:" + port + "/healthz");
  o.ca_file = test::SharedTlsFiles().cert;
  HealthCheckResult r = CheckHealth(o);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_TRUE(r.verified_tls);

  // Another issuer: the handshake fails and the message says how to proceed.
  keyward::testing::TempDir dir;
  ASSERT_TRUE(tls::GenerateSelfSigned(dir.File("c.pem"), dir.File("k.pem")).ok());
  o.ca_file = dir.File("c.pem");
  r = CheckHealth(o);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("certificate verify failed"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("--cacert"), std::string::npos) << r.error;
  o.insecure = true;
  EXPECT_EQ(CheckHealth(o).status, 200);

  o = Url("https://127.0.0.1:" + port + "/healthz");
  o.ca_file = dir.File("missing.pem");
  r = CheckHealth(o);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("missing.pem"), std::string::npos) << r.error;
}

TEST(CheckHealthTest, ClosedPortAndSilentPeerFailWithinTheTimeout) {
  // A listening socket that never accepts: the TCP handshake completes in the
  // kernel, then nothing answers.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));

  HealthCheckOptions o = Url("https://127.0.0.1:" + port + "/healthz");
  o.timeout_seconds = 1;
  const auto start = std::chrono::steady_clock::now();
  HealthCheckResult r = CheckHealth(o);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("no answer within 1 s"), std::string::npos) << r.error;
  EXPECT_LT(took, std::chrono::seconds(3));
  close(fd);

  // Now nothing listens there at all.
  r = CheckHealth(Url("https://127.0.0.1:" + port + "/healthz"));
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("cannot connect"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace keyward::http
