// Console passwords and sessions in the store (migration 0005).
#include <gtest/gtest.h>

#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::StoreTest;

SessionRecord Session(const std::string& id, const std::string& user, UnixSeconds at) {
  return {id, user, "csrf-" + id, at, at, "127.0.0.1"};
}

TEST_P(StoreTest, PasswordHashIsUnsetUntilSetAndGoneWithTheUser) {
  auto none = store_->GetPasswordHash("usr_a");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store_->SetPasswordHash("usr_a", "$argon2id$x").ok());
  EXPECT_EQ(store_->GetPasswordHash("usr_a")->value(), "$argon2id$x");
  EXPECT_EQ(store_->SetPasswordHash("usr_nope", "h").error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(store_->DeleteUser("usr_a", 1'700'000'500).ok());
  EXPECT_EQ(store_->GetPasswordHash("usr_a").error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, SessionsRoundTripTouchAndDelete) {
  ASSERT_TRUE(store_->InsertSession(Session("s1", "usr_a", 100)).ok());
  auto got = store_->GetSession("s1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->user_id, "usr_a");
  EXPECT_EQ((*got)->csrf_token, "csrf-s1");
  ASSERT_TRUE(store_->TouchSession("s1", 150).ok());
  ASSERT_TRUE(store_->TouchSession("s1", 120).ok());  // never moves backwards
  EXPECT_EQ((*store_->GetSession("s1"))->last_seen_at, 150);
  EXPECT_EQ((*store_->GetSession("s1"))->created_at, 100);
  ASSERT_TRUE(store_->DeleteSession("s1").ok());
  EXPECT_FALSE(store_->GetSession("s1")->has_value());
  EXPECT_TRUE(store_->DeleteSession("s1").ok());  // idempotent
}

TEST_P(StoreTest, ANewPasswordEndsOnlyThatUsersSessions) {
  ASSERT_TRUE(store_->InsertSession(Session("a1", "usr_a", 100)).ok());
  ASSERT_TRUE(store_->InsertSession(Session("a2", "usr_a", 100)).ok());
  ASSERT_TRUE(store_->InsertSession(Session("b1", "usr_b", 100)).ok());
  ASSERT_TRUE(store_->SetPasswordHash("usr_a", "new").ok());
  EXPECT_FALSE(store_->GetSession("a1")->has_value());
  EXPECT_FALSE(store_->GetSession("a2")->has_value());
  EXPECT_TRUE(store_->GetSession("b1")->has_value());
}

TEST_P(StoreTest, PruneDropsIdleAndTooOldSessions) {
  ASSERT_TRUE(store_->InsertSession(Session("old", "usr_a", 100)).ok());
  ASSERT_TRUE(store_->InsertSession(Session("idle", "usr_a", 500)).ok());
  ASSERT_TRUE(store_->InsertSession(Session("live", "usr_b", 900)).ok());
  ASSERT_TRUE(
      store_->TouchSession("old", 950).ok());  // active, but signed in too long ago
  auto n = store_->PruneSessions(/*idle_before=*/800, /*created_before=*/200);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(store_->GetSession("old")->has_value());
  EXPECT_FALSE(store_->GetSession("idle")->has_value());
  EXPECT_TRUE(store_->GetSession("live")->has_value());
}

}  // namespace
}  // namespace keyward::store
