// verify_body: the /v1/verify body scanner reads the common shape into the same
// fields as the DOM path, and leaves every body it is not sure of to that path.
#include "keyward/api/verify_body.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "keyward/api/json_body.h"

namespace keyward::api {
namespace {

using Type = VerifyFields::Type;

// The DOM path's reading of `text`, which must parse.
VerifyFields Dom(std::string_view text, nlohmann::json& holder) {
  EXPECT_EQ(ParseJsonBody(text, holder), JsonBodyError::kNone) << text;
  return ReadVerifyJson(holder);
}

TEST(VerifyBodyTest, ReadsThePlainShape) {
  auto f = ScanVerifyBody(
      R"({"key":"kw_abc_123","scopes":["logs:read","a:b"],"ip":"10.0.0.1"})");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->key, Type::kString);
  EXPECT_EQ(f->key_text, "kw_abc_123");
  EXPECT_EQ(f->scopes, Type::kArray);
  ASSERT_EQ(f->scope_items.size(), 2u);
  EXPECT_EQ(f->scope_items[0], "logs:read");
  EXPECT_EQ(f->scope_items[1], "a:b");
  EXPECT_EQ(f->ip, Type::kString);
  EXPECT_EQ(f->ip_text, "10.0.0.1");
  EXPECT_TRUE(f->unknown.empty());
}

TEST(VerifyBodyTest, MembersAreOptionalAndInAnyOrder) {
  auto only_key = ScanVerifyBody(R"({"key":"k"})");
  ASSERT_TRUE(only_key.has_value());
  EXPECT_EQ(only_key->scopes, Type::kAbsent);
  EXPECT_EQ(only_key->ip, Type::kAbsent);
  auto reordered = ScanVerifyBody(R"({"ip":"::1","scopes":[],"key":"k"})");
  ASSERT_TRUE(reordered.has_value());
  EXPECT_EQ(reordered->scopes, Type::kArray);
  EXPECT_TRUE(reordered->scope_items.empty());
  EXPECT_EQ(reordered->ip_text, "::1");
  // Absent or empty: the shared validation answers "key is required".
  auto empty = ScanVerifyBody("{}");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->key, Type::kAbsent);
  // Values that are not keys, scopes or addresses are still read; validation refuses.
  auto odd = ScanVerifyBody(R"({"key":"","scopes":["NOT A SCOPE"],"ip":"x"})");
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->key_text, "");
  EXPECT_EQ(odd->scope_items[0], "NOT A SCOPE");
}

TEST(VerifyBodyTest, AcceptsJsonWhitespaceWhereverJsonDoes) {
  const std::vector<std::string> bodies = {
      " {\"key\":\"k\",\"scopes\":[\"a:b\"],\"ip\":\"::1\"} ",
      "{ \"key\" : \"k\" , \"scopes\" : [ \"a:b\" , \"c:d\" ] , \"ip\" : \"::1\" }",
      "\r\n{\n\t\"key\":\t\"k\",\r\n\"scopes\":[\n]\n}\n\n",
      "{ }",
      "\t{\"scopes\" :[ ] ,\"key\":\"k\"}\r",
  };
  for (const std::string& body : bodies) {
    auto f = ScanVerifyBody(body);
    ASSERT_TRUE(f.has_value()) << body;
    nlohmann::json holder;
    EXPECT_EQ(*f, Dom(body, holder)) << body;
  }
}

TEST(VerifyBodyTest, ReadsWhatTheDomReadsForPrintableAscii) {
  std::string every;
  for (char c = 0x20; c < 0x7f; ++c) {
    if (c != '"' && c != '\\') every += c;
  }
  const std::string body =
      R"({"key":")" + every + R"(","scopes":[")" + every + R"("],"ip":")" + every + "\"}";
  auto f = ScanVerifyBody(body);
  ASSERT_TRUE(f.has_value());
  nlohmann::json holder;
  EXPECT_EQ(*f, Dom(body, holder));
  EXPECT_EQ(f->key_text, every);
}

TEST(VerifyBodyTest, LeavesEveryDoubtfulBodyToTheDomPath) {
  const std::vector<std::string> bodies = {
      "",
      "   ",
      "null",
      "[]",
      R"("key")",
      R"({"key":"k\u0041"})",                 // escape
      R"({"key":"k\"q"})",                    // escaped quote
      R"({"k\u0065y":"k"})",                  // escaped member name
      "{\"key\":\"caf\xc3\xa9\"}",            // non-ASCII
      "{\"key\":\"\xff\"}",                   // not UTF-8
      "{\"key\":\"a\tb\"}",                   // raw control byte in a string
      std::string("{\"key\":\"a\0b\"}", 13),  // NUL in a string
      std::string("{\"key\":\"k\"}\0", 12),   // NUL after the object
      R"({"key":"a","key":"b"})",             // duplicate
      R"({"scopes":[],"scopes":["*"]})",      // duplicate
      R"({"ip":"::1","ip":"::2"})",           // duplicate
      R"({"key":"k","name":"x"})",            // unknown member
      R"({"Key":"k"})",                       // names are case-sensitive
      R"({"key":"k"} x)",                     // trailing bytes
      R"({"key":"k"}{})",                     // a second value
      R"({"key":"k"},)",                      // trailing comma after the object
      R"({"key":"k",})",                      // trailing comma in the object
      R"({"scopes":["a:b",]})",               // trailing comma in the array
      R"({,"key":"k"})",
      R"({"key" "k"})",
      R"({"key":})",
      R"({"key":"k")",        // unterminated object
      R"({"key":"k)",         // unterminated string
      R"({"scopes":["a:b")",  // unterminated array
      R"({"key":1})",         // number
      R"({"key":null})",
      R"({"key":true})",
      R"({"key":{"x":"y"}})",  // nested value
      R"({"key":["k"]})",
      R"({"scopes":"logs:read"})",  // scopes not an array
      R"({"scopes":[1]})",
      R"({"scopes":[["a:b"]]})",  // nested array
      R"({"scopes":[null]})",
      R"({"ip":4})",
      "\v{\"key\":\"k\"}",  // not JSON whitespace
      "\f{\"key\":\"k\"}",
      "\xef\xbb\xbf{\"key\":\"k\"}",  // byte order mark
      "{'key':'k'}",
  };
  for (const std::string& body : bodies) {
    EXPECT_FALSE(ScanVerifyBody(body).has_value()) << body;
  }
}

TEST(VerifyBodyTest, RefusesOverLongBodiesAndTooManyScopes) {
  std::string scopes = R"({"key":"k","scopes":[)";
  for (std::size_t i = 0; i < kMaxScannedScopes; ++i) scopes += "\"a:b\",";
  scopes.back() = ']';
  EXPECT_TRUE(ScanVerifyBody(scopes + "}").has_value());
  EXPECT_FALSE(ScanVerifyBody(scopes.substr(0, scopes.size() - 1) + ",\"a:b\"]}"));

  const std::string head = R"({"key":")", tail = "\"}";
  const std::string fits(kMaxScannedVerifyBody - head.size() - tail.size(), 'k');
  EXPECT_TRUE(ScanVerifyBody(head + fits + tail).has_value());
  EXPECT_FALSE(ScanVerifyBody(head + fits + "k" + tail).has_value());
  EXPECT_FALSE(ScanVerifyBody(head + fits + tail + " ").has_value());
}

TEST(VerifyBodyTest, DomReaderReportsTypesAndUnknownMembers) {
  nlohmann::json holder;
  VerifyFields f =
      Dom(R"({"zz":1,"key":5,"scopes":["a:b",2],"ip":"::1","aa":null})", holder);
  EXPECT_EQ(f.unknown, (std::vector<std::string_view>{"aa", "zz"}));
  EXPECT_EQ(f.key, Type::kOther);
  EXPECT_EQ(f.scopes, Type::kArray);
  ASSERT_EQ(f.scope_items.size(), 2u);
  EXPECT_EQ(f.scope_items[0], "a:b");
  EXPECT_EQ(f.scope_items[1], std::nullopt);
  EXPECT_EQ(f.ip_text, "::1");
  EXPECT_EQ(Dom(R"({"scopes":{}})", holder).scopes, Type::kOther);
  EXPECT_EQ(Dom(R"({"key":"k\u0041"})", holder).key_text, "kA");
}

}  // namespace
}  // namespace keyward::api
