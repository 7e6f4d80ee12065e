// Quota columns: the epoch rule of UpdateKey and the write-back of live counts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::StoreTest;

KeyRecord QuotaKey() {
  KeyRecord key = MakeKey("key_q", "kw_quota0001", "org_1", "usr_a");
  key.remaining_uses = 100;
  key.refill = QuotaRefill{100, RefillInterval::kDaily};
  key.quota_epoch = 1;
  key.quota_refilled_at = 1'700'000'000;
  return key;
}

TEST_P(StoreTest, SaveQuotasWritesCountsWithoutAChangeSeq) {
  ASSERT_TRUE(store_->InsertKey(QuotaKey()).ok());
  const std::int64_t seq = *store_->CurrentChangeSeq();
  ASSERT_TRUE(store_->SaveQuotas({{"key_q", 1, 42, 1'700'086'400}}).ok());
  KeyRecord got = *store_->GetKey("key_q");
  EXPECT_EQ(got.remaining_uses, 42);
  EXPECT_EQ(got.quota_refilled_at, 1'700'086'400);
  EXPECT_EQ(*store_->CurrentChangeSeq(), seq);
  EXPECT_TRUE(store_->ChangesSince(seq)->keys.empty());
  // Without a refill time the stored one is kept.
  ASSERT_TRUE(store_->SaveQuotas({{"key_q", 1, 41, std::nullopt}}).ok());
  got = *store_->GetKey("key_q");
  EXPECT_EQ(got.remaining_uses, 41);
  EXPECT_EQ(got.quota_refilled_at, 1'700'086'400);
}

TEST_P(StoreTest, SaveQuotasDropsCountsOfAnOlderEpochOrWithoutQuota) {
  ASSERT_TRUE(store_->InsertKey(QuotaKey()).ok());
  KeyRecord plain = MakeKey("key_p", "kw_plain0001", "org_1", "usr_a");
  ASSERT_TRUE(store_->InsertKey(plain).ok());
  ASSERT_TRUE(store_
                  ->SaveQuotas({{"key_q", 0, 5, std::nullopt},
                                {"key_p", 0, 5, std::nullopt},
                                {"key_missing", 0, 5, std::nullopt}})
                  .ok());
  EXPECT_EQ(store_->GetKey("key_q")->remaining_uses, 100);
  EXPECT_EQ(store_->GetKey("key_p")->remaining_uses, std::nullopt);
}

TEST_P(StoreTest, UpdateKeyKeepsTheStoredCountUnderTheSameEpoch) {
  ASSERT_TRUE(store_->InsertKey(QuotaKey()).ok());
  ASSERT_TRUE(store_->SaveQuotas({{"key_q", 1, 60, 1'700'086'400}}).ok());
  // A rename carries the caller's stale copy of the count: it must not win.
  KeyRecord stale = QuotaKey();
  stale.name = "renamed";
  ASSERT_TRUE(store_->UpdateKey(stale).ok());
  KeyRecord got = *store_->GetKey("key_q");
  EXPECT_EQ(got.name, "renamed");
  EXPECT_EQ(got.remaining_uses, 60);
  EXPECT_EQ(got.quota_refilled_at, 1'700'086'400);
  // Setting the quota (a new epoch) writes it, even to the old number.
  KeyRecord reset = QuotaKey();
  reset.quota_epoch = 2;
  reset.quota_refilled_at = 1'700'100'000;
  ASSERT_TRUE(store_->UpdateKey(reset).ok());
  got = *store_->GetKey("key_q");
  EXPECT_EQ(got.remaining_uses, 100);
  EXPECT_EQ(got.quota_epoch, 2);
  EXPECT_EQ(got.quota_refilled_at, 1'700'100'000);
  // A late flush of the old epoch is ignored.
  ASSERT_TRUE(store_->SaveQuotas({{"key_q", 1, 7, std::nullopt}}).ok());
  EXPECT_EQ(store_->GetKey("key_q")->remaining_uses, 100);
}

TEST_P(StoreTest, RefillRoundTripsAndClears) {
  ASSERT_TRUE(store_->InsertKey(QuotaKey()).ok());
  EXPECT_EQ(store_->GetKey("key_q")->refill, (QuotaRefill{100, RefillInterval::kDaily}));
  KeyRecord cleared = QuotaKey();
  cleared.refill.reset();
  ASSERT_TRUE(store_->UpdateKey(cleared).ok());
  EXPECT_EQ(store_->GetKey("key_q")->refill, std::nullopt);
}

}  // namespace
}  // namespace keyward::store
