// StreamChangesSince: the server's bulk load. It must hand over exactly the rows the
// collecting reads (ChangesSince, LoadAllKeys, GetKey) return, in the same order,
// including values that the plain-array fast path of the list columns does not
// decode itself (escapes, UTF-8) and the ones it does.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeKey;
using testing::StoreTest;

struct Streamed {
  std::vector<OrgRecord> orgs;
  std::vector<UserRecord> users;
  std::vector<KeyRecord> keys;
  std::vector<std::size_t> expected;  // every expect_keys call
  std::vector<char> order;            // 'o', 'u', 'k' as delivered
  std::int64_t max_seq = -1;
};

Streamed Stream(Store& store, std::int64_t since) {
  Streamed s;
  ChangeSink sink{[&s](std::size_t n) { s.expected.push_back(n); },
                  [&s](OrgRecord&& o) {
                    s.order.push_back('o');
                    s.orgs.push_back(std::move(o));
                  },
                  [&s](UserRecord&& u) {
                    s.order.push_back('u');
                    s.users.push_back(std::move(u));
                  },
                  [&s](std::shared_ptr<KeyRecord> k) {
                    s.order.push_back('k');
                    s.keys.push_back(std::move(*k));
                  }};
  Result<std::int64_t> max_seq = store.StreamChangesSince(since, sink);
  EXPECT_TRUE(max_seq.ok()) << (max_seq.ok() ? "" : max_seq.error().message);
  if (max_seq.ok()) s.max_seq = *max_seq;
  return s;
}

template <typename Record>
std::vector<std::string> Ids(const std::vector<Record>& records) {
  std::vector<std::string> ids;
  for (const Record& r : records) ids.push_back(r.id + (r.deleted ? " deleted" : ""));
  return ids;
}

// Keys whose list columns cover both decoders: plain ASCII arrays (decoded without
// nlohmann) and everything that needs it.
std::vector<KeyRecord> VariedKeys() {
  std::vector<KeyRecord> keys;
  for (int i = 0; i < 40; ++i) {
    KeyRecord k =
        MakeKey("key_" + std::to_string(i), "kw_p" + std::to_string(i), "org_1", "usr_a");
    k.name = "name " + std::to_string(i);
    switch (i % 8) {
      case 0:
        k.scopes = {};
        k.tags = {};
        break;
      case 1:
        k.scopes = {"logs:read"};
        k.tags = {""};  // an empty string item
        break;
      case 2:
        k.scopes = {"logs:read", "logs:write", "billing:*"};
        k.tags = {"a,b", "[x]", "c d"};  // separators inside items
        break;
      case 3:
        k.tags = {"quote\"inside", "back\\slash"};  // escapes: nlohmann decodes
        break;
      case 4:
        k.tags = {"caf\xc3\xa9", "\xe2\x9c\x93"};  // UTF-8: nlohmann decodes
        break;
      case 5:
        k.tags = {"tab\there", "nl\nthere", "\x7f"};  // control and DEL characters
        break;
      case 6:
        k.ip_allow = {"10.0.0.0/8", "2001:db8::/32"};
        k.ip_deny = {"10.1.2.3"};
        k.metadata_json = R"({"team":"infra","n":[1,2]})";
        break;
      default:
        k.tags = {"]", "\"", ","};
        k.description = "described";
        break;
    }
    keys.push_back(std::move(k));
  }
  return keys;
}

TEST_P(StoreTest, StreamedLoadEqualsTheCollectingReads) {
  const std::vector<KeyRecord> keys = VariedKeys();
  ASSERT_TRUE(store_->InsertKeys(keys).ok());
  Result<ChangeSet> collected = store_->ChangesSince(0);
  ASSERT_TRUE(collected.ok());
  Result<std::vector<KeyRecord>> all = store_->LoadAllKeys();
  ASSERT_TRUE(all.ok());

  Streamed streamed = Stream(*store_, 0);
  EXPECT_EQ(streamed.max_seq, collected->max_seq);
  EXPECT_EQ(Ids(streamed.orgs), Ids(collected->orgs));
  EXPECT_EQ(Ids(streamed.users), Ids(collected->users));
  EXPECT_EQ(streamed.keys, collected->keys);
  EXPECT_EQ(streamed.keys, *all);
  ASSERT_EQ(streamed.keys.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // What was written is what is read back, through both list decoders.
    EXPECT_EQ(streamed.keys[i].tags, keys[i].tags) << keys[i].id;
    EXPECT_EQ(streamed.keys[i].scopes, keys[i].scopes) << keys[i].id;
    EXPECT_EQ(streamed.keys[i].ip_allow, keys[i].ip_allow) << keys[i].id;
    Result<KeyRecord> one = store_->GetKey(keys[i].id);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(*one, streamed.keys[i]);
  }
}

TEST_P(StoreTest, StreamDeliversOrgsThenUsersThenKeysAndSizesTheKeys) {
  ASSERT_TRUE(store_->InsertKeys(VariedKeys()).ok());
  Streamed s = Stream(*store_, 0);
  ASSERT_EQ(s.expected.size(), 1u);
  EXPECT_EQ(s.expected[0], s.keys.size());
  ASSERT_FALSE(s.order.empty());
  // Sorted order means no org after a user and no user after a key.
  EXPECT_TRUE(std::is_sorted(s.order.begin(), s.order.end(), [](char a, char b) {
    auto rank = [](char c) { return c == 'o' ? 0 : c == 'u' ? 1 : 2; };
    return rank(a) < rank(b);
  }));
}

TEST_P(StoreTest, StreamFromMaxSeqSeesOnlyLaterWrites) {
  ASSERT_TRUE(store_->InsertKeys(VariedKeys()).ok());
  const Streamed first = Stream(*store_, 0);
  // A write after the snapshot (as during a server's load) comes with the next read.
  ASSERT_TRUE(store_->InsertKey(MakeKey("key_late", "kw_late", "org_1", "usr_a")).ok());
  const Streamed next = Stream(*store_, first.max_seq);
  ASSERT_EQ(next.keys.size(), 1u);
  EXPECT_EQ(next.keys[0].id, "key_late");
  EXPECT_TRUE(next.orgs.empty());
  EXPECT_TRUE(next.users.empty());
  ASSERT_EQ(next.expected.size(), 1u);
  EXPECT_EQ(next.expected[0], 1u);
  EXPECT_GT(next.max_seq, first.max_seq);
  EXPECT_TRUE(Stream(*store_, next.max_seq).keys.empty());
}

}  // namespace
}  // namespace keyward::store
