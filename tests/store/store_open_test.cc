#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "keyward/store/migrations.h"
#include "keyward/store/migrator.h"
#include "keyward/store/sqlite.h"
#include "keyward/store/store.h"
#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::MakeOrg;
using testing::TempDir;

unsigned Mode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(StoreOpenTest, CreatesDatabaseFileWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("keyward.db");
  ::umask(022);
  Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(Mode(path), 0600u);
  ASSERT_TRUE((*store)->InsertOrg(MakeOrg("org_1", "one")).ok());
  EXPECT_EQ(Mode(path + "-wal"), 0600u);  // SQLite copies the main file's mode
}

TEST(StoreOpenTest, TightensModeOfAnExistingFile) {
  TempDir dir;
  const std::string path = dir.File("keyward.db");
  ASSERT_TRUE(Store::Open(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_TRUE(Store::Open(path).ok());
  EXPECT_EQ(Mode(path), 0600u);
}

TEST(StoreOpenTest, UsesWalJournalAndAppliesMigrationsOnce) {
  TempDir dir;
  const std::string path = dir.File("keyward.db");
  ASSERT_TRUE(Store::Open(path).ok());
  ASSERT_TRUE(Store::Open(path).ok());  // a second open must find nothing to apply
  Result<Database> db = Database::Open(path, /*create=*/false);
  ASSERT_TRUE(db.ok());
  Result<Statement> mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
  EXPECT_EQ(*SchemaVersion(*db), static_cast<std::int64_t>(EmbeddedMigrations().size()));
}

TEST(StoreOpenTest, RefusesDatabaseFromANewerBinary) {
  TempDir dir;
  const std::string path = dir.File("keyward.db");
  ASSERT_TRUE(Store::Open(path).ok());
  {
    Result<Database> db = Database::Open(path, /*create=*/false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA user_version = 999").ok());
  }
  Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("999"), std::string::npos);
}

TEST(StoreOpenTest, FailsWhenTheDirectoryIsMissing) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.File("no/such/keyward.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind, ErrorKind::kUnavailable);
}

TEST(StoreOpenTest, DataSurvivesCloseAndReopen) {
  TempDir dir;
  const std::string path = dir.File("keyward.db");
  {
    Result<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->InsertOrg(MakeOrg("org_1", "one")).ok());
  }
  Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok());
  Result<OrgRecord> org = (*store)->GetOrg("org_1");
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(org->name, "one");
  EXPECT_EQ(*(*store)->CurrentChangeSeq(), 1);
}

TEST(StoreOpenTest, PingAnswers) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.File("keyward.db"));
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->Ping().ok());
}

}  // namespace
}  // namespace keyward::store
