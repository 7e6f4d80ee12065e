#include "keyward/usage/quota_flusher.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "keyward/core/key_index.h"
#include "keyward/core/key_runtime_table.h"

namespace keyward::usage {
namespace {

class QuotaFlusherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ =
        (std::filesystem::temp_directory_path() / "keyward-flush-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    auto opened = store::Store::Open(dir_ + "/keyward.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    OrgRecord org;
    org.id = "org_1";
    org.name = "one";
    ASSERT_TRUE(store_->InsertOrg(org).ok());
    KeyRecord key;
    key.id = "key_1";
    key.display_prefix = "kw_flush0001";
    key.name = "k";
    key.kind = KeyKind::kOrg;
    key.org_id = "org_1";
    key.created_by = "usr_x";
    key.remaining_uses = 10;
    key.quota_epoch = 1;
    ASSERT_TRUE(store_->InsertKey(key).ok());
    Publish(key);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void Publish(const KeyRecord& key) {
    record_ = std::make_shared<const KeyRecord>(key);
    index_.Upsert(record_);
    table_.Refresh(record_);
  }
  std::optional<std::int64_t> Take() {
    auto runtime = table_.Acquire(record_);
    return runtime->counters->quota.Consume(std::nullopt, 0);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  core::KeyIndex index_;
  core::FakeMonotonicClock mono_;
  core::KeyRuntimeTable table_{index_, core::Tiers{}, mono_};
  std::shared_ptr<const KeyRecord> record_;
};

TEST_F(QuotaFlusherTest, FlushWritesChangedCountsOnceWithoutAChangeSeq) {
  QuotaFlusher flusher(*store_, table_, std::chrono::hours(1));
  ASSERT_TRUE(flusher.Flush().ok());  // nothing used yet: nothing to write
  const std::int64_t seq = *store_->CurrentChangeSeq();
  Take();
  Take();
  ASSERT_TRUE(flusher.Flush().ok());
  EXPECT_EQ(store_->GetKey("key_1")->remaining_uses, 8);
  EXPECT_EQ(*store_->CurrentChangeSeq(), seq);
  EXPECT_TRUE(table_.CollectQuotaChanges().empty());
}

TEST_F(QuotaFlusherTest, StopFlushesWhatIsPending) {
  {
    QuotaFlusher flusher(*store_, table_, std::chrono::hours(1));
    flusher.Start();
    Take();
    flusher.Stop();
  }
  EXPECT_EQ(store_->GetKey("key_1")->remaining_uses, 9);
}

TEST_F(QuotaFlusherTest, ACountFromBeforeAnAdminResetIsNotWritten) {
  QuotaFlusher flusher(*store_, table_, std::chrono::hours(1));
  Take();
  auto pending = table_.CollectQuotaChanges();  // a flush racing with the reset
  ASSERT_EQ(pending.size(), 1u);
  KeyRecord reset = *store_->GetKey("key_1");
  reset.remaining_uses = 50;
  reset.quota_epoch = 2;
  ASSERT_TRUE(store_->UpdateKey(reset).ok());
  Publish(reset);
  ASSERT_TRUE(store_
                  ->SaveQuotas({{pending[0].key_id, pending[0].quota_epoch,
                                 pending[0].remaining, pending[0].refilled_at}})
                  .ok());
  EXPECT_EQ(store_->GetKey("key_1")->remaining_uses, 50);
  Take();
  ASSERT_TRUE(flusher.Flush().ok());
  EXPECT_EQ(store_->GetKey("key_1")->remaining_uses, 49);
}

}  // namespace
}  // namespace keyward::usage
