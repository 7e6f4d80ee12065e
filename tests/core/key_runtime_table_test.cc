// KeyRuntimeTable on its own: a published record reaches the runtimes whether it is
// published before the first runtime exists, while it is being made, or after.
#include "keyward/core/key_runtime_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "keyward/core/key_index.h"
#include "keyward/core/monotonic_clock.h"

namespace keyward::core {
namespace {

std::shared_ptr<const KeyRecord> Record(std::int64_t epoch, std::int64_t remaining) {
  auto record = std::make_shared<KeyRecord>();
  record->id = "key_1";
  record->display_prefix = "kw_AAAAAAAAA";
  record->quota_epoch = epoch;
  record->remaining_uses = remaining;
  return record;
}

// Publishes the way service::App does: the index first, then the table.
void Publish(KeyIndex& index, KeyRuntimeTable& table,
             const std::shared_ptr<const KeyRecord>& record) {
  index.Upsert(record);
  table.Refresh(record);
}

TEST(KeyRuntimeTableTest, APublishBeforeTheFirstRuntimeIsWhatThatRuntimeIsMadeFrom) {
  KeyIndex index;
  FakeMonotonicClock clock;
  KeyRuntimeTable table(index, Tiers{}, clock);
  const auto first = Record(0, 5);
  Publish(index, table, first);
  const auto second = Record(1, 9);
  Publish(index, table, second);  // no runtime yet: nothing to recompile
  EXPECT_EQ(table.Size(), 0u);
  // A verification that found the first record before the second was published.
  const auto runtime = table.Acquire(first);
  EXPECT_EQ(runtime->rules.source, second);
  EXPECT_EQ(runtime->counters->quota.Load().remaining, 9);
}

TEST(KeyRuntimeTableTest, APublishRacingTheFirstRuntimeIsNeverLost) {
  // The first runtime is made from the index while a new record is published: once
  // both are done, the runtime must be the new record's (by Acquire reading it, or
  // by Refresh recompiling), or the quota flusher keeps the old epoch's count.
  for (int round = 0; round < 300; ++round) {
    KeyIndex index;
    FakeMonotonicClock clock;
    KeyRuntimeTable table(index, Tiers{}, clock);
    const auto old_record = Record(0, 5);
    index.Upsert(old_record);
    const auto new_record = Record(1, 9);
    std::thread verifier([&] { table.Acquire(old_record); });
    std::thread admin([&] { Publish(index, table, new_record); });
    verifier.join();
    admin.join();
    const auto runtime = table.Find("key_1");
    ASSERT_NE(runtime, nullptr);
    ASSERT_EQ(runtime->rules.source, new_record) << "round " << round;
    ASSERT_EQ(runtime->counters->quota_epoch, 1);
  }
}

TEST(KeyRuntimeTableTest, APublishAfterTheFirstRuntimeRecompilesAtOnce) {
  KeyIndex index;
  FakeMonotonicClock clock;
  KeyRuntimeTable table(index, Tiers{}, clock);
  const auto first = Record(0, 5);
  Publish(index, table, first);
  table.Acquire(first);
  const auto second = Record(1, 9);
  Publish(index, table, second);
  const auto runtime = table.Find("key_1");
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(runtime->rules.source, second);
  EXPECT_EQ(runtime->counters->quota.Load().remaining, 9);
}

TEST(KeyRuntimeTableTest, ALastUseOutlivesRuleChangesButIsNotSharedWithASuccessor) {
  KeyIndex index;
  FakeMonotonicClock clock;
  KeyRuntimeTable table(index, Tiers{}, clock);
  const auto first = Record(0, 5);
  Publish(index, table, first);
  table.Acquire(first)->last_use->Note(100, "192.0.2.1");
  const auto second = Record(0, 5);  // an edit: new rules, same key
  Publish(index, table, second);
  const auto runtime = table.Acquire(second);
  ASSERT_EQ(runtime->rules.source, second);
  ASSERT_TRUE(runtime->last_use->Load().has_value());
  EXPECT_EQ(runtime->last_use->Load()->ip(), "192.0.2.1");

  // A rotation: the successor draws on the same limits, not on the same last use.
  auto successor = std::make_shared<KeyRecord>(*second);
  successor->id = "key_2";
  successor->display_prefix = "kw_BBBBBBBBB";
  Publish(index, table, successor);
  table.ShareCounters(second, successor);
  const auto old_key = table.Find("key_1");
  const auto new_key = table.Find("key_2");
  ASSERT_NE(old_key, nullptr);
  ASSERT_NE(new_key, nullptr);
  EXPECT_EQ(old_key->counters, new_key->counters);
  EXPECT_NE(old_key->last_use, new_key->last_use);
  EXPECT_EQ(old_key->last_use->Load()->ip(), "192.0.2.1");  // kept through the share
  EXPECT_FALSE(new_key->last_use->Load().has_value());
}

}  // namespace
}  // namespace keyward::core
