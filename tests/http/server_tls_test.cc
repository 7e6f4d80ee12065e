// The TLS policy as a client sees it (the automated equivalent of sslscan).
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "http/server_fixture.h"
#include "support/tls_probe.h"

namespace keyward::http {
namespace {

using keyward::testing::ProbeTls;
using keyward::testing::TlsProbeOptions;
using test::RunningServer;
using test::TestOptions;

class ServerTlsTest : public ::testing::Test {
 protected:
  RunningServer server_{TestOptions()};
};

TEST_F(ServerTlsTest, Tls11IsRefused) {
  TlsProbeOptions o;
  o.min_version = TLS1_1_VERSION;
  o.max_version = TLS1_1_VERSION;
  auto r = ProbeTls("127.0.0.1", server_.port(), o);
  EXPECT_FALSE(r.ok) << "negotiated " << r.version;
}

TEST_F(ServerTlsTest, CbcOnlyOfferIsRefused) {
  TlsProbeOptions o;
  o.max_version = TLS1_2_VERSION;
  o.cipher_list =
      "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:"
      "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA256";
  auto r = ProbeTls("127.0.0.1", server_.port(), o);
  EXPECT_FALSE(r.ok) << "negotiated " << r.cipher;
}

TEST_F(ServerTlsTest, NonEcdheOfferIsRefused) {
  TlsProbeOptions o;
  o.max_version = TLS1_2_VERSION;
  o.cipher_list = "AES128-GCM-SHA256:AES256-GCM-SHA384";  // RSA key exchange
  EXPECT_FALSE(ProbeTls("127.0.0.1", server_.port(), o).ok);
}

TEST_F(ServerTlsTest, Tls12WithEcdheAeadIsAccepted) {
  TlsProbeOptions o;
  o.min_version = TLS1_2_VERSION;
  o.max_version = TLS1_2_VERSION;
  auto r = ProbeTls("127.0.0.1", server_.port(), o);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.version, "TLSv1.2");
  EXPECT_EQ(r.cipher.rfind("ECDHE-ECDSA-", 0), 0u) << r.cipher;
}

TEST_F(ServerTlsTest, Tls13IsAccepted) {
  TlsProbeOptions o;
  o.min_version = TLS1_3_VERSION;
  auto r = ProbeTls("127.0.0.1", server_.port(), o);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.version, "TLSv1.3");
}

}  // namespace
}  // namespace keyward::http
