#include "keyward/tls/self_signed.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <regex>
#include <string>

#include "keyward/tls/server_context.h"
#include "support/temp_dir.h"

namespace keyward::tls {
namespace {

using keyward::testing::TempDir;

X509* ReadCert(const std::string& path) {
  BIO* bio = BIO_new_file(path.c_str(), "rb");
  if (bio == nullptr) return nullptr;
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

mode_t Mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

TEST(SelfSignedTest, WritesBothFilesWithMode0600) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("cert.pem"), dir.File("key.pem")).ok());
  EXPECT_EQ(Mode(dir.File("cert.pem")), 0600);
  EXPECT_EQ(Mode(dir.File("key.pem")), 0600);
}

TEST(SelfSignedTest, CertificateHasNamesValidityAndP256Key) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("cert.pem"), dir.File("key.pem")).ok());
  X509* cert = ReadCert(dir.File("cert.pem"));
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);

  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "keyward");
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);

  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert),
                           X509_get0_notAfter(cert)),
            1);
  EXPECT_EQ(days, 825);
  EXPECT_EQ(seconds, 0);
  // Valid now: notBefore is in the past (back-dated one hour).
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert)), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(cert)), 0);

  EVP_PKEY* key = X509_get0_pubkey(cert);
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
  char group[32] = {};
  size_t len = 0;
  EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len);
  EXPECT_STREQ(group, "prime256v1");
  X509_free(cert);
}

TEST(SelfSignedTest, SerialsAreRandom) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("a.pem"), dir.File("a.key")).ok());
  ASSERT_TRUE(GenerateSelfSigned(dir.File("b.pem"), dir.File("b.key")).ok());
  X509* a = ReadCert(dir.File("a.pem"));
  X509* b = ReadCert(dir.File("b.pem"));
  ASSERT_TRUE(a && b);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a), X509_get0_serialNumber(b)), 0);
  X509_free(a);
  X509_free(b);
}

TEST(SelfSignedTest, KeyMatchesCertificateAndLoadsIntoServerContext) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("cert.pem"), dir.File("key.pem")).ok());
  auto ctx = CreateServerContext(dir.File("cert.pem"), dir.File("key.pem"));
  EXPECT_TRUE(ctx.ok()) << ctx.error().message;
}

TEST(SelfSignedTest, FingerprintIs32UpperCaseHexPairsAndStable) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("cert.pem"), dir.File("key.pem")).ok());
  auto fp = CertificateFingerprintSha256(dir.File("cert.pem"));
  ASSERT_TRUE(fp.ok()) << fp.error().message;
  EXPECT_TRUE(std::regex_match(*fp, std::regex("([0-9A-F]{2}:){31}[0-9A-F]{2}"))) << *fp;
  EXPECT_EQ(*CertificateFingerprintSha256(dir.File("cert.pem")), *fp);
}

TEST(SelfSignedTest, RefusesToOverwriteAndLeavesNoStrayKey) {
  TempDir dir;
  ASSERT_TRUE(GenerateSelfSigned(dir.File("cert.pem"), dir.File("key.pem")).ok());
  const std::string before = *CertificateFingerprintSha256(dir.File("cert.pem"));

  Status st = GenerateSelfSigned(dir.File("cert.pem"), dir.File("other.key"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kConflict);
  EXPECT_NE(st.error().message.find("cert.pem"), std::string::npos);
  EXPECT_EQ(Mode(dir.File("other.key")), 0u) << "key left without its certificate";
  EXPECT_EQ(*CertificateFingerprintSha256(dir.File("cert.pem")), before);

  st = GenerateSelfSigned(dir.File("new.pem"), dir.File("key.pem"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(Mode(dir.File("new.pem")), 0u);
}

TEST(SelfSignedTest, FingerprintOfUnreadableFileNamesIt) {
  TempDir dir;
  auto fp = CertificateFingerprintSha256(dir.File("missing.pem"));
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(fp.error().message.find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace keyward::tls
