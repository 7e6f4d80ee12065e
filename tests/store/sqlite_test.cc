#include "keyward/store/sqlite.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "store/store_test_util.h"

namespace keyward::store {
namespace {

using testing::TempDir;

Database OpenDb(const std::string& path) {
  Result<Database> db = Database::Open(path, /*create=*/true);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  return std::move(db).value();
}

std::string PragmaText(Database& db, const std::string& pragma) {
  Result<Statement> s = db.Prepare("PRAGMA " + pragma);
  EXPECT_TRUE(s.ok());
  Result<bool> row = s->Step();
  EXPECT_TRUE(row.ok() && *row);
  return s->Text(0);
}

std::int64_t CountRows(Database& db, const std::string& table) {
  Result<Statement> s = db.Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(s.ok());
  Result<bool> row = s->Step();
  EXPECT_TRUE(row.ok() && *row);
  return s->Int64(0);
}

TEST(DatabaseTest, OpenConfiguresWalFullSyncForeignKeysAndBusyTimeout) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  EXPECT_EQ(PragmaText(db, "journal_mode"), "wal");
  EXPECT_EQ(PragmaText(db, "synchronous"), "2");  // FULL
  EXPECT_EQ(PragmaText(db, "foreign_keys"), "1");
  EXPECT_EQ(PragmaText(db, "busy_timeout"), "5000");
}

TEST(DatabaseTest, OpenWithoutCreateRefusesMissingFile) {
  TempDir dir;
  Result<Database> db = Database::Open(dir.File("missing.db"), /*create=*/false);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("missing.db"), std::string::npos);
}

TEST(DatabaseTest, StatementRoundTripsEveryBindType) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (i, s, b, n, oi, os, ni, ns, e)").ok());
  Result<Statement> insert =
      db.Prepare("INSERT INTO t VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  ASSERT_TRUE(insert.ok());
  const std::array<std::uint8_t, 3> blob = {0, 255, 7};
  insert->Bind(1, std::int64_t{-9'000'000'000})
      .Bind(2, std::string("hé\0llo", 7))
      .Bind(3, std::span<const std::uint8_t>(blob))
      .Bind(4, nullptr)
      .Bind(5, std::optional<std::int64_t>(42))
      .Bind(6, std::optional<std::string>("x"))
      .Bind(7, std::optional<std::int64_t>())
      .Bind(8, std::optional<std::string>())
      .Bind(9, "");
  ASSERT_TRUE(insert->Run().ok());

  Result<Statement> select = db.Prepare("SELECT * FROM t");
  ASSERT_TRUE(select.ok());
  Result<bool> row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->Int64(0), -9'000'000'000);
  EXPECT_EQ(select->Text(1), std::string("hé\0llo", 7));
  EXPECT_EQ(select->Blob(2), std::vector<std::uint8_t>(blob.begin(), blob.end()));
  EXPECT_TRUE(select->IsNull(3));
  EXPECT_EQ(select->OptionalInt64(4), 42);
  EXPECT_EQ(select->OptionalText(5), "x");
  EXPECT_EQ(select->OptionalInt64(6), std::nullopt);
  EXPECT_EQ(select->OptionalText(7), std::nullopt);
  EXPECT_FALSE(select->IsNull(8));  // an empty string is not NULL
  EXPECT_EQ(select->Text(8), "");
  row = select->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST(DatabaseTest, TextViewIsTheColumnsBytesAndBlobIntoTakesOnlyItsExactSize) {
  // The bulk load's readers: no copy, so they must see exactly what Text() and
  // Blob() return, embedded NULs, empty values and NULL included.
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (s, e, n, b, z)").ok());
  Result<Statement> insert = db.Prepare("INSERT INTO t VALUES (?1,?2,?3,?4,?5)");
  ASSERT_TRUE(insert.ok());
  std::array<std::uint8_t, 32> hash{};
  for (std::size_t i = 0; i < hash.size(); ++i)
    hash[i] = static_cast<std::uint8_t>(i * 7);
  insert->Bind(1, std::string("a\0b\xc3\xa9", 5))
      .Bind(2, "")
      .Bind(3, nullptr)
      .Bind(4, std::span<const std::uint8_t>(hash))
      .Bind(5, std::span<const std::uint8_t>());
  ASSERT_TRUE(insert->Run().ok());

  Result<Statement> select = db.Prepare("SELECT * FROM t");
  ASSERT_TRUE(select.ok());
  Result<bool> row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->TextView(0), std::string_view("a\0b\xc3\xa9", 5));
  EXPECT_EQ(select->TextView(0), select->Text(0));
  EXPECT_EQ(select->TextView(1), "");
  EXPECT_EQ(select->TextView(2), "");  // NULL reads as ""

  std::array<std::uint8_t, 32> out{};
  EXPECT_TRUE(select->BlobInto(3, out));
  EXPECT_EQ(out, hash);
  std::array<std::uint8_t, 31> short_out{};
  std::array<std::uint8_t, 33> long_out{};
  EXPECT_FALSE(select->BlobInto(3, short_out));
  EXPECT_FALSE(select->BlobInto(3, long_out));
  EXPECT_FALSE(select->BlobInto(2, out));  // NULL is zero bytes
  EXPECT_TRUE(select->BlobInto(2, std::span<std::uint8_t>()));
  EXPECT_FALSE(select->BlobInto(4, out));  // an empty blob
  EXPECT_TRUE(select->BlobInto(4, std::span<std::uint8_t>()));
}

TEST(DatabaseTest, ColumnReadsFollowTheCurrentRowAndConvertLikeSqlitesGetters) {
  // A Statement keeps each column's value for the row it is on: every read must
  // still see the current row after Step() and Reset(), read a column any number
  // of times and in any form, and convert as sqlite3_column_* does.
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (k INTEGER, v); "
                      "INSERT INTO t VALUES (1, 'one'), (2, 22), (3, NULL), (4, '7x')")
                  .ok());
  Result<Statement> select = db.Prepare("SELECT k, v FROM t ORDER BY k");
  ASSERT_TRUE(select.ok());
  auto step = [&select] {
    Result<bool> row = select->Step();
    return row.ok() && *row;
  };
  ASSERT_TRUE(step());
  EXPECT_EQ(select->Int64(0), 1);
  EXPECT_EQ(select->TextView(0), "1");  // an integer read as text
  EXPECT_EQ(select->Int64(0), 1);       // and again as an integer
  EXPECT_EQ(select->TextView(1), "one");
  EXPECT_EQ(select->TextView(1), "one");
  EXPECT_FALSE(select->IsNull(1));
  EXPECT_TRUE(select->IsNull(2));  // no such column: NULL, 0 and ""
  EXPECT_EQ(select->Int64(2), 0);
  EXPECT_EQ(select->TextView(-1), "");

  ASSERT_TRUE(step());
  EXPECT_EQ(select->Int64(0), 2);
  EXPECT_EQ(select->TextView(1), "22");
  EXPECT_EQ(select->Int64(1), 22);

  ASSERT_TRUE(step());
  EXPECT_EQ(select->Int64(0), 3);
  EXPECT_TRUE(select->IsNull(1));
  EXPECT_EQ(select->OptionalInt64(1), std::nullopt);
  EXPECT_EQ(select->TextView(1), "");

  ASSERT_TRUE(step());
  EXPECT_EQ(select->Int64(1), 7);  // text read as an integer: its leading digits
  EXPECT_EQ(select->Blob(1), (std::vector<std::uint8_t>{'7', 'x'}));
  EXPECT_FALSE(step());

  select->Reset();
  ASSERT_TRUE(step());
  EXPECT_EQ(select->Int64(0), 1);
  EXPECT_EQ(select->TextView(1), "one");
}

TEST(DatabaseTest, BindErrorIsReportedByStep) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  Result<Statement> s = db.Prepare("SELECT ?1");
  ASSERT_TRUE(s.ok());
  s->Bind(5, std::int64_t{1});
  Result<bool> row = s->Step();
  ASSERT_FALSE(row.ok());
  EXPECT_NE(row.error().message.find("bind parameter 5"), std::string::npos);
}

TEST(DatabaseTest, PrepareErrorCarriesSqliteMessage) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  Result<Statement> s = db.Prepare("SELEC nonsense");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("syntax error"), std::string::npos);
}

TEST(DatabaseTest, PrepareRefusesMoreThanOneStatement) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  EXPECT_FALSE(db.Prepare("SELECT 1; SELECT 2").ok());
  EXPECT_TRUE(db.Prepare("SELECT 1;  \n").ok());
}

TEST(DatabaseTest, UniqueViolationIsConflictAndNotNullIsInvalidArgument) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (u TEXT UNIQUE, n TEXT NOT NULL)").ok());
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES ('a', 'x')").ok());
  Status duplicate = db.Exec("INSERT INTO t VALUES ('a', 'y')");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().kind, ErrorKind::kConflict);
  EXPECT_NE(duplicate.error().message.find("t.u"), std::string::npos);
  Status null = db.Exec("INSERT INTO t VALUES ('b', NULL)");
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().kind, ErrorKind::kInvalidArgument);
}

TEST(TransactionTest, RollsBackWhenNotCommitted) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (x)").ok());
  {
    Result<Transaction> tx = Transaction::Begin(db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(CountRows(db, "t"), 0);
}

TEST(TransactionTest, CommitIsVisibleToAnotherConnection) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (x)").ok());
  Result<Transaction> tx = Transaction::Begin(db);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)").ok());
  Database other = OpenDb(dir.File("a.db"));
  EXPECT_EQ(CountRows(other, "t"), 0);  // not yet committed
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(CountRows(other, "t"), 1);
}

TEST(TransactionTest, ImmediateTransactionReportsHeldWriteLockAsUnavailable) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  Database other = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(other.Exec("PRAGMA busy_timeout = 10").ok());
  Result<Transaction> held = Transaction::Begin(db);
  ASSERT_TRUE(held.ok());
  Result<Transaction> blocked = Transaction::Begin(other);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().kind, ErrorKind::kUnavailable);
}

// A cached SELECT left mid-step would pin its connection to an old WAL snapshot, so
// writes by another process would never become visible. StatementRef prevents that.
TEST(DatabaseTest, CachedStatementIsResetSoLaterReadsSeeOtherConnectionsWrites) {
  TempDir dir;
  Database db = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(db.Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)").ok());
  {
    Result<StatementRef> s = db.Cached("SELECT x FROM t");
    ASSERT_TRUE(s.ok());
    Result<bool> row = (*s)->Step();  // one of two rows: still mid-read
    ASSERT_TRUE(row.ok() && *row);
  }
  Database other = OpenDb(dir.File("a.db"));
  ASSERT_TRUE(other.Exec("INSERT INTO t VALUES (3)").ok());
  Result<StatementRef> count = db.Cached("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  Result<bool> row = (*count)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*count)->Int64(0), 3);
}

}  // namespace
}  // namespace keyward::store
