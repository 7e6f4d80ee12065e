#include "keyward/api/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace keyward::api {
namespace {

using namespace std::string_literals;

TEST(JsonBodyTest, ParsesABoundedBody) {
  nlohmann::json out;
  ASSERT_EQ(ParseJsonBody(R"({"name": "n", "tags": ["a"]})", out), JsonBodyError::kNone);
  EXPECT_EQ(out.value("name", ""), "n");
  EXPECT_EQ(ParseJsonBody(" \r\n", out), JsonBodyError::kEmpty);
  EXPECT_EQ(ParseJsonBody(std::string(33, '[') + std::string(33, ']'), out),
            JsonBodyError::kTooDeep);
  EXPECT_EQ(ParseJsonBody(std::string(32, '[') + std::string(32, ']'), out),
            JsonBodyError::kNone);
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
