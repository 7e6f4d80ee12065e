// The SQL seam between the store's queries and a database: SqlStatement (bind, step,
// read a row), SqlConnection (cached statements, transactions) and Transaction.
//
// Store code (src/store/*_store.cc, the column tables) is written once against these;
// SQLite (sqlite.h) and PostgreSQL (src/store/pg_connection.h) implement them. SQL
// text uses SQLite's parameter spelling, "?1" or "?"; the PostgreSQL connection
// rewrites it to "$1". What the dialects spell differently is asked of dialect().
//
// Thread-safety: none. One thread at a time per connection; the store holds a mutex.
#ifndef KEYWARD_STORE_SQL_CONNECTION_H_
#define KEYWARD_STORE_SQL_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/core/result.h"

namespace keyward::store {

enum class SqlDialect { kSqlite, kPostgres };

// What a NULL stands for: PostgreSQL needs a type for parameters it cannot infer.
// kAny leaves it to the statement (a NULL for a column of any type).
enum class SqlType { kAny, kInt, kText, kBlob };

// A prepared statement. Bind errors are remembered and reported by the next Step(),
// so binding code can chain calls without checking each one.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;

  // Parameters are 1-based (?1, ?2, ...).
  virtual SqlStatement& Bind(int index, std::int64_t value) = 0;
  virtual SqlStatement& Bind(int index, std::string_view value) = 0;
  virtual SqlStatement& Bind(int index, std::span<const std::uint8_t> blob) = 0;
  virtual SqlStatement& BindNull(int index, SqlType type) = 0;
  SqlStatement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  SqlStatement& Bind(int index, const char* value) {
    return Bind(index, std::string_view(value));
  }
  SqlStatement& Bind(int index, std::nullptr_t) { return BindNull(index, SqlType::kAny); }
  SqlStatement& Bind(int index, const std::optional<std::int64_t>& value) {
    return value ? Bind(index, *value) : BindNull(index, SqlType::kInt);
  }
  SqlStatement& Bind(int index, const std::optional<std::string>& value) {
    return value ? Bind(index, std::string_view(*value))
                 : BindNull(index, SqlType::kText);
  }

  // Advances one row. Returns true when a row is available, false when done.
  virtual Result<bool> Step() = 0;
  // Steps until done, ignoring any rows (for INSERT/UPDATE/DDL).
  Status Run() {
    for (;;) {
      Result<bool> row = Step();
      RETURN_IF_ERROR(row);
      if (!*row) return OkStatus();
    }
  }

  // Column getters for the current row; columns are 0-based.
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int64(int column) const = 0;
  // The column's bytes without a copy; NULL reads as "". Valid until the next
  // Step() or Reset() or another read of this column: the row decoders assign it
  // straight into a record's member, where a std::string per column was a copy and
  // a free per text column of every row of a full load.
  virtual std::string_view TextView(int column) const = 0;
  std::string Text(int column) const { return std::string(TextView(column)); }
  virtual std::vector<std::uint8_t> Blob(int column) const = 0;
  // Copies the column's blob into `out` when it is exactly out.size() bytes; false
  // otherwise (out then unspecified). For fixed-size values (a key's 32-byte hash),
  // read without a std::vector.
  virtual bool BlobInto(int column, std::span<std::uint8_t> out) const = 0;
  std::optional<std::int64_t> OptionalInt64(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int64(column);
  }
  std::optional<std::string> OptionalText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Text(column);
  }

  // Returns the statement to its initial state and clears every binding.
  virtual void Reset() = 0;
};

// A borrowed, cached statement that is Reset() when the handle goes out of scope, so
// a cached statement is never left mid-step between uses.
class StatementRef {
 public:
  explicit StatementRef(SqlStatement* statement) : statement_(statement) {}
  StatementRef(StatementRef&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  StatementRef& operator=(StatementRef&&) = delete;
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  ~StatementRef() {
    if (statement_ != nullptr) statement_->Reset();
  }

  SqlStatement* operator->() const { return statement_; }
  SqlStatement& operator*() const { return *statement_; }

 private:
  SqlStatement* statement_;
};

enum class TxMode {
  kDeferred,   // a read snapshot: several SELECTs that must agree with each other
  kImmediate,  // takes the write lock up front, so writers are serialized
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  virtual SqlDialect dialect() const = 0;
  // Compiled once per connection and reused.
  virtual Result<StatementRef> Cached(const std::string& sql) = 0;
  // Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  virtual std::int64_t Changes() const = 0;

  virtual Status BeginTransaction(TxMode mode) = 0;
  virtual Status CommitTransaction() = 0;
  // Errors are ignored: the database may already have rolled back on its own.
  virtual void RollbackTransaction() = 0;
};

// Scoped transaction: rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  using Mode = TxMode;

  static Result<Transaction> Begin(SqlConnection& db, Mode mode = Mode::kImmediate) {
    Status status = db.BeginTransaction(mode);
    RETURN_IF_ERROR(status);
    return Transaction(&db);
  }

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (db_ != nullptr) db_->RollbackTransaction();
  }

  Status Commit() {
    if (db_ == nullptr) return Error::Internal("store: commit without a transaction");
    Status status = db_->CommitTransaction();
    if (status.ok()) db_ = nullptr;
    return status;
  }

 private:
  explicit Transaction(SqlConnection* db) : db_(db) {}

  SqlConnection* db_;  // null once committed, rolled back or moved from
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_SQL_CONNECTION_H_
