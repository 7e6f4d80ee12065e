#include "keyward/api/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace keyward::api {
namespace {

using namespace std::string_literals;

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

// Found by tests/fuzz/json_body_fuzz (corpus: tests/fuzz/corpus/json_body/
// nul_then_more_json): nlohmann takes a NUL for the end of input, so a body was
// accepted as JSON while everything after its NUL was silently ignored.
TEST(JsonBodyTest, RefusesANulByteAsMalformed) {
  nlohmann::json out;
  EXPECT_EQ(ParseJsonBody(R"({"name": "x"})"s + '\0' + R"({"scopes": ["*"]})", out),
            JsonBodyError::kMalformed);
  EXPECT_TRUE(out.is_null());
  EXPECT_EQ(ParseJsonBody("  \"just a string\"\0\0]]]"s, out), JsonBodyError::kMalformed);
  EXPECT_EQ(ParseJsonBody("\0"s, out), JsonBodyError::kMalformed);
  // An escaped NUL inside a string is JSON and stays accepted.
  ASSERT_EQ(ParseJsonBody(R"({"name": "a\u0000b"})", out), JsonBodyError::kNone);
  EXPECT_EQ(out.value("name", ""), "a\0b"s);
}

// Found by tests/fuzz/json_body_fuzz (corpus: tests/fuzz/corpus/json_body/
// repeated_member): nlohmann silently kept the last of two members with one name,
// where another reader of the same body may keep the first.
TEST(JsonBodyTest, RefusesARepeatedMemberName) {
  nlohmann::json out;
  EXPECT_EQ(ParseJsonBody(R"({"scopes": ["logs:read"], "scopes": ["*"]})", out),
            JsonBodyError::kMalformed);
  EXPECT_TRUE(out.is_null());
  EXPECT_EQ(ParseJsonBody(R"({"name": "n", "metadata": {"a": 1, "b": 2, "a": 3}})", out),
            JsonBodyError::kMalformed);
  EXPECT_EQ(ParseJsonBody(R"({"a": {"x": 1}, "a": {"y": 2}})", out),
            JsonBodyError::kMalformed);
  // One name in different objects is no repetition.
  EXPECT_EQ(
      ParseJsonBody(R"({"a": {"x": 1}, "b": {"x": 2}, "x": [{"x": 1}, {"x": 1}]})", out),
      JsonBodyError::kNone);
  EXPECT_EQ(out.value("x", nlohmann::json()).size(), 2u);
}

}  // namespace
}  // namespace keyward::api
