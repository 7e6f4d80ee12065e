// A thin RAII layer over the SQLite C API: Database, Statement, Transaction.
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

struct sqlite3;
struct sqlite3_stmt;

namespace keyward::store {

// A prepared statement. Bind errors are remembered and reported by the next Step(),
// so binding code can chain calls without checking each one.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite (?1, ?2, ...).
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value);
  Statement& Bind(int index, const char* value);
  Statement& Bind(int index, std::span<const std::uint8_t> blob);
  Statement& Bind(int index, std::nullptr_t);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);
  Statement& Bind(int index, const std::optional<std::string>& value);

  // Advances one row. Returns true when a row is available, false when done.
  Result<bool> Step();
  // Steps until done, ignoring any rows (for INSERT/UPDATE/DDL).
  Status Run();

  // Column getters for the current row; columns are 0-based.
  bool IsNull(int column) const;
  std::int64_t Int64(int column) const;
  std::string Text(int column) const;  // NULL reads as ""
  std::vector<std::uint8_t> Blob(int column) const;
  std::optional<std::int64_t> OptionalInt64(int column) const;
  std::optional<std::string> OptionalText(int column) const;

  // Returns the statement to its initial state and clears every binding. Also ends
  // the implicit read transaction a half-stepped SELECT keeps open, which would
  // otherwise pin this connection to an old WAL snapshot.
  void Reset();

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void RecordBindError(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::optional<Error> bind_error_;
};

// A borrowed, cached Statement that is Reset() when the handle goes out of scope, so
// a cached statement is never left mid-step between uses.
class StatementRef {
 public:
  explicit StatementRef(Statement* statement) : statement_(statement) {}
  StatementRef(StatementRef&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  StatementRef& operator=(StatementRef&&) = delete;
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  ~StatementRef() {
    if (statement_ != nullptr) statement_->Reset();
  }

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

// One SQLite connection, configured for keyward: busy timeout 5000 ms, WAL,
// synchronous=FULL (an acknowledged admin write must survive power loss) and
// foreign_keys=ON.
class Database {
 public:
  // Opens `path`; with `create` a missing file is created, otherwise it is an error.
  static Result<Database> Open(const std::string& path, bool create);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more ';'-separated statements that return no rows of interest.
  Status Exec(std::string_view sql);
  // Compiles exactly one statement, owned by the caller.
  Result<Statement> Prepare(std::string_view sql);
  // Like Prepare, but compiled once per connection and reused: for hot paths.
  Result<StatementRef> Cached(const std::string& sql);

  // Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  std::int64_t Changes() const;
  // The rowid of the most recent successful INSERT on this connection.
  std::int64_t LastInsertRowId() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  void Close();

  sqlite3* db_ = nullptr;
  // unique_ptr keeps Statement addresses stable across rehashes and moves.
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Scoped transaction: rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  enum class Mode {
    kDeferred,   // a read snapshot: several SELECTs that must agree with each other
    kImmediate,  // takes the write lock up front, so a writer never fails mid-way
  };

  static Result<Transaction> Begin(Database& db, Mode mode = Mode::kImmediate);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}

  Database* db_;  // null once committed, rolled back or moved from
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_SQLITE_H_
