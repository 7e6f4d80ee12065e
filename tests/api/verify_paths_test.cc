// POST /v1/verify answers every body exactly as it did before the fast scanner:
// for a corpus of bodies, the whole answer (status, headers, body bytes) with the
// scanner on equals the answer with it off (Api::set_verify_fast_path), each from
// the same fresh copy of one data dir, so key state and throttles start equal.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "keyward/api/api.h"
#include "keyward/api/verify_body.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/app.h"
#include "keyward/usage/usage_writer.h"
#include "support/temp_dir.h"

namespace keyward::api {
namespace {

using keyward::testing::TempDir;
namespace fs = std::filesystem;

constexpr char kTrustedPeer[] = "127.0.0.1";
constexpr char kUntrustedPeer[] = "192.0.2.9";

class VerifyPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.data_dir = template_.File("data");
    config_.trusted_proxies = {"127.0.0.0/8"};
    auto app = service::App::Open(config_);  // writes the bootstrap admin key
    ASSERT_TRUE(app.ok()) << app.error().message;
    std::ifstream in((*app)->data_dir().bootstrap_key_path());
    std::getline(in, key_);
    ASSERT_FALSE(key_.empty());
  }

  // The answer of a fresh server (a copy of the template data dir) to one request.
  std::string Answer(const std::string& body, const std::string& peer, bool fast) {
    TempDir run;
    fs::copy(template_.File("data"), run.File("data"), fs::copy_options::recursive);
    config::Config config = config_;
    config.data_dir = run.File("data");
    auto app = service::App::Open(config);
    if (!app.ok()) return "open failed: " + app.error().message;
    usage::UsageWriter usage((*app)->store(), std::chrono::hours(1));
    metrics::Metrics metrics;
    Api api(**app, usage, metrics);
    api.set_verify_fast_path(fast);
    http::Request req;
    req.method = "POST";
    req.target = "/v1/verify";
    req.headers = {{"Content-Type", "application/json"}};
    req.body = body;
    req.peer_ip = peer;
    http::Response resp = api.Handle(req);
    std::ostringstream out;
    out << resp.status << "\n";
    for (const auto& [name, value] : resp.headers) out << name << ": " << value << "\n";
    out << "\n" << resp.body;
    // A VALID answer shows its own use as the key's last (last_use_cell.h), at the
    // second it was answered: the two runs may fall in different seconds.
    static const std::regex kAnswerTime(R"("last_used_at":"[^"]*")");
    return std::regex_replace(out.str(), kAnswerTime,
                              "\"last_used_at\":\"when answered\"");
  }

  TempDir template_;
  config::Config config_;
  std::string key_;
};

TEST_F(VerifyPathsTest, AnswersAreTheSameWithAndWithoutTheScanner) {
  const std::string k = key_;
  // The key with its first byte escaped: the same key, read only by the DOM path.
  const std::string escaped = "\\u00" + [&] {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(k[0]));
    return std::string(hex);
  }() + k.substr(1);
  const std::vector<std::string> bodies = {
      // The common shapes (the scanner reads these).
      R"({"key":")" + k + R"("})",
      R"({"key":")" + k + R"(","scopes":["logs:read"]})",
      R"({"key":")" + k + R"(","scopes":["logs:read","keys:write"],"ip":"10.1.2.3"})",
      " {\n\t\"ip\" : \"::ffff:10.0.0.1\" ,\"scopes\":[ ],\r\n\"key\":\"" + k + "\" }\n",
      R"({"key":")" + k + R"(","ip":"2001:DB8::1"})",
      R"({"key":"kw_nosuchkey_0000000000000000000000"})",
      R"({"key":""})",
      R"({"key":"not a key at all"})",
      "{}",
      R"({"scopes":["logs:read"]})",
      // Bad scopes and addresses: read by the scanner, refused by validation.
      R"({"key":")" + k + R"(","scopes":["logs:read","NOT A SCOPE",""]})",
      R"({"key":")" + k + R"(","ip":"10.0.0.256"})",
      R"({"key":")" + k + R"(","ip":""})",
      R"({"key":"x","scopes":["bad scope"],"ip":"nope"})",
      // Escapes and non-ASCII: the DOM path on both sides.
      R"({"key":")" + escaped + R"("})",
      R"({"key":")" + k + R"(","scopes":["logs\u003aread"]})",
      "{\"key\":\"" + k + "\",\"scopes\":[\"caf\xc3\xa9:read\"]}",
      // Unknown members, duplicates, wrong types.
      R"({"key":")" + k + R"(","name":"x","aa":1})",
      R"({"key":")" + k + R"(","key":")" + k + R"("})",
      R"({"key":")" + k + R"(","scopes":[],"scopes":["*"]})",
      R"({"key":5})",
      R"({"key":null,"scopes":"logs:read","ip":7})",
      R"({"key":")" + k + R"(","scopes":["logs:read",1,null]})",
      R"({"key":")" + k + R"(","scopes":{}})",
      R"({"key":[")" + k + R"("]})",
      // Not an object, not JSON, empty, trailing bytes.
      R"([")" + k + R"("])",
      R"("x")",
      "",
      "   ",
      R"({"key":")" + k + R"("} x)",
      R"({"key":")" + k + R"(")",
      std::string(R"({"key":"x"})") + std::string(1, '\0'),
  };
  int scanned = 0;
  for (const std::string& body : bodies) {
    if (ScanVerifyBody(body)) ++scanned;
    for (const char* peer : {kTrustedPeer, kUntrustedPeer}) {
      const std::string fast = Answer(body, peer, true);
      EXPECT_EQ(fast, Answer(body, peer, false))
          << "body: " << body << "\npeer: " << peer;
      EXPECT_TRUE(fast.starts_with("200\n") || fast.starts_with("400\n") ||
                  fast.starts_with("422\n"))
          << fast;
    }
  }
  // The comparison means something only if the scanner read a good part of them.
  EXPECT_GE(scanned, 14);
}

TEST_F(VerifyPathsTest, AValidKeyIsVerifiedThroughTheScanner) {
  const std::string body = R"({"key":")" + key_ + R"(","scopes":["logs:read"]})";
  ASSERT_TRUE(ScanVerifyBody(body).has_value());
  const std::string answer = Answer(body, kUntrustedPeer, true);
  EXPECT_TRUE(answer.starts_with("200\n")) << answer;
  EXPECT_NE(answer.find(R"("valid":true)"), std::string::npos) << answer;
  // A scope that is not one is refused before the key is looked at.
  const std::string bad =
      Answer(R"({"key":")" + key_ + R"(","scopes":["logs:read","NOT A SCOPE"]})",
             kUntrustedPeer, true);
  EXPECT_TRUE(bad.starts_with("422\n")) << bad;
  EXPECT_NE(bad.find("scopes[1]"), std::string::npos) << bad;
}

}  // namespace
}  // namespace keyward::api
