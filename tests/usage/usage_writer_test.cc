// UsageWriter under concurrent use: request threads Record while the background
// worker and explicit Flush calls drain the queue. Part of the TSan pass
// (scripts/test.sh), which is what finds a race here; the exact counts below find a
// lost or doubled batch in any build.
#include "keyward/usage/usage_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "store/store_test_util.h"

namespace keyward::usage {
namespace {

using store::testing::MakeKey;
using store::testing::StoreTest;

constexpr UnixSeconds kHour = 1'800'000'000 / 3600 * 3600;

class UsageWriterTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_1", "org_1", "usr_a")).ok());
  }

  std::map<std::string, std::int64_t> Counts() {
    auto hours = store_->UsageForKey("key_1", kHour);
    EXPECT_TRUE(hours.ok());
    if (!hours.ok() || hours->empty()) return {};
    EXPECT_EQ(hours->size(), 1u);
    return hours->front().counts;
  }
};

TEST_P(UsageWriterTest, ConcurrentRecordsAndFlushesLoseAndDoubleNothing) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  UsageWriter writer(*store_, std::chrono::milliseconds(1));
  writer.Start();
  std::atomic<bool> recording{true};
  std::thread flusher([&] {
    while (recording.load()) EXPECT_TRUE(writer.Flush().ok());
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&writer, t] {
      for (int i = 0; i < kPerThread; ++i) {
        writer.Record({"key_1", kHour + 10 + i % 60, "198.51.100." + std::to_string(t),
                       i % 5 == 0 ? "RATE_LIMITED" : "VALID"});
      }
    });
  }
  for (auto& th : threads) th.join();
  recording = false;
  flusher.join();
  writer.Stop();

  const auto counts = Counts();
  EXPECT_EQ(counts.at("VALID"), kThreads * kPerThread * 4 / 5);
  EXPECT_EQ(counts.at("RATE_LIMITED"), kThreads * kPerThread / 5);
  // The latest VALID event: i % 60 == 59 (59 % 5 != 0).
  EXPECT_EQ(store_->GetKey("key_1")->last_used_at, kHour + 10 + 59);
}

TEST_P(UsageWriterTest, StopWritesWhatIsPendingAndIsIdempotent) {
  UsageWriter writer(*store_, std::chrono::hours(1));
  writer.Start();
  writer.Record({"key_1", kHour + 1, "198.51.100.1", "VALID"});
  writer.Stop();
  EXPECT_EQ(Counts().at("VALID"), 1);
  writer.Stop();  // and the destructor a third time: nothing written twice
  EXPECT_EQ(Counts().at("VALID"), 1);
}

// A thread's verifications of one key fold into one entry per hour and outcome,
// keeping the latest time and IP; what reaches the store is the same as unfolded.
TEST_P(UsageWriterTest, RecordsOfAKeyFoldIntoOneEntryPerHourAndOutcome) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_2", "kw_2", "org_1", "usr_a")).ok());
  UsageWriter writer(*store_, std::chrono::hours(1));
  for (int i = 0; i < 1000; ++i) {
    writer.Record("key_1", kHour + 100 + i, "198.51.100." + std::to_string(i % 7),
                  "VALID");
    writer.Record("key_2", kHour + 100, "198.51.100.1", "VALID");
  }
  EXPECT_EQ(writer.PendingEntries(), 2u);
  writer.Record("key_1", kHour + 50, "203.0.113.9", "VALID");  // late: not last-used
  writer.Record("key_1", kHour + 60, "203.0.113.9", "REVOKED");
  writer.Record("key_1", kHour + 3600, "203.0.113.8", "REVOKED");  // the next hour
  EXPECT_EQ(writer.PendingEntries(), 4u);
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(writer.PendingEntries(), 0u);
  const auto hours = store_->UsageForKey("key_1", kHour);
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 2u);  // latest first
  EXPECT_EQ(hours->at(0).hour, kHour + 3600);
  EXPECT_EQ(hours->at(0).counts.at("REVOKED"), 1);
  EXPECT_EQ(hours->at(1).counts.at("VALID"), 1001);
  EXPECT_EQ(hours->at(1).counts.at("REVOKED"), 1);
  const auto key = store_->GetKey("key_1");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->last_used_at, kHour + 100 + 999);
  EXPECT_EQ(key->last_used_ip, "198.51.100." + std::to_string(999 % 7));
  // After a flush the buffer starts empty, and folds again.
  writer.Record("key_1", kHour + 2000, "198.51.100.1", "VALID");
  writer.Record("key_1", kHour + 2001, "198.51.100.1", "VALID");
  EXPECT_EQ(writer.PendingEntries(), 1u);
}

// The writer on both stores (tests/store/store_test_util.h).
INSTANTIATE_TEST_SUITE_P(Backends, UsageWriterTest,
                         ::testing::Values(store::testing::Backend::kSqlite,
                                           store::testing::Backend::kPostgres),
                         store::testing::BackendName);

}  // namespace
}  // namespace keyward::usage
