#include "keyward/core/redis_url.h"

#include <gtest/gtest.h>

namespace keyward::core {
namespace {

TEST(RedisUrlTest, ParsesHostPortAndDatabase) {
  auto a = ParseRedisUrl("redis://127.0.0.1:6380/3");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->db, 3);
  auto b = ParseRedisUrl("redis://redis");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "redis");
  EXPECT_EQ(b->port, 6379);
  EXPECT_EQ(b->db, 0);
  auto c = ParseRedisUrl("redis://[::1]:7000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 7000);
}

TEST(RedisUrlTest, RefusesAnythingElse) {
  for (const char* bad :
       {"", "local", "redis://", "redis://:6379", "rediss://h:1", "http://h:1",
        "redis://h:0", "redis://h:65536", "redis://h:x", "redis://h:1/", "redis://h:1/x",
        "redis://user:pw@h:1", "redis://h:1/0?x=1", "redis://[::1", "redis://h:"}) {
    EXPECT_FALSE(ParseRedisUrl(bad)) << bad;
  }
}

}  // namespace
}  // namespace keyward::core
