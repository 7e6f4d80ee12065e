#include "keyward/core/key_index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace keyward::core {
namespace {

std::shared_ptr<const KeyRecord> Record(std::string display_prefix, std::string id) {
  auto record = std::make_shared<KeyRecord>();
  record->display_prefix = std::move(display_prefix);
  record->id = std::move(id);
  return record;
}

TEST(KeyIndexTest, FindsWhatWasUpserted) {
  KeyIndex index;
  index.Upsert(Record("kw_AAAAAAAAA", "key_1"));
  index.Upsert(Record("kw_BBBBBBBBB", "key_2"));
  ASSERT_NE(index.Find("kw_AAAAAAAAA"), nullptr);
  EXPECT_EQ(index.Find("kw_AAAAAAAAA")->id, "key_1");
  EXPECT_EQ(index.Find("kw_BBBBBBBBB")->id, "key_2");
  EXPECT_EQ(index.Find("kw_CCCCCCCCC"), nullptr);
  EXPECT_TRUE(index.Contains("kw_AAAAAAAAA"));
  EXPECT_FALSE(index.Contains("kw_CCCCCCCCC"));
  EXPECT_EQ(index.Size(), 2U);
}

TEST(KeyIndexTest, PrefetchChangesNothing) {
  KeyIndex index;
  index.Prefetch("kw_AAAAAAAAA");  // before any shard has a table
  index.Upsert(Record("kw_AAAAAAAAA", "key_1"));
  index.Prefetch("kw_AAAAAAAAA");
  index.Prefetch("kw_ZZZZZZZZZ");
  EXPECT_EQ(index.Size(), 1U);
  ASSERT_NE(index.Find("kw_AAAAAAAAA"), nullptr);
  EXPECT_EQ(index.Find("kw_AAAAAAAAA")->id, "key_1");
  EXPECT_FALSE(index.Contains("kw_ZZZZZZZZZ"));
}

TEST(KeyIndexTest, LooksUpBySubstringViewWithoutTerminator) {
  KeyIndex index;
  index.Upsert(Record("kw_AAAAAAAAA", "key_1"));
  const std::string key = "kw_AAAAAAAAAzzzzzzzz";
  EXPECT_NE(index.Find(std::string_view(key).substr(0, 12)), nullptr);
  EXPECT_EQ(index.Find(key), nullptr);
}

TEST(KeyIndexTest, UpsertReplacesAndKeepsOldRecordAliveForHolders) {
  KeyIndex index;
  index.Upsert(Record("kw_AAAAAAAAA", "key_old"));
  const auto held = index.Find("kw_AAAAAAAAA");
  index.Upsert(Record("kw_AAAAAAAAA", "key_new"));
  EXPECT_EQ(index.Size(), 1U);
  EXPECT_EQ(index.Find("kw_AAAAAAAAA")->id, "key_new");
  EXPECT_EQ(held->id, "key_old");
}

TEST(KeyIndexTest, RemoveForgetsOnlyThatPrefix) {
  KeyIndex index;
  index.Upsert(Record("kw_AAAAAAAAA", "key_1"));
  index.Upsert(Record("kw_BBBBBBBBB", "key_2"));
  index.Remove("kw_AAAAAAAAA");
  index.Remove("kw_NOTTHERE");
  EXPECT_EQ(index.Find("kw_AAAAAAAAA"), nullptr);
  EXPECT_NE(index.Find("kw_BBBBBBBBB"), nullptr);
  EXPECT_EQ(index.Size(), 1U);
}

TEST(KeyIndexTest, IgnoresNullRecords) {
  KeyIndex index;
  index.Upsert(nullptr);
  EXPECT_EQ(index.Size(), 0U);
}

TEST(KeyIndexTest, HoldsManyRecordsAcrossShards) {
  KeyIndex index;
  index.Reserve(10000);
  for (int i = 0; i < 10000; ++i) {
    index.Upsert(Record("kw_" + std::to_string(i), "key_" + std::to_string(i)));
  }
  EXPECT_EQ(index.Size(), 10000U);
  for (int i = 0; i < 10000; ++i) {
    const auto found = index.Find("kw_" + std::to_string(i));
    ASSERT_NE(found, nullptr) << i;
    ASSERT_EQ(found->id, "key_" + std::to_string(i));
  }
}

TEST(KeyIndexTest, UpsertAllIsUpsertOfEachRecordInTurn) {
  // New prefixes, replacements of indexed ones, a prefix twice in one batch (the
  // later wins) and nulls, across every shard: the same index as Upserts in order.
  KeyIndex one_by_one;
  KeyIndex batched;
  for (int i = 0; i < 3000; ++i) {
    auto r = Record("kw_" + std::to_string(i), "key_first_" + std::to_string(i));
    one_by_one.Upsert(r);
    batched.Upsert(r);
  }
  std::vector<std::shared_ptr<const KeyRecord>> batch;
  for (int i = 0; i < 10000; i += 2) {
    batch.push_back(Record("kw_" + std::to_string(i), "key_a" + std::to_string(i)));
    if (i % 6 == 0) batch.push_back(nullptr);
    if (i % 10 == 0) {
      batch.push_back(Record("kw_" + std::to_string(i), "key_b" + std::to_string(i)));
    }
  }
  for (const auto& r : batch) one_by_one.Upsert(r);
  batched.UpsertAll(batch);
  EXPECT_EQ(batched.Size(), one_by_one.Size());
  EXPECT_EQ(batched.Size(), 3000u + 3500u);  // 0..2998 replaced, 3000..9998 new
  for (int i = 0; i < 10000; ++i) {
    const std::string prefix = "kw_" + std::to_string(i);
    const auto want = one_by_one.Find(prefix);
    const auto got = batched.Find(prefix);
    ASSERT_EQ(got == nullptr, want == nullptr) << prefix;
    if (want) {
      EXPECT_EQ(got, want) << prefix;  // the very record, not a copy
    }
  }
  EXPECT_EQ(batched.Find("kw_10")->id, "key_b10");
  EXPECT_EQ(batched.Find("kw_12")->id, "key_a12");
  EXPECT_EQ(batched.Find("kw_2999")->id, "key_first_2999");
  batched.UpsertAll({});
  EXPECT_EQ(batched.Size(), one_by_one.Size());
}

TEST(KeyIndexTest, UpsertAllKeepsReplacedRecordsAliveForHolders) {
  KeyIndex index;
  index.Upsert(Record("kw_AAAAAAAAA", "key_old"));
  const auto held = index.Find("kw_AAAAAAAAA");
  const std::vector<std::shared_ptr<const KeyRecord>> batch = {
      Record("kw_AAAAAAAAA", "key_new"), Record("kw_BBBBBBBBB", "key_2")};
  index.UpsertAll(batch);
  EXPECT_EQ(index.Size(), 2U);
  EXPECT_EQ(index.Find("kw_AAAAAAAAA")->id, "key_new");
  EXPECT_EQ(held->id, "key_old");
  EXPECT_EQ(held.use_count(), 1);  // the index let go of it
}

TEST(KeyIndexTest, ReadersNeverMissAKeyThatUpsertAllRepublishes) {
  KeyIndex index;
  constexpr int kStable = 2000;
  std::vector<std::shared_ptr<const KeyRecord>> batch;
  for (int i = 0; i < kStable; ++i) {
    batch.push_back(Record("kw_s" + std::to_string(i), "key_s" + std::to_string(i)));
  }
  index.UpsertAll(batch);
  std::atomic<bool> stop{false};
  std::atomic<int> misses{0};
  std::atomic<long> reads{0};
  std::thread reader([&] {
    for (int i = 0; !stop.load(std::memory_order_relaxed); i += 7) {
      const std::string prefix = "kw_s" + std::to_string(i % kStable);
      const auto found = index.Find(prefix);
      if (!found || found->display_prefix != prefix) ++misses;
      ++reads;
    }
  });
  for (int round = 0; round < 20; ++round) index.UpsertAll(batch);
  while (reads.load() == 0) std::this_thread::yield();
  stop = true;
  reader.join();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_EQ(index.Size(), static_cast<std::size_t>(kStable));
}

TEST(KeyIndexTest, ConcurrentReadersSeeStableKeysWhileAWriterChurns) {
  KeyIndex index;
  constexpr int kStable = 1000;
  for (int i = 0; i < kStable; ++i) {
    index.Upsert(Record("kw_s" + std::to_string(i), "key_s" + std::to_string(i)));
  }
  std::atomic<bool> stop{false};
  std::atomic<int> misses{0};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      int i = r;
      while (!stop.load(std::memory_order_relaxed)) {
        const std::string prefix = "kw_s" + std::to_string(i % kStable);
        const auto found = index.Find(prefix);
        if (!found || found->display_prefix != prefix) ++misses;
        index.Find("kw_c" + std::to_string(i % 500));  // churned keys: either answer
        ++reads;
        i += 7;
      }
    });
  }
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 500; ++i) {
      index.Upsert(Record("kw_c" + std::to_string(i), "key_c" + std::to_string(round)));
    }
    for (int i = 0; i < 500; ++i) {
      // Re-publishing a stable key must never make it briefly disappear.
      index.Upsert(Record("kw_s" + std::to_string(i), "key_s" + std::to_string(i)));
      index.Remove("kw_c" + std::to_string(i));
    }
  }
  // On a loaded machine the readers may not have run at all yet: let them read
  // before stopping them, so "reads > 0" checks the readers, not the scheduler.
  while (reads.load() == 0) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(index.Size(), static_cast<std::size_t>(kStable));
}

}  // namespace
}  // namespace keyward::core
