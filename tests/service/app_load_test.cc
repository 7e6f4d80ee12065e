// App's load of the store into memory: deferred for the server (not ready until the
// first sync), and the streamed bulk load builds the index that an independent read
// of every row (Store::LoadAllKeys) describes, key for key.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "keyward/service/app.h"
#include "support/temp_dir.h"

namespace keyward::service {
namespace {

using keyward::testing::TempDir;

// Keys owned by the bootstrap admin, with varied list and metadata columns.
std::vector<KeyRecord> MakeKeys(const KeyRecord& like, int count,
                                const std::string& tag) {
  std::vector<KeyRecord> keys;
  for (int i = 0; i < count; ++i) {
    KeyRecord k = like;
    k.id = "key_" + tag + std::to_string(i);
    k.display_prefix = "kw_" + tag + std::to_string(i);
    k.hash.fill(static_cast<std::uint8_t>(i));
    k.hash[0] = static_cast<std::uint8_t>(tag[0]);
    k.hash[1] = static_cast<std::uint8_t>(i >> 8);
    k.name = "load " + std::to_string(i);
    k.scopes = i % 2 ? std::vector<std::string>{"logs:read"}
                     : std::vector<std::string>{"a:b", "caf\xc3\xa9:read"};
    k.tags = i % 3 ? std::vector<std::string>{} : std::vector<std::string>{"q\"t"};
    k.metadata_json = R"({"i":)" + std::to_string(i) + "}";
    keys.push_back(std::move(k));
  }
  return keys;
}

class AppLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.data_dir = dir_.File("data");
    auto app = App::Open(config_);  // bootstraps: the admin key and its owner
    ASSERT_TRUE(app.ok()) << app.error().message;
    Result<store::ChangeSet> all = (*app)->store().ChangesSince(0);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->keys.size(), 1u);
    admin_key_ = all->keys[0];
    ASSERT_TRUE((*app)->store().InsertKeys(MakeKeys(admin_key_, 300, "a")).ok());
  }

  TempDir dir_;
  config::Config config_;
  KeyRecord admin_key_;
};

TEST_F(AppLoadTest, OpenAtOnceIsReady) {
  auto app = App::Open(config_);
  ASSERT_TRUE(app.ok());
  EXPECT_TRUE((*app)->ready());
  EXPECT_EQ((*app)->index().Size(), 301u);
}

TEST_F(AppLoadTest, DeferredOpenIsNotReadyUntilTheFirstSync) {
  auto app = App::Open(config_, IndexLoad::kDeferred);
  ASSERT_TRUE(app.ok());
  EXPECT_FALSE((*app)->ready());
  EXPECT_EQ((*app)->index().Size(), 0u);
  ASSERT_TRUE((*app)->SyncFromStore().ok());
  EXPECT_TRUE((*app)->ready());
  EXPECT_EQ((*app)->index().Size(), 301u);
}

TEST_F(AppLoadTest, BulkLoadBuildsTheIndexTheCollectingReadDescribes) {
  auto app = App::Open(config_, IndexLoad::kDeferred);
  ASSERT_TRUE(app.ok());
  // Committed after Open, before the load: must be in it (nothing between the two).
  ASSERT_TRUE((*app)->store().InsertKeys(MakeKeys(admin_key_, 5, "b")).ok());
  ASSERT_TRUE((*app)->SyncFromStore().ok());
  // LoadAllKeys is a separate query and decoder loop (ReadAll), not the stream.
  Result<std::vector<KeyRecord>> keys = (*app)->store().LoadAllKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 306u);
  EXPECT_EQ((*app)->index().Size(), keys->size());
  for (const KeyRecord& want : *keys) {
    std::shared_ptr<const KeyRecord> got = (*app)->index().Find(want.display_prefix);
    ASSERT_NE(got, nullptr) << want.id;
    EXPECT_EQ(*got, want) << want.id;
  }
  Result<store::ChangeSet> expected = (*app)->store().ChangesSince(0);
  ASSERT_TRUE(expected.ok());
  for (const UserRecord& user : expected->users) {
    EXPECT_NE((*app)->directory().FindUser(user.id), nullptr) << user.id;
  }
}

TEST_F(AppLoadTest, WritesAfterTheLoadArriveWithTheNextSync) {
  auto app = App::Open(config_, IndexLoad::kDeferred);
  ASSERT_TRUE(app.ok());
  ASSERT_TRUE((*app)->SyncFromStore().ok());
  KeyRecord late = MakeKeys(admin_key_, 1, "c")[0];
  ASSERT_TRUE((*app)->store().InsertKey(late).ok());
  EXPECT_EQ((*app)->index().Find(late.display_prefix), nullptr);
  ASSERT_TRUE((*app)->SyncFromStore().ok());
  auto got = (*app)->index().Find(late.display_prefix);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->metadata_json, late.metadata_json);
}

}  // namespace
}  // namespace keyward::service
