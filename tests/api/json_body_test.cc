#include "keyward/api/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace keyward::api {
namespace {

std::string Arrays(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonBodyTest, DepthIsMeasuredOutsideStringsOnly) {
  EXPECT_EQ(JsonNestingDepth("1", 32), 0);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":2}]})", 32), 3);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[{{{"})", 32), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"\"[[[["})", 32), 1);
  EXPECT_EQ(JsonNestingDepth(Arrays(1000), 32), 33);  // stops at limit + 1
}

TEST(JsonBodyTest, ParsesUpToTheLimitAndRefusesBeyond) {
  nlohmann::json out;
  EXPECT_EQ(ParseJsonBody(Arrays(32), out), JsonBodyError::kNone);
  EXPECT_EQ(ParseJsonBody(Arrays(33), out), JsonBodyError::kTooDeep);
  EXPECT_EQ(ParseJsonBody(std::string(1000000, '['), out), JsonBodyError::kTooDeep);
  EXPECT_EQ(ParseJsonBody(std::string(100000, '{'), out), JsonBodyError::kTooDeep);
  EXPECT_EQ(ParseJsonBody("{", out), JsonBodyError::kMalformed);
  EXPECT_EQ(ParseJsonBody("{\"a\":1}x", out), JsonBodyError::kMalformed);
  EXPECT_EQ(ParseJsonBody("  \r\n", out), JsonBodyError::kEmpty);
  ASSERT_EQ(ParseJsonBody(R"({"k":[1,2]})", out), JsonBodyError::kNone);
  EXPECT_EQ(out["k"][1], 2);
}

}  // namespace
}  // namespace keyward::api
