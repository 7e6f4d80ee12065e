// ExtractCredential (contract section 3): precedence, conflicts, and that the key
// it finds is a view of the request itself, so no copy of the secret is left
// anywhere to wipe.
#include "keyward/api/credentials.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace keyward::api {
namespace {

constexpr char kKey[] = "kw_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kOther[] = "kw_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

bool Within(std::string_view view, const std::string& owner) {
  const std::less_equal<const char*> le;
  return le(owner.data(), view.data()) &&
         le(view.data() + view.size(), owner.data() + owner.size());
}

TEST(CredentialsTest, TheKeyIsAViewOfTheHeaderThatCarriedIt) {
  http::Request req;
  req.headers = {{"Host", "x"}, {"Authorization", std::string("Bearer  ") + kKey + " "}};
  Credential cred;
  ExtractCredential(req, Target{}, false, cred);
  ASSERT_TRUE(cred.present);
  EXPECT_FALSE(cred.conflict);
  EXPECT_FALSE(cred.from_query);
  EXPECT_EQ(cred.key, kKey);
  EXPECT_TRUE(Within(cred.key, req.headers[1].second));
}

TEST(CredentialsTest, AQueryKeyIsAViewOfTheDecodedTarget) {
  http::Request req;
  Target target;
  target.query = {{"api_key", kKey}};
  Credential cred;
  ExtractCredential(req, target, true, cred);
  ASSERT_TRUE(cred.present);
  EXPECT_TRUE(cred.from_query);
  EXPECT_EQ(cred.key, kKey);
  EXPECT_TRUE(Within(cred.key, target.query[0].second));
  // Not allowed: not read at all.
  Credential ignored;
  ExtractCredential(req, target, false, ignored);
  EXPECT_FALSE(ignored.present);
}

TEST(CredentialsTest, HeaderWinsAndADifferentSecondKeyConflicts) {
  http::Request req;
  req.headers = {{"X-API-Key", kKey}, {"authorization", std::string("bearer ") + kKey}};
  Credential same;
  ExtractCredential(req, Target{}, false, same);
  EXPECT_TRUE(same.present);
  EXPECT_FALSE(same.conflict);
  EXPECT_TRUE(Within(same.key, req.headers[1].second));  // Authorization first

  req.headers[0].second = kOther;
  Credential two;
  ExtractCredential(req, Target{}, false, two);
  EXPECT_TRUE(two.conflict);
}

}  // namespace
}  // namespace keyward::api
