// PostgreSQL side of sql_connection.h, over libpq. Private to store/.
//
// Statements run with PQexecParams: parameters travel apart from the SQL text (never
// spliced in), typed (int8, text, bytea) so that a NULL or a parameter a variant of a
// query leaves out needs no inference. "?N" and "?" in the SQL become "$N".
//
// Errors: SQLSTATE 23505 (unique) is kConflict with the ErrorCause its constraint
// name gives; other integrity (23xxx) and data (22xxx) errors kInvalidArgument; a
// lost or refused connection, a timeout, a serialization failure or an admin
// shutdown kUnavailable (and the next call reconnects); the rest kInternal. Every
// message is internal_message.
//
// Thread-safety: none; one thread at a time (SqlStore holds a mutex).
#ifndef KEYWARD_SRC_STORE_PG_CONNECTION_H_
#define KEYWARD_SRC_STORE_PG_CONNECTION_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "keyward/store/sql_connection.h"

struct pg_conn;

namespace keyward::store {

class PgConnection final : public SqlConnection {
 public:
  // Connects to `url` (a libpq URI); connect_timeout defaults to 5 s and
  // statement_timeout to 10 s, so an unreachable database answers, never hangs.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override;

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  Result<StatementRef> Cached(const std::string& sql) override;
  std::int64_t Changes() const override { return changes_; }
  // kImmediate also takes the store's advisory transaction lock: writers on every
  // replica serialize, as SQLite's BEGIN IMMEDIATE does on one file. kDeferred is a
  // REPEATABLE READ read-only snapshot.
  Status BeginTransaction(TxMode mode) override;
  Status CommitTransaction() override;
  void RollbackTransaction() override;

  // Runs SQL text as one simple query (several statements allowed; no parameters).
  Status Exec(const std::string& sql);

  // For PgStatement: a live connection (reconnecting outside a transaction when
  // it was lost), or kUnavailable.
  Result<pg_conn*> Live();
  void SetChanges(std::int64_t changes) { changes_ = changes; }
  bool in_transaction() const { return in_transaction_; }

 private:
  PgConnection(pg_conn* conn, std::string url) : conn_(conn), url_(std::move(url)) {}

  pg_conn* conn_;
  std::string url_;
  std::int64_t changes_ = 0;
  bool in_transaction_ = false;
  std::unordered_map<std::string, std::unique_ptr<SqlStatement>> cache_;
};

// "?N" → "$N", and each bare "?" → the next number. The store's SQL has no "?" in a
// literal or an identifier.
std::string PgParameters(const std::string& sql);

}  // namespace keyward::store

#endif  // KEYWARD_SRC_STORE_PG_CONNECTION_H_
