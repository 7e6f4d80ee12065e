// Shared fixtures for store/ tests: a temporary directory holding a real SQLite file,
// and record builders with every field set to something distinguishable.
#ifndef KEYWARD_TESTS_STORE_STORE_TEST_UTIL_H_
#define KEYWARD_TESTS_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "keyward/core/records.h"
#include "keyward/store/store.h"
#include "support/postgres_server.h"

namespace keyward::store::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string templ =
        (std::filesystem::temp_directory_path() / "keyward-store-XXXXXX").string();
    char* made = ::mkdtemp(templ.data());
    EXPECT_NE(made, nullptr);
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline OrgRecord MakeOrg(const std::string& id, const std::string& name) {
  OrgRecord org;
  org.id = id;
  org.name = name;
  org.created_at = 1'700'000'000;
  org.updated_at = 1'700'000'001;
  return org;
}

inline UserRecord MakeUser(const std::string& id, const std::string& username,
                           const std::string& org_id, Role role = Role::kMember) {
  UserRecord user;
  user.id = id;
  user.username = username;
  user.org_id = org_id;
  user.role = role;
  user.created_at = 1'700'000'100;
  user.updated_at = 1'700'000'101;
  return user;
}

// A user key unless owner is empty, in which case an org key.
inline KeyRecord MakeKey(const std::string& id, const std::string& display_prefix,
                         const std::string& org_id, const std::string& owner) {
  KeyRecord key;
  key.id = id;
  key.display_prefix = display_prefix;
  for (std::size_t i = 0; i < key.hash.size(); ++i) {
    key.hash[i] = static_cast<std::uint8_t>(i * 7 + display_prefix.size());
  }
  key.name = "key " + id;
  key.kind = owner.empty() ? KeyKind::kOrg : KeyKind::kUser;
  if (!owner.empty()) key.owner_user_id = owner;
  key.org_id = org_id;
  key.created_at = 1'700'000'200;
  key.created_by = owner.empty() ? "usr_admin" : owner;
  key.updated_at = 1'700'000'201;
  return key;
}

// Which store the shared suite runs on: every StoreTest runs once per backend.
enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}
inline void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

// A fresh store (an SQLite file, or a new database on the run's private PostgreSQL)
// with two orgs ("org_1", "org_2") and two users ("usr_a", "usr_b").
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      std::string error;
      url_ = keyward::testing::PostgresServer::CreateDatabase(
          keyward::testing::PostgresServer::SharedUrl(), &error);
      ASSERT_FALSE(url_.empty()) << error;
    }
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    // The message, so a failure says why ("" when fine).
    auto why = [](const Status& s) { return s.ok() ? std::string() : s.error().message; };
    ASSERT_EQ(why(store_->InsertOrg(MakeOrg("org_1", "one"))), "");
    ASSERT_EQ(why(store_->InsertOrg(MakeOrg("org_2", "two"))), "");
    ASSERT_EQ(why(store_->InsertUser(MakeUser("usr_a", "alice", "org_1"))), "");
    ASSERT_EQ(why(store_->InsertUser(MakeUser("usr_b", "bob", "org_1"))), "");
  }

  // Another Store on the same database: what the local CLI does next to a server,
  // or another replica on PostgreSQL.
  std::unique_ptr<Store> OpenStore() {
    Result<std::unique_ptr<Store>> opened = Store::Open(url_, db_path());
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::string db_path() const { return dir_.File("keyward.db"); }

  TempDir dir_;
  std::string url_;  // empty for SQLite
  std::unique_ptr<Store> store_;
};

}  // namespace keyward::store::testing

#endif  // KEYWARD_TESTS_STORE_STORE_TEST_UTIL_H_
