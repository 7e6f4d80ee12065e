// Attack review findings 3, 5, 7, 8, 13 (issue 7): no body crashes the server, the
// audit trail is bounded and never holds a key, log lines cannot be forged, and the
// HTTP edge reads methods, encoded slashes and transfer codings strictly.
#include <sys/stat.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "audit_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

std::string Nested(int depth, const std::string& open, const std::string& close,
                   const std::string& inner = "") {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open;
  s += inner;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

class HardeningTest : public AuditTest {
 protected:
  ClientResponse Raw(const std::string& method, const std::string& target,
                     const std::string& body, const std::string& key) {
    return client_->Send(
        method, target,
        {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}}, body);
  }
};

TEST_F(HardeningTest, DeeplyNestedBodiesAre422AndTheServerStaysUp) {
  const std::string writer =
      CreateKey({{"name", "w"}, {"scopes", {"keys:write", "users:write"}}})["key"];
  const std::string deep = Nested(100000, "{\"a\":", "}");
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"/v1/keys", R"({"name":"x","metadata":)" + deep + "}"},
      {"/v1/keys", R"({"name":"x","tags":)" + Nested(100000, "[", "]") + "}"},
      {"/v1/keys", Nested(50000, "[", "]")},
      {"/v1/users", R"({"username":"u","permissions":)" + Nested(100000, "[", "]") + "}"},
      {"/v1/verify", R"({"key":"kw_x","scopes":)" + Nested(100000, "[", "]") + "}"},
  };
  for (const auto& [path, body] : bodies) {
    auto r = Raw("POST", path, body, writer);
    EXPECT_EQ(r.status, 422) << path << ": " << r.body.substr(0, 200);
  }
  // The limit is 32 levels: 32 is fine, 33 is not.
  auto ok =
      Raw("POST", "/v1/keys",
          R"({"name":"x","metadata":)" + Nested(31, "{\"a\":", "}", "1") + "}", writer);
  EXPECT_EQ(ok.status, 201) << ok.body;
  auto over =
      Raw("POST", "/v1/keys",
          R"({"name":"x","metadata":)" + Nested(32, "{\"a\":", "}", "1") + "}", writer);
  EXPECT_EQ(over.status, 422) << over.body;
  // Brackets inside strings are not nesting.
  auto str =
      Raw("POST", "/v1/keys",
          R"({"name":"x","description":")" + std::string(200, '[') + "\"}", writer);
  EXPECT_EQ(str.status, 201) << str.body;
  EXPECT_EQ(Do("GET", "/healthz", "").status, 200);
}

TEST_F(HardeningTest, RefusedCallsCannotFillTheAuditTrail) {
  const std::string long_id(7000, 'x');
  for (int i = 0; i < 300; ++i) {
    Do("GET", "/v1/keys/" + long_id, "");  // unauthenticated: 401, audited
  }
  auto e = AwaitDenial([&](const json& e) {
    return e.value("target_id", "").size() > 0 &&
           e["target_id"].get<std::string>()[0] == 'x';
  });
  ASSERT_FALSE(e.is_null());
  EXPECT_LE(e["target_id"].get<std::string>().size(), 64u);
  // 300 identical denials from one IP within a minute: one event with a count.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int rows = 0;
  std::int64_t counted = 0;
  for (const auto& ev : Events("action=auth.denied&limit=500")) {
    if (ev.value("target_id", "").starts_with("xxx")) {
      ++rows;
      counted += std::stoll(ev["details"].value("count", "1"));
    }
  }
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(counted, 300);
  // Many different ids from one IP fold into one "flood" event past a bound.
  for (int i = 0; i < 200; ++i) Do("GET", "/v1/keys/probe" + std::to_string(i), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int probes = 0;
  bool flood = false;
  for (const auto& ev : Events("action=auth.denied&limit=500")) {
    probes += ev.value("target_id", "").starts_with("probe");
    flood = flood || ev["details"].value("reason", "") == "flood";
  }
  EXPECT_LE(probes, 60);
  EXPECT_TRUE(flood);
}

TEST_F(HardeningTest, AFullKeyInAPathIsAuditedAndLoggedAsItsPrefixOnly) {
  json k = CreateKey({{"name", "victim"}});
  const std::string secret = k["key"];
  ASSERT_EQ(Do("DELETE", "/v1/keys/" + secret, admin_key_).status, 404);
  Do("GET", "/v1/keys/" + secret, "");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto r = Do("GET", "/v1/audit?limit=500", admin_key_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(secret), std::string::npos);
  EXPECT_NE(r.body.find(secret.substr(0, 12)), std::string::npos);
  EXPECT_EQ(server_->log().find(secret), std::string::npos);
}

TEST_F(HardeningTest, MethodsAreCaseSensitiveAndEncodedSlashesStayInTheSegment) {
  json k = CreateKey({{"name", "m"}});
  const std::string id = k["id"];
  auto lower = Do("delete", "/v1/keys/" + id, admin_key_);
  EXPECT_EQ(lower.status, 405) << lower.body;
  EXPECT_EQ(Code(k["key"]), "VALID");
  // "a%2Frotate" is one id, not the rotate route: no such key (GET), and POST is
  // not a method of /v1/keys/{id}.
  EXPECT_EQ(Do("GET", "/v1/keys/" + id + "%2Frotate", admin_key_).status, 404);
  EXPECT_EQ(Do("POST", "/v1/keys/" + id + "%2Frotate", admin_key_, json::object()).status,
            405);
  EXPECT_EQ(Do("GET", "/v1/keys/" + id + "%2Fusage", admin_key_).status, 404);
  EXPECT_EQ(Code(k["key"]), "VALID");
  EXPECT_TRUE(Json(Do("GET", "/v1/keys/" + id, admin_key_))["rotated_to"].is_null());
}

TEST_F(HardeningTest, OnlyTheChunkedTransferCodingIsRead) {
  const std::string body = R"({"key":"kw_x"})";
  std::ostringstream chunk;
  chunk << std::hex << body.size() << "\r\n" << body << "\r\n0\r\n\r\n";
  for (const std::string te : {"gzip, chunked", "chunked, chunked", "identity"}) {
    const std::string raw =
        "POST /v1/verify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + "\r\n\r\n" +
        chunk.str();
    const std::string answer = client_->SendRaw(raw);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 501") || answer.starts_with("HTTP/1.1 400"))
        << te << ": " << answer.substr(0, 80);
  }
  const std::string ok = client_->SendRaw(
      "POST /v1/verify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
      chunk.str());
  EXPECT_TRUE(ok.starts_with("HTTP/1.1 200")) << ok.substr(0, 80);
}

TEST_F(HardeningTest, AnEncodedNewlineInAPathCannotForgeALogLine) {
  Do("GET", "/v1/keys/x%0a2026-01-01T00:00:00.000Z%20critical%20forged", "");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::istringstream lines(server_->log());
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(line.starts_with("2026-01-01T00:00:00.000Z critical forged")) << line;
  }
}

class JsonLogTest : public HardeningTest {
 protected:
  KeywardProcess::Options ServerOptions() override {
    KeywardProcess::Options o = HardeningTest::ServerOptions();
    o.env.push_back("KEYWARD_LOG_FORMAT=json");
    o.env.push_back("KEYWARD_LOG_LEVEL=debug");
    return o;
  }
};

TEST_F(JsonLogTest, EveryLineIsOneValidJsonObject) {
  Do("GET", "/v1/keys/%22%5C%0a%01%ff%c3", "");
  Do("GET", "/v1/keys/x", "Bearer \"quoted\"");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  std::istringstream lines(server_->log());
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(parsed.is_object()) << line;
    EXPECT_TRUE(parsed.contains("msg"));
  }
  EXPECT_GT(n, 2);
}

}  // namespace
}  // namespace keyward::testing
