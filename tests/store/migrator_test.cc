#include "keyward/store/migrator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keyward/store/migrations.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::TempDir;

Database OpenDb(const std::string& path) {
  Result<Database> db = Database::Open(path, /*create=*/true);
  EXPECT_TRUE(db.ok());
  return std::move(db).value();
}

std::int64_t Count(Database& db, const std::string& sql) {
  Result<Statement> s = db.Prepare(sql);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok()) return -1;
  Result<bool> row = s->Step();
  EXPECT_TRUE(row.ok() && *row);
  return s->Int64(0);
}

const std::vector<Migration> kTwo = {
    {"0001_a.sql", "CREATE TABLE a (x); INSERT INTO a VALUES (1);"},
    {"0002_b.sql", "CREATE TABLE b (y); INSERT INTO a VALUES (2);"},
};

TEST(MigratorTest, AppliesEveryMigrationAndRecordsCountInUserVersion) {
  TempDir dir;
  Database db = OpenDb(dir.File("m.db"));
  ASSERT_TRUE(ApplyMigrations(db, kTwo).ok());
  EXPECT_EQ(*SchemaVersion(db), 2);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM a"), 2);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM b"), 0);
}

TEST(MigratorTest, SecondRunAppliesNothing) {
  TempDir dir;
  Database db = OpenDb(dir.File("m.db"));
  ASSERT_TRUE(ApplyMigrations(db, kTwo).ok());
  ASSERT_TRUE(ApplyMigrations(db, kTwo).ok());
  Database reopened = OpenDb(dir.File("m.db"));
  ASSERT_TRUE(ApplyMigrations(reopened, kTwo).ok());
  EXPECT_EQ(*SchemaVersion(reopened), 2);
  EXPECT_EQ(Count(reopened, "SELECT count(*) FROM a"), 2);  // inserts ran once
}

TEST(MigratorTest, AppliesOnlyMigrationsNewerThanUserVersion) {
  TempDir dir;
  Database db = OpenDb(dir.File("m.db"));
  ASSERT_TRUE(ApplyMigrations(db, {kTwo[0]}).ok());
  EXPECT_EQ(*SchemaVersion(db), 1);
  ASSERT_TRUE(ApplyMigrations(db, kTwo).ok());
  EXPECT_EQ(*SchemaVersion(db), 2);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM a"), 2);
}

TEST(MigratorTest, RefusesDatabaseNewerThanTheBinary) {
  TempDir dir;
  Database db = OpenDb(dir.File("m.db"));
  ASSERT_TRUE(ApplyMigrations(db, kTwo).ok());
  Status status = ApplyMigrations(db, {kTwo[0]});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("newer"), std::string::npos);
  EXPECT_EQ(*SchemaVersion(db), 2);
}

TEST(MigratorTest, FailingMigrationRollsBackWholeAndKeepsVersion) {
  TempDir dir;
  Database db = OpenDb(dir.File("m.db"));
  const std::vector<Migration> bad = {
      kTwo[0], {"0002_bad.sql", "CREATE TABLE c (z); INSERT INTO nowhere VALUES (1);"}};
  Status status = ApplyMigrations(db, bad);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("0002_bad.sql"), std::string::npos);
  EXPECT_EQ(*SchemaVersion(db), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'c'"), 0);
}

TEST(MigratorTest, EmbeddedMigrationsCreateTheSchemaAndAMetaRow) {
  TempDir dir;
  Database db = OpenDb(dir.File("m.db"));
  ASSERT_FALSE(EmbeddedMigrations().empty());
  ASSERT_TRUE(ApplyMigrations(db, EmbeddedMigrations()).ok());
  EXPECT_EQ(*SchemaVersion(db), static_cast<std::int64_t>(EmbeddedMigrations().size()));
  for (const char* table :
       {"orgs", "users", "keys", "key_usage_hourly", "audit_events", "meta"}) {
    EXPECT_EQ(Count(db, std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") +
                            table + "'"),
              1)
        << table;
  }
  EXPECT_EQ(Count(db, "SELECT count(*) FROM meta"), 1);
}

}  // namespace
}  // namespace keyward::store
