#include "keyward/tls/server_context.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <fstream>
#include <string>

#include "keyward/tls/self_signed.h"
#include "support/temp_dir.h"

namespace keyward::tls {
namespace {

using keyward::testing::TempDir;

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(ServerContextTest, PolicyIsTls12MinimumNoCompressionNoRenegotiation) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("c.pem"), dir.File("k.pem")).ok());
  auto ctx = CreateServerContext(dir.File("c.pem"), dir.File("k.pem"));
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  SSL_CTX* c = ctx->get();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(c), TLS1_2_VERSION);
  const uint64_t opts = SSL_CTX_get_options(c);
  EXPECT_TRUE(opts & SSL_OP_NO_COMPRESSION);
  EXPECT_TRUE(opts & SSL_OP_NO_RENEGOTIATION);
  EXPECT_TRUE(opts & SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Every TLS 1.2 suite left is ECDHE + AEAD.
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(c);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    const std::string name = SSL_CIPHER_get_name(cipher);
    if (name.rfind("TLS_", 0) == 0) continue;  // a TLS 1.3 suite
    EXPECT_EQ(name.rfind("ECDHE-", 0), 0u) << name;
    EXPECT_TRUE(SSL_CIPHER_is_aead(cipher)) << name;
  }
}

TEST(ServerContextTest, MissingCertificateNamesTheFile) {
  TempDir dir;
  auto ctx = CreateServerContext(dir.File("nope.pem"), dir.File("k.pem"));
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(Contains(ctx.error().message, "nope.pem")) << ctx.error().message;
}

TEST(ServerContextTest, GarbageKeyNamesTheKeyFile) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("c.pem"), dir.File("k.pem")).ok());
  std::ofstream(dir.File("bad.key")) << "not a key\n";
  auto ctx = CreateServerContext(dir.File("c.pem"), dir.File("bad.key"));
  ASSERT_FALSE(ctx.ok());
  EXPECT_TRUE(Contains(ctx.error().message, "bad.key")) << ctx.error().message;
  EXPECT_TRUE(Contains(ctx.error().message, "private key")) << ctx.error().message;
}

TEST(ServerContextTest, KeyOfAnotherCertificateNamesBothFiles) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("a.pem"), dir.File("a.key")).ok());
  ASSERT_TRUE(GenerateSelfSigned(dir.File("b.pem"), dir.File("b.key")).ok());
  auto ctx = CreateServerContext(dir.File("a.pem"), dir.File("b.key"));
  ASSERT_FALSE(ctx.ok());
  EXPECT_TRUE(Contains(ctx.error().message, "does not match")) << ctx.error().message;
  EXPECT_TRUE(Contains(ctx.error().message, "a.pem"));
  EXPECT_TRUE(Contains(ctx.error().message, "b.key"));
}

}  // namespace
}  // namespace keyward::tls
