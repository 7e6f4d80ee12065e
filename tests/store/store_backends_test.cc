// The shared store suite: every TEST_P(StoreTest, ...) in tests/store runs on the
// SQLite file and on the run's private PostgreSQL, and must pass the same on both.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "keyward/store/migrations.h"
#include "keyward/store/store_url.h"
#include "store/store_test_util.h"

namespace keyward::store::testing {

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

namespace {

TEST(StoreUrlTest, PicksTheBackendByScheme) {
  EXPECT_EQ(*StoreBackendFor(""), StoreBackend::kSqlite);
  EXPECT_EQ(*StoreBackendFor("sqlite:"), StoreBackend::kSqlite);
  EXPECT_EQ(*StoreBackendFor("postgres://u@h:5432/db"), StoreBackend::kPostgres);
  EXPECT_EQ(*StoreBackendFor("postgresql://u:p@h/db"), StoreBackend::kPostgres);
}

TEST(StoreUrlTest, RefusesOtherSchemesWithoutEchoingTheUrl) {
  Result<StoreBackend> backend = StoreBackendFor("mysql://root:secret@h/db");
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(backend.error().message.find("secret"), std::string::npos);
}

TEST(StoreUrlTest, UnreachablePostgresIsUnavailableAndPromptlyReported) {
  // Port 1 on loopback refuses at once; the error must not carry the password.
  Result<std::unique_ptr<Store>> store =
      Store::Open("postgresql://kw:hunter2@127.0.0.1:1/none", "");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(store.error().message.find("hunter2"), std::string::npos);
}

// Each SQLite migration has its PostgreSQL twin with the same name, in the same
// place: the schema version of both counts the same changes.
TEST(StoreMigrationsTest, PostgresMirrorsEverySqliteMigration) {
  const std::vector<Migration>& sqlite = EmbeddedMigrations();
  const std::vector<Migration>& postgres = EmbeddedPostgresMigrations();
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
  }
}

// Replicas starting together on an empty database: the advisory lock makes one
// of them migrate, and every one of them opens.
TEST(PostgresStoreTest, ConcurrentFirstOpensMigrateOnce) {
  std::string error;
  const std::string url = keyward::testing::PostgresServer::CreateDatabase(
      keyward::testing::PostgresServer::SharedUrl(), &error);
  ASSERT_FALSE(url.empty()) << error;
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (Store::Open(url, "").ok()) ++opened;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(opened.load(), 4);
  Result<std::unique_ptr<Store>> store = Store::Open(url, "");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->CurrentChangeSeq(), 0);
}

}  // namespace
}  // namespace keyward::store::testing
