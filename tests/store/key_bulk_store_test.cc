// InsertKeys: the bulk path behind `keyward keys seed`.
#include <gtest/gtest.h>

#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::StoreTest;

TEST_P(StoreTest, InsertKeysWritesEveryKeyWithItsOwnChangeSeq) {
  Result<std::int64_t> before = store_->CurrentChangeSeq();
  ASSERT_TRUE(before.ok());
  const std::vector<KeyRecord> keys = {
      MakeKey("key_1", "kw_bulk00001", "org_1", "usr_a"),
      MakeKey("key_2", "kw_bulk00002", "org_1", "usr_a"),
      MakeKey("key_3", "kw_bulk00003", "org_1", "usr_b")};
  ASSERT_TRUE(store_->InsertKeys(keys).ok());
  Result<std::int64_t> after = store_->CurrentChangeSeq();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after - *before, 3);
  Result<ChangeSet> changes = store_->ChangesSince(*before);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->keys.size(), 3u);
  EXPECT_EQ(changes->keys[0].display_prefix, "kw_bulk00001");
  EXPECT_EQ(changes->keys[2].owner_user_id, "usr_b");
}

TEST_P(StoreTest, InsertKeysIsAllOrNothing) {
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_0", "kw_taken0001", "org_1", "usr_a")).ok());
  const std::vector<KeyRecord> keys = {
      MakeKey("key_1", "kw_fresh0001", "org_1", "usr_a"),
      MakeKey("key_2", "kw_taken0001", "org_1", "usr_a")};
  Status s = store_->InsertKeys(keys);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(store_->GetKey("key_1").error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace keyward::store
