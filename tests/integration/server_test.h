// ServerTest: a gtest fixture with a fresh data dir and a running keyward on it.
#ifndef KEYWARD_TESTS_INTEGRATION_SERVER_TEST_H_
#define KEYWARD_TESTS_INTEGRATION_SERVER_TEST_H_

#include <gtest/gtest.h>

#include <memory>

#include "keyward_process.h"
#include "support/temp_dir.h"

namespace keyward::testing {

class ServerTest : public ::testing::Test {
 protected:
  // Override to pass extra flags or environment to `keyward serve`.
  virtual KeywardProcess::Options ServerOptions() {
    KeywardProcess::Options o;
    o.data_dir = dir_.File("data");
    return o;
  }

  void SetUp() override { StartServer(); }

  void StartServer() {
    server_ = std::make_unique<KeywardProcess>(ServerOptions());
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    admin_key_ = server_->BootstrapKey();
    client_ = server_->Client();
  }

  int StopServer() {
    client_.reset();
    return server_->Stop();
  }

  ClientResponse Do(const std::string& method, const std::string& target,
                    const std::string& key, const nlohmann::json& body = nullptr,
                    Headers extra = {}) {
    return Call(*client_, method, target, key, body, std::move(extra));
  }

  // Creates a key with the admin key and returns the 201 body (with "key").
  nlohmann::json CreateKey(nlohmann::json body) {
    auto r = Do("POST", "/v1/keys", admin_key_, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r);
  }

  // POST /v1/verify and return the body.
  nlohmann::json VerifyKey(const std::string& key, std::vector<std::string> scopes = {}) {
    nlohmann::json body{{"key", key}};
    if (!scopes.empty()) body["scopes"] = scopes;
    auto r = Do("POST", "/v1/verify", "", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  std::string data_dir() const { return dir_.File("data"); }

  TempDir dir_;
  std::unique_ptr<KeywardProcess> server_;
  std::unique_ptr<HttpsClient> client_;
  std::string admin_key_;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_SERVER_TEST_H_
