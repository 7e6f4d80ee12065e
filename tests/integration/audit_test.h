// AuditTest: TenancyTest plus helpers to read GET /v1/audit.
#ifndef KEYWARD_TESTS_INTEGRATION_AUDIT_TEST_H_
#define KEYWARD_TESTS_INTEGRATION_AUDIT_TEST_H_

#include <chrono>
#include <string>
#include <thread>

#include "tenancy_test.h"

namespace keyward::testing {

class AuditTest : public TenancyTest {
 protected:
  // GET /v1/audit?<query> with `key` (the admin key when empty); the items.
  nlohmann::json Events(const std::string& query, std::string key = "") {
    if (key.empty()) key = admin_key_;
    auto r = Do("GET", "/v1/audit" + (query.empty() ? "" : "?" + query), key);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    auto body = Json(r);
    return body.contains("items") ? body["items"] : nlohmann::json::array();
  }

  // The newest event with `action` on `target_id`; null when there is none.
  nlohmann::json EventFor(const std::string& action, const std::string& target_id) {
    auto items = Events("action=" + action + "&target_id=" + target_id);
    return items.empty() ? nlohmann::json(nullptr) : items[0];
  }

  // Queued (auth.denied) events reach the store within about a second: poll for
  // `match` among the newest denials for up to 5 s.
  template <typename Match>
  nlohmann::json AwaitDenial(Match match, const std::string& key = "") {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
      for (const auto& e : Events("action=auth.denied&limit=500", key)) {
        if (match(e)) return e;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return nullptr;
  }

  std::string MyUserId(const std::string& key) {
    auto r = Do("GET", "/v1/me", key);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r)["user"].value("id", "");
  }

  std::string MyKeyId(const std::string& key) {
    auto r = Do("GET", "/v1/me", key);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r)["key"].value("id", "");
  }
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_AUDIT_TEST_H_
