// A denial the store refuses must not block the denials queued behind it (attack
// review: on PostgreSQL one request for /v1/keys/%FF stopped a replica from storing
// any later auth.denied event until it restarted).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keyward/usage/audit_writer.h"
#include "store/store_test_util.h"

namespace keyward::usage {
namespace {

using store::testing::Backend;
using store::testing::StoreTest;

class AuditRefusalTest : public StoreTest {
 protected:
  static service::AuditEvent Denial(const std::string& ip, const std::string& target) {
    service::AuditEvent e;
    e.at = 1000;
    e.action = service::kAuthDenied;
    e.target_type = "route";
    e.target_id = target;
    e.ip = ip;
    e.outcome = "denied";
    return e;
  }

  std::vector<store::AuditRecord> Denials() {
    store::AuditFilter f;
    f.limit = 100;
    f.action = std::string(service::kAuthDenied);
    auto page = store_->ListAuditEvents(f);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<store::AuditRecord>{};
  }
};

TEST_P(AuditRefusalTest, PathBytesTheStoreCannotHoldAreScrubbedNotLost) {
  AuditWriter writer(*store_, std::chrono::hours(1));
  writer.Record(Denial("192.0.2.1", std::string("\xFF\x00x", 3)));
  ASSERT_TRUE(writer.Flush().ok());
  const auto rows = Denials();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].target_id, "??x");
  EXPECT_EQ(writer.dropped(), 0u);
}

TEST_P(AuditRefusalTest, ARefusedRowIsDroppedAndCountedAndTheRestAreStored) {
  AuditWriter writer(*store_, std::chrono::hours(1));
  service::AuditEvent bad = Denial("192.0.2.1", "/v1/keys");
  bad.actor_user_id = "usr_\xFF";  // PostgreSQL refuses ill-formed UTF-8 in text
  writer.Record(bad);
  writer.Record(Denial("192.0.2.2", "/v1/keys"));
  writer.Record(Denial("192.0.2.3", "/v1/keys"));
  ASSERT_TRUE(writer.Flush().ok());
  const bool refuses = GetParam() == Backend::kPostgres;
  EXPECT_EQ(Denials().size(), refuses ? 2u : 3u);
  EXPECT_EQ(writer.dropped(), refuses ? 1u : 0u);

  // Nothing was put back to block the queue: the next flush stores the next denial.
  writer.Record(Denial("192.0.2.4", "/v1/keys"));
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Denials().size(), refuses ? 3u : 4u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditRefusalTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         store::testing::BackendName);

}  // namespace
}  // namespace keyward::usage
