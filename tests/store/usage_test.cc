// ApplyUsage / UsageForKey: last-used stamps and hourly counters.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::StoreTest;

constexpr UnixSeconds kH = 1'800'000'000 / 3600 * 3600;  // an hour boundary

class UsageTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_1", "org_1", "usr_a")).ok());
    ASSERT_TRUE(store_->InsertKey(MakeKey("key_2", "kw_2", "org_1", "usr_a")).ok());
  }
};

TEST_P(UsageTest, LastUsedComesFromTheLatestValidEvent) {
  ASSERT_TRUE(store_
                  ->ApplyUsage({{"key_1", kH + 20, "198.51.100.2", "VALID"},
                                {"key_1", kH + 10, "198.51.100.1", "VALID"},
                                {"key_1", kH + 30, "198.51.100.3", "RATE_LIMITED"}})
                  .ok());
  KeyRecord key = *store_->GetKey("key_1");
  EXPECT_EQ(key.last_used_at, kH + 20);
  EXPECT_EQ(key.last_used_ip, "198.51.100.2");
  EXPECT_EQ(store_->GetKey("key_2")->last_used_at, std::nullopt);
}

TEST_P(UsageTest, AFoldedEventCountsAsManyVerificationsAsItStandsFor) {
  ASSERT_TRUE(store_
                  ->ApplyUsage({{"key_1", kH + 5, "198.51.100.1", "VALID", 41},
                                {"key_1", kH + 6, "198.51.100.1", "VALID"}})
                  .ok());
  auto hours = store_->UsageForKey("key_1", kH);
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 1u);
  EXPECT_EQ(hours->front().counts.at("VALID"), 42);
}

TEST_P(UsageTest, LastUsedNeverMovesBackwards) {
  ASSERT_TRUE(store_->ApplyUsage({{"key_1", kH + 100, "198.51.100.1", "VALID"}}).ok());
  ASSERT_TRUE(store_->ApplyUsage({{"key_1", kH + 50, "198.51.100.9", "VALID"}}).ok());
  KeyRecord key = *store_->GetKey("key_1");
  EXPECT_EQ(key.last_used_at, kH + 100);
  EXPECT_EQ(key.last_used_ip, "198.51.100.1");
}

TEST_P(UsageTest, ApplyUsageDoesNotBumpChangeSeq) {
  const std::int64_t before = *store_->CurrentChangeSeq();
  ASSERT_TRUE(store_->ApplyUsage({{"key_1", kH, "198.51.100.1", "VALID"}}).ok());
  EXPECT_EQ(*store_->CurrentChangeSeq(), before);
  Result<ChangeSet> changes = store_->ChangesSince(before);
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->keys.empty());
}

TEST_P(UsageTest, HourlyCountsAccumulateByHourAndCodeNewestFirst) {
  ASSERT_TRUE(store_
                  ->ApplyUsage({{"key_1", kH + 1, "ip", "VALID"},
                                {"key_1", kH + 3599, "ip", "VALID"},
                                {"key_1", kH + 5, "ip", "EXPIRED"},
                                {"key_1", kH + 3600, "ip", "VALID"},
                                {"key_2", kH + 1, "ip", "VALID"}})
                  .ok());
  ASSERT_TRUE(store_->ApplyUsage({{"key_1", kH + 7, "ip", "VALID"}}).ok());

  Result<std::vector<HourlyUsage>> usage = store_->UsageForKey("key_1", kH - 7200);
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage->size(), 2u);
  EXPECT_EQ((*usage)[0].hour, kH + 3600);
  EXPECT_EQ((*usage)[0].counts, (std::map<std::string, std::int64_t>{{"VALID", 1}}));
  EXPECT_EQ((*usage)[1].hour, kH);
  EXPECT_EQ((*usage)[1].counts,
            (std::map<std::string, std::int64_t>{{"EXPIRED", 1}, {"VALID", 3}}));
}

TEST_P(UsageTest, UsageForKeyIncludesTheHourContainingSince) {
  ASSERT_TRUE(store_
                  ->ApplyUsage({{"key_1", kH - 1, "ip", "VALID"},
                                {"key_1", kH + 10, "ip", "VALID"}})
                  .ok());
  Result<std::vector<HourlyUsage>> usage = store_->UsageForKey("key_1", kH + 1800);
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage->size(), 1u);
  EXPECT_EQ((*usage)[0].hour, kH);
  EXPECT_TRUE(store_->UsageForKey("key_nope", 0)->empty());
}

TEST_P(UsageTest, UnknownKeyEventsAreCountedWithoutFailingTheBatch) {
  ASSERT_TRUE(store_
                  ->ApplyUsage({{"key_gone", kH, "ip", "VALID"},
                                {"", kH, "ip", "NOT_FOUND"},
                                {"key_1", kH, "198.51.100.1", "VALID"}})
                  .ok());
  EXPECT_EQ(store_->GetKey("key_1")->last_used_at, kH);
  EXPECT_EQ(store_->UsageForKey("key_gone", 0)->size(), 1u);
  EXPECT_TRUE(store_->ApplyUsage({}).ok());
}

TEST_P(UsageTest, UpdateKeyDoesNotRollBackLastUsed) {
  KeyRecord stale = *store_->GetKey("key_1");  // read before the usage flush
  ASSERT_TRUE(store_->ApplyUsage({{"key_1", kH, "198.51.100.1", "VALID"}}).ok());
  stale.name = "renamed";
  ASSERT_TRUE(store_->UpdateKey(stale).ok());
  KeyRecord key = *store_->GetKey("key_1");
  EXPECT_EQ(key.name, "renamed");
  EXPECT_EQ(key.last_used_at, kH);
  EXPECT_EQ(key.last_used_ip, "198.51.100.1");
}

INSTANTIATE_TEST_SUITE_P(Backends, UsageTest,
                         ::testing::Values(testing::Backend::kSqlite,
                                           testing::Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace keyward::store
