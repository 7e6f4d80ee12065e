// ChangesSince / CurrentChangeSeq: how a server sees writes from other processes.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::MakeOrg;
using testing::MakeUser;
using testing::StoreTest;

std::int64_t Seq(Store& store) {
  Result<std::int64_t> seq = store.CurrentChangeSeq();
  EXPECT_TRUE(seq.ok());
  return seq.ok() ? *seq : -1;
}

TEST_P(StoreTest, ChangesSinceZeroIsAFullLoad) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_1", "org_1", "usr_a")).ok());
  Result<ChangeSet> all = store_->ChangesSince(0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->orgs.size(), 2u);
  EXPECT_EQ(all->users.size(), 2u);
  ASSERT_EQ(all->keys.size(), 1u);
  EXPECT_EQ(all->keys[0].id, "key_1");
  EXPECT_EQ(all->max_seq, Seq(*store_));
}

TEST_P(StoreTest, EveryAdminWriteBumpsChangeSeq) {
  std::int64_t last = Seq(*store_);
  auto expect_bump = [&](const char* what) {
    std::int64_t now = Seq(*store_);
    EXPECT_GT(now, last) << what;
    last = now;
  };
  ASSERT_TRUE(store_->InsertOrg(MakeOrg("org_3", "three")).ok());
  expect_bump("InsertOrg");
  ASSERT_TRUE(store_->UpdateOrg(MakeOrg("org_3", "trois")).ok());
  expect_bump("UpdateOrg");
  ASSERT_TRUE(store_->DeleteOrg("org_3", 1'800'000'000).ok());
  expect_bump("DeleteOrg");
  ASSERT_TRUE(store_->InsertUser(MakeUser("usr_c", "carol", "org_1")).ok());
  expect_bump("InsertUser");
  ASSERT_TRUE(store_->UpdateUser(MakeUser("usr_c", "caroline", "org_1")).ok());
  expect_bump("UpdateUser");
  KeyRecord key = MakeKey("key_1", "kw_1", "org_1", "usr_c");
  ASSERT_TRUE(store_->InsertKey(key).ok());
  expect_bump("InsertKey");
  key.name = "renamed";
  ASSERT_TRUE(store_->UpdateKey(key).ok());
  expect_bump("UpdateKey");
  KeyRecord next = MakeKey("key_2", "kw_2", "org_1", "usr_c");
  key.rotated_to = "key_2";
  ASSERT_TRUE(store_->RotateKey(key, next).ok());
  expect_bump("RotateKey");
  ASSERT_TRUE(store_->RevokeKey("key_1", 1'800'000'000).ok());
  expect_bump("RevokeKey");
  ASSERT_TRUE(store_->DeleteUser("usr_c", 1'800'000'000).ok());
  expect_bump("DeleteUser");
}

TEST_P(StoreTest, FailedAndNoOpWritesDoNotBumpChangeSeq) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_1", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->RevokeKey("key_1", 1'800'000'000).ok());
  const std::int64_t before = Seq(*store_);
  EXPECT_FALSE(store_->InsertKey(MakeKey("key_2", "kw_1", "org_1", "usr_a")).ok());
  EXPECT_FALSE(store_->UpdateOrg(MakeOrg("org_nope", "x")).ok());
  EXPECT_TRUE(store_->RevokeKey("key_1", 1'800'000'001).ok());  // already revoked
  EXPECT_EQ(Seq(*store_), before);
}

TEST_P(StoreTest, ChangesSinceReturnsOnlyNewerRowsIncludingDeleted) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_1", "org_1", "usr_a")).ok());
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_2", "kw_2", "org_1", "usr_b")).ok());
  const std::int64_t mark = Seq(*store_);
  Result<std::vector<std::string>> revoked = store_->DeleteUser("usr_b", 1'800'000'000);
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(store_->DeleteOrg("org_2", 1'800'000'000).ok());

  Result<ChangeSet> changes = store_->ChangesSince(mark);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->users.size(), 1u);
  EXPECT_EQ(changes->users[0].id, "usr_b");
  EXPECT_TRUE(changes->users[0].deleted);
  ASSERT_EQ(changes->orgs.size(), 1u);
  EXPECT_EQ(changes->orgs[0].id, "org_2");
  EXPECT_TRUE(changes->orgs[0].deleted);
  ASSERT_EQ(changes->keys.size(), 1u);
  EXPECT_EQ(changes->keys[0].id, "key_2");
  EXPECT_TRUE(changes->keys[0].revoked_at.has_value());
  EXPECT_EQ(changes->max_seq, Seq(*store_));

  Result<ChangeSet> nothing = store_->ChangesSince(changes->max_seq);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->keys.empty() && nothing->users.empty() && nothing->orgs.empty());
  EXPECT_EQ(nothing->max_seq, changes->max_seq);
}

// The local CLI writes through its own connection while the server runs.
TEST_P(StoreTest, ChangesSinceSeesWritesMadeThroughASecondStore) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_1", "kw_1", "org_1", "usr_a")).ok());
  Result<ChangeSet> initial = store_->ChangesSince(0);  // the server's start-up load
  ASSERT_TRUE(initial.ok());

  std::unique_ptr<Store> cli = OpenStore();
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(cli->InsertKey(MakeKey("key_2", "kw_2", "org_1", "usr_b")).ok());
  ASSERT_TRUE(cli->RevokeKey("key_1", 1'800'000'000).ok());
  UserRecord alice = *cli->GetUser("usr_a");
  alice.enabled = false;
  ASSERT_TRUE(cli->UpdateUser(alice).ok());

  Result<ChangeSet> changes = store_->ChangesSince(initial->max_seq);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->keys.size(), 2u);
  EXPECT_EQ(changes->keys[0].id, "key_1");
  EXPECT_TRUE(changes->keys[0].revoked_at.has_value());
  EXPECT_EQ(changes->keys[1].id, "key_2");
  ASSERT_EQ(changes->users.size(), 1u);
  EXPECT_FALSE(changes->users[0].enabled);
  EXPECT_EQ(changes->max_seq, Seq(*cli));
}

TEST_P(StoreTest, ConcurrentWritersOnOneStoreAndTwoConnectionsAllSucceed) {
  std::unique_ptr<Store> cli = OpenStore();
  ASSERT_NE(cli, nullptr);
  const std::int64_t before = Seq(*store_);
  constexpr int kPerThread = 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    Store* target = t == 2 ? cli.get() : store_.get();
    threads.emplace_back([target, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string n = std::to_string(t) + "_" + std::to_string(i);
        Status status =
            target->InsertKey(MakeKey("key_" + n, "kw_" + n, "org_1", "usr_a"));
        EXPECT_TRUE(status.ok()) << status.error().message;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Result<ChangeSet> changes = store_->ChangesSince(before);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->keys.size(), 3u * kPerThread);
  EXPECT_EQ(changes->max_seq, before + 3 * kPerThread);
}

}  // namespace
}  // namespace keyward::store
