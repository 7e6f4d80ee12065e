// ListKeys / ListUsers / ListOrgs: seqno cursors, filters, concurrent inserts.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::MakeOrg;
using testing::MakeUser;
using testing::StoreTest;

std::string Id(int i) { return "key_" + std::to_string(100 + i); }
std::string Prefix(int i) { return "kw_pfx" + std::to_string(100 + i); }

// Pages through `filter` until the end; returns ids in the order seen.
std::vector<std::string> AllPages(Store& store, KeyFilter filter, int* pages = nullptr) {
  std::vector<std::string> ids;
  for (int n = 1;; ++n) {
    Result<Page<KeyRecord>> page = store.ListKeys(filter);
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (!page.ok()) return ids;
    for (const KeyRecord& key : page->items) ids.push_back(key.id);
    if (!page->next_after) {
      if (pages != nullptr) *pages = n;
      return ids;
    }
    filter.after_seqno = *page->next_after;
  }
}

TEST_P(StoreTest, ListKeysPagesInInsertionOrder) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(store_->InsertKey(MakeKey(Id(i), Prefix(i), "org_1", "usr_a")).ok());
  }
  KeyFilter filter;
  filter.limit = 3;
  int pages = 0;
  std::vector<std::string> ids = AllPages(*store_, filter, &pages);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(ids.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(ids[i], Id(i));
}

TEST_P(StoreTest, FullLastPageHasNoNextCursor) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(store_->InsertKey(MakeKey(Id(i), Prefix(i), "org_1", "usr_a")).ok());
  }
  KeyFilter filter;
  filter.limit = 3;
  Result<Page<KeyRecord>> first = store_->ListKeys(filter);
  ASSERT_TRUE(first.ok() && first->next_after.has_value());
  filter.after_seqno = *first->next_after;
  Result<Page<KeyRecord>> second = store_->ListKeys(filter);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items.size(), 3u);
  EXPECT_FALSE(second->next_after.has_value());
}

TEST_P(StoreTest, ListKeysFiltersByOwnerOrgAndTag) {
  KeyRecord a = MakeKey("key_a", "kw_a", "org_1", "usr_a");
  a.tags = {"ci", "prod"};
  KeyRecord b = MakeKey("key_b", "kw_b", "org_1", "usr_b");
  b.tags = {"prod"};
  KeyRecord c = MakeKey("key_c", "kw_c", "org_2", "");
  c.tags = {"production"};  // not "prod": the tag match is exact
  for (const KeyRecord& key : {a, b, c}) ASSERT_TRUE(store_->InsertKey(key).ok());

  KeyFilter by_owner;
  by_owner.owner_user_id = "usr_a";
  EXPECT_EQ(AllPages(*store_, by_owner), std::vector<std::string>{"key_a"});
  KeyFilter by_org;
  by_org.org_id = "org_1";
  EXPECT_EQ(AllPages(*store_, by_org), (std::vector<std::string>{"key_a", "key_b"}));
  KeyFilter by_tag;
  by_tag.tag = "prod";
  EXPECT_EQ(AllPages(*store_, by_tag), (std::vector<std::string>{"key_a", "key_b"}));
  KeyFilter combined;
  combined.org_id = "org_1";
  combined.tag = "ci";
  combined.owner_user_id = "usr_a";
  EXPECT_EQ(AllPages(*store_, combined), std::vector<std::string>{"key_a"});
  KeyFilter nobody;
  nobody.owner_user_id = "usr_nope";
  EXPECT_TRUE(AllPages(*store_, nobody).empty());
}

TEST_P(StoreTest, ListKeysFiltersByStatusComputedAtNow) {
  const UnixSeconds now = 1'800'000'000;
  KeyRecord active = MakeKey("key_active", "kw_1", "org_1", "usr_a");
  active.expires_at = now + 1;
  KeyRecord disabled = MakeKey("key_disabled", "kw_2", "org_1", "usr_a");
  disabled.enabled = false;
  KeyRecord expired = MakeKey("key_expired", "kw_3", "org_1", "usr_a");
  expired.expires_at = now;  // expiry is inclusive: at `now` it is expired
  KeyRecord disabled_expired = MakeKey("key_dis_exp", "kw_4", "org_1", "usr_a");
  disabled_expired.enabled = false;
  disabled_expired.expires_at = now - 10;
  KeyRecord revoked = MakeKey("key_revoked", "kw_5", "org_1", "usr_a");
  revoked.expires_at = now - 10;
  revoked.enabled = false;
  revoked.revoked_at = now - 100;
  for (const KeyRecord& key : {active, disabled, expired, disabled_expired, revoked}) {
    ASSERT_TRUE(store_->InsertKey(key).ok());
  }
  auto with_status = [&](const std::string& status) {
    KeyFilter filter;
    filter.status = status;
    filter.now = now;
    return AllPages(*store_, filter);
  };
  EXPECT_EQ(with_status("active"), std::vector<std::string>{"key_active"});
  EXPECT_EQ(with_status("disabled"), std::vector<std::string>{"key_disabled"});
  EXPECT_EQ(with_status("expired"),
            (std::vector<std::string>{"key_expired", "key_dis_exp"}));
  EXPECT_EQ(with_status("revoked"), std::vector<std::string>{"key_revoked"});
}

TEST_P(StoreTest, ListKeysRejectsUnknownStatusAndNonPositiveLimit) {
  KeyFilter bad_status;
  bad_status.status = "gone";
  EXPECT_EQ(store_->ListKeys(bad_status).error().kind, ErrorKind::kInvalidArgument);
  KeyFilter bad_limit;
  bad_limit.limit = 0;
  EXPECT_EQ(store_->ListKeys(bad_limit).error().kind, ErrorKind::kInvalidArgument);
}

TEST_P(StoreTest, InsertsBetweenPagesCauseNoDuplicatesOrGaps) {
  std::unique_ptr<Store> cli = OpenStore();  // a second writer on the same file
  ASSERT_NE(cli, nullptr);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->InsertKey(MakeKey(Id(i), Prefix(i), "org_1", "usr_a")).ok());
  }
  KeyFilter filter;
  filter.owner_user_id = "usr_a";
  filter.limit = 2;
  std::vector<std::string> seen;
  int next = 5;
  for (;;) {
    Result<Page<KeyRecord>> page = store_->ListKeys(filter);
    ASSERT_TRUE(page.ok());
    for (const KeyRecord& key : page->items) seen.push_back(key.id);
    if (!page->next_after) break;
    filter.after_seqno = *page->next_after;
    if (next < 9) {  // new keys arrive between pages, alternately from each writer
      Store& writer = (next % 2 == 0) ? *store_ : *cli;
      ASSERT_TRUE(
          writer.InsertKey(MakeKey(Id(next), Prefix(next), "org_1", "usr_a")).ok());
      ++next;
    }
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(next));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  for (int i = 0; i < next; ++i) EXPECT_EQ(seen[i], Id(i));
}

TEST_P(StoreTest, ListUsersFiltersByOrgAndRoleAndSkipsDeleted) {
  ASSERT_TRUE(
      store_->InsertUser(MakeUser("usr_c", "carol", "org_2", Role::kOrgAdmin)).ok());
  ASSERT_TRUE(
      store_->InsertUser(MakeUser("usr_d", "dave", "org_1", Role::kOrgAdmin)).ok());
  ASSERT_TRUE(store_->DeleteUser("usr_b", 1'800'000'000).ok());

  auto ids = [&](UserFilter filter) {
    std::vector<std::string> out;
    for (;;) {
      Result<Page<UserRecord>> page = store_->ListUsers(filter);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) return out;
      for (const UserRecord& user : page->items) out.push_back(user.id);
      if (!page->next_after) return out;
      filter.after_seqno = *page->next_after;
    }
  };
  UserFilter all;
  all.limit = 1;
  EXPECT_EQ(ids(all), (std::vector<std::string>{"usr_a", "usr_c", "usr_d"}));
  UserFilter org_1;
  org_1.org_id = "org_1";
  EXPECT_EQ(ids(org_1), (std::vector<std::string>{"usr_a", "usr_d"}));
  UserFilter admins_of_org_1;
  admins_of_org_1.org_id = "org_1";
  admins_of_org_1.role = Role::kOrgAdmin;
  EXPECT_EQ(ids(admins_of_org_1), std::vector<std::string>{"usr_d"});
}

TEST_P(StoreTest, ListOrgsPagesAndSkipsDeleted) {
  ASSERT_TRUE(store_->InsertOrg(MakeOrg("org_3", "three")).ok());
  ASSERT_TRUE(store_->DeleteOrg("org_2", 1'800'000'000).ok());
  OrgFilter filter;
  filter.limit = 1;
  Result<Page<OrgRecord>> first = store_->ListOrgs(filter);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->items[0].id, "org_1");
  ASSERT_TRUE(first->next_after.has_value());
  filter.after_seqno = *first->next_after;
  Result<Page<OrgRecord>> second = store_->ListOrgs(filter);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, "org_3");
  EXPECT_FALSE(second->next_after.has_value());
}

}  // namespace
}  // namespace keyward::store
