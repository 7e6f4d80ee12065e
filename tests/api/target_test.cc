#include "keyward/api/target.h"

#include <gtest/gtest.h>

namespace keyward::api {
namespace {

TEST(TargetTest, SplitsPathAndDecodesQuery) {
  auto t = ParseTarget("/v1/keys?tag=a%20b&tag=c+d&owner_user_id=usr_1&flag");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/v1/keys");
  EXPECT_EQ(t->QueryAll("tag"), (QueryValues{"a b", "c d"}));
  EXPECT_EQ(t->Query("owner_user_id"), "usr_1");
  EXPECT_EQ(t->Query("flag"), "");
  EXPECT_FALSE(t->Query("missing").has_value());
}

TEST(TargetTest, RefusesBadTargets) {
  EXPECT_FALSE(ParseTarget("").has_value());
  EXPECT_FALSE(ParseTarget("http://x/").has_value());
  EXPECT_FALSE(ParseTarget("/a%zz").has_value());
  EXPECT_FALSE(ParseTarget("/a?b=%4").has_value());
  EXPECT_FALSE(ParseTarget("/a?b=%").has_value());
}

// What neither store can hold is refused before it reaches one (attack review:
// PostgreSQL refused /v1/keys/%FF in the audit queue and ?tag=%FF with a 400 that
// SQLite did not give).
TEST(TargetTest, RefusesEscapesThatDecodeToBytesNoStoreHolds) {
  EXPECT_FALSE(ParseTarget("/v1/keys/%FF").has_value());
  EXPECT_FALSE(ParseTarget("/v1/keys/a%00b").has_value());
  EXPECT_FALSE(ParseTarget("/v1/keys?tag=%FF").has_value());
  EXPECT_FALSE(ParseTarget("/v1/keys?tag%C0%AF=x").has_value());
  EXPECT_FALSE(ParseTarget("/v1/keys?tag=%E2%82").has_value());
  auto ok = ParseTarget("/v1/keys?tag=caf%C3%A9");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->Query("tag"), "caf\xC3\xA9");
}

TEST(TargetTest, AtMostTheLimitOfQueryParametersIsAccepted) {
  std::string target = "/v1/auth?";
  for (std::size_t i = 0; i < kMaxQueryParams; ++i)
    target += "scope=a:b&&";  // && : empty
  auto ok = ParseTarget(target);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->query.size(), kMaxQueryParams);
  EXPECT_FALSE(ParseTarget(target + "scope=c:d").has_value());
  EXPECT_FALSE(ParseTarget(target + "x").has_value());
  EXPECT_TRUE(ParseTarget(target + "&&&").has_value());  // empty pairs are no parameters
}

TEST(TargetTest, CursorRoundTripsAndRefusesForgeries) {
  EXPECT_EQ(DecodeCursor(EncodeCursor(42)), 42);
  EXPECT_EQ(DecodeCursor(EncodeCursor(0)), 0);
  EXPECT_FALSE(DecodeCursor("42").has_value());
  EXPECT_FALSE(DecodeCursor("c1.").has_value());
  EXPECT_FALSE(DecodeCursor("c1.-5").has_value());
  EXPECT_FALSE(DecodeCursor("c1.5x").has_value());
}

}  // namespace
}  // namespace keyward::api
