#include "keyward/api/uri_normalizer.h"

#include <gtest/gtest.h>

namespace keyward::api {
namespace {

TEST(UriNormalizerTest, EquivalentFormsReachOneNormalForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"/api/admin/users", "/api/admin/users"},
      {"/api/%61dmin/users", "/api/admin/users"},
      {"/api/%7Euser", "/api/~user"},
      {"//api///admin", "/api/admin"},
      {"/api/./admin", "/api/admin"},
      {"/api/logs/../admin", "/api/admin"},
      {"/api/logs/%2e%2E/admin", "/api/admin"},
      {"/api/admin?x=../../y#f", "/api/admin"},
      {"/api/admin/", "/api/admin/"},
      {"/api/admin/..", "/api/"},
      {"/a/b/.", "/a/b/"},
      {"/", "/"},
      {"/%e2%82%ac", "/%E2%82%AC"},  // non-unreserved escapes keep their octet
      {"/a%20b", "/a%20b"},
  };
  for (const auto& [in, want] : cases) {
    NormalizedPath n = NormalizePath(in);
    ASSERT_TRUE(n.ok) << in << ": " << n.error;
    EXPECT_EQ(n.path, want) << in;
    EXPECT_EQ(NormalizePath(n.path).path, n.path) << "idempotent: " << in;
  }
}

TEST(UriNormalizerTest, RefusesWhatUpstreamsReadDifferently) {
  for (const char* in : {"/a%2fb",    "/a%2Fb", "/a%5Cb", "/a\\b", "/a;b",       "/a%3Bb",
                         "/a%252f",   "/a%00",  "/a%0A",  "/a%7f", "/a b",       "/a\tb",
                         "/\xc3\xa9", "a/b",    "",       "?x",    "http://h/a", "/..",
                         "/a/../..",  "/%",     "/%4",    "/%zz"}) {
    NormalizedPath n = NormalizePath(in);
    EXPECT_FALSE(n.ok) << in << " -> " << n.path;
    EXPECT_FALSE(n.error.empty()) << in;
  }
  EXPECT_FALSE(NormalizePath("/" + std::string(kMaxUriLength, 'a')).ok);
  EXPECT_TRUE(NormalizePath("/" + std::string(kMaxUriLength - 1, 'a')).ok);
  EXPECT_FALSE(NormalizePath(std::string_view("/a\0b", 4)).ok);
}

}  // namespace
}  // namespace keyward::api
