// A thin RAII layer over the SQLite C API: Database and Statement, the SQLite side of
// sql_connection.h (Transaction works on either).
//
// It exists so the rest of store/ never sees a raw sqlite3* or a return code: every
// failure becomes an Error whose message carries SQLite's own errmsg. Error kinds:
// uniqueness violations are kConflict, other constraint violations kInvalidArgument,
// lock/IO/disk-full conditions kUnavailable, anything else kInternal.
//
// Thread-safety: none of these classes is thread-safe. A Database (and the Statements
// and Transactions made from it) must be used by one thread at a time; Store wraps
// one in a mutex.
#ifndef KEYWARD_STORE_SQLITE_H_
#define KEYWARD_STORE_SQLITE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "keyward/core/result.h"
#include "keyward/store/sql_connection.h"

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;

namespace keyward::store {

// A prepared SQLite statement (SqlStatement; parameters ?1, ?2, ...).
class Statement final : public SqlStatement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() override;

  using SqlStatement::Bind;
  SqlStatement& Bind(int index, std::int64_t value) override;
  SqlStatement& Bind(int index, std::string_view value) override;
  SqlStatement& Bind(int index, std::span<const std::uint8_t> blob) override;
  SqlStatement& BindNull(int index, SqlType type) override;

  Result<bool> Step() override;

  bool IsNull(int column) const override;
  std::int64_t Int64(int column) const override;
  std::string_view TextView(int column) const override;  // NULL reads as ""
  std::vector<std::uint8_t> Blob(int column) const override;
  bool BlobInto(int column, std::span<std::uint8_t> out) const override;

  // Also ends the implicit read transaction a half-stepped SELECT keeps open, which
  // would otherwise pin this connection to an old WAL snapshot.
  void Reset() override;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void RecordBindError(int rc, int index);
  // Column `column` of the current row, as SQLite holds it (see values_).
  sqlite3_value* Value(int column) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::optional<Error> bind_error_;
  // The current row's columns, each fetched once with sqlite3_column_value (null: not
  // yet) and read with sqlite3_value_*. Every sqlite3_column_* getter enters the
  // connection's mutex, checks the column and runs the API-exit hook before doing
  // what the sqlite3_value_* call does, and a row decoder makes two or three such
  // calls per column (~15 % of a 10^6-key full load's CPU). SQLite documents reading
  // a column's value this way as not thread-safe only: a Statement is used by one
  // thread at a time anyway. Valid for the first row_columns_ entries: set by a Step()
  // that finds a row, 0 otherwise.
  mutable std::vector<sqlite3_value*> values_;
  int row_columns_ = 0;
};

// One SQLite connection, configured for keyward: busy timeout 5000 ms, WAL,
// synchronous=FULL (an acknowledged admin write must survive power loss) and
// foreign_keys=ON.
class Database final : public SqlConnection {
 public:
  // Opens `path`; with `create` a missing file is created, otherwise it is an error.
  static Result<Database> Open(const std::string& path, bool create);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() override;

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

  // Runs one or more ';'-separated statements that return no rows of interest.
  Status Exec(std::string_view sql);
  // Compiles exactly one statement, owned by the caller.
  Result<Statement> Prepare(std::string_view sql);
  // Like Prepare, but compiled once per connection and reused: for hot paths.
  Result<StatementRef> Cached(const std::string& sql) override;

  // Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  std::int64_t Changes() const override;
  // The rowid of the most recent successful INSERT on this connection.
  std::int64_t LastInsertRowId() const;

  // kDeferred is BEGIN DEFERRED, kImmediate BEGIN IMMEDIATE.
  Status BeginTransaction(TxMode mode) override;
  Status CommitTransaction() override;
  void RollbackTransaction() override;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  void Close();

  sqlite3* db_ = nullptr;
  // unique_ptr keeps Statement addresses stable across rehashes and moves.
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_SQLITE_H_
