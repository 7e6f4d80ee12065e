// Shared fixture for the Verifier tests: a fake clock, an in-memory index and
// directory, one active org "org_1" and one active user "usr_1" holding ["*"].
#ifndef KEYWARD_TESTS_CORE_VERIFIER_FIXTURE_H_
#define KEYWARD_TESTS_CORE_VERIFIER_FIXTURE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/fake_random.h"
#include "core/test_printers.h"
#include "keyward/core/verifier.h"

namespace keyward::core::testing {

inline constexpr UnixSeconds kNow = 1'800'000'000;

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : hasher_(Digest{7, 7, 7}), clock_(kNow) {
    SetOrg(OrgRecord{.id = "org_1", .name = "default"});
    SetUser([](UserRecord&) {});
  }

  // Publishes the owner "usr_1" of org_1 with permissions ["*"], adjusted by `edit`.
  void SetUser(const std::function<void(UserRecord&)>& edit) {
    UserRecord user;
    user.id = "usr_1";
    user.username = "alice";
    user.org_id = "org_1";
    user.permissions = {"*"};
    edit(user);
    directory_.UpsertUser(user);
  }
  void SetOrg(OrgRecord org) { directory_.UpsertOrg(std::move(org)); }

  // Issues a new key owned by usr_1 with scopes ["logs:read"], adjusted by `edit`,
  // publishes it and returns the secret.
  std::string AddKey(const std::function<void(KeyRecord&)>& edit = [](KeyRecord&) {}) {
    const auto generated = format_.Generate(random_);
    auto record = std::make_shared<KeyRecord>();
    record->id = "key_" + std::to_string(++key_count_);
    record->display_prefix = generated.display_prefix;
    record->hash = hasher_.Hash(generated.key);
    record->kind = KeyKind::kUser;
    record->owner_user_id = "usr_1";
    record->org_id = "org_1";
    record->scopes = {"logs:read"};
    edit(*record);
    index_.Upsert(record);
    return generated.key;
  }

  Decision Verify(std::string_view key, std::vector<std::string> required = {},
                  VerifierPolicies policies = {}) {
    required_ = std::move(required);
    const Verifier verifier(format_, hasher_, index_, directory_, clock_,
                            std::move(policies));
    return verifier.Verify(VerifyInput{key, required_, "203.0.113.9"});
  }

  KeyFormat format_;
  Hasher hasher_;
  KeyIndex index_;
  PrincipalDirectory directory_;
  FakeClock clock_;
  CounterRandom random_;
  std::vector<std::string> required_;
  int key_count_ = 0;
};

}  // namespace keyward::core::testing

#endif  // KEYWARD_TESTS_CORE_VERIFIER_FIXTURE_H_
