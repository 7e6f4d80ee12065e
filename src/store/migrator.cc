#include "keyward/store/migrator.h"

#include <string>

namespace keyward::store {
namespace {

Error TooNew(std::int64_t version, std::size_t known) {
  return Error::Internal("database schema version " + std::to_string(version) +
                         " is newer than this binary supports (" + std::to_string(known) +
                         "); upgrade keyward");
}

}  // namespace

Result<std::int64_t> SchemaVersion(Database& db) {
  Result<Statement> statement = db.Prepare("PRAGMA user_version");
  if (!statement.ok()) return statement.error();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error::Internal("sqlite: PRAGMA user_version returned no row");
  return statement->Int64(0);
}

Status ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  const auto known = static_cast<std::int64_t>(migrations.size());
  Result<std::int64_t> start = SchemaVersion(db);
  if (!start.ok()) return start.error();
  if (*start > known) return TooNew(*start, migrations.size());

  for (std::int64_t i = *start; i < known; ++i) {
    Result<Transaction> tx = Transaction::Begin(db, Transaction::Mode::kImmediate);
    if (!tx.ok()) return tx.error();
    // Re-read under the write lock: another process may have migrated meanwhile.
    Result<std::int64_t> current = SchemaVersion(db);
    if (!current.ok()) return current.error();
    if (*current > known) return TooNew(*current, migrations.size());
    if (*current > i) {
      i = *current - 1;  // skip what the other process already applied
      continue;
    }
    const Migration& migration = migrations[static_cast<std::size_t>(i)];
    Status applied = db.Exec(migration.sql);
    if (!applied.ok()) {
      Error error = applied.error();
      error.message = "migration " + std::string(migration.name) + ": " + error.message;
      return error;
    }
    // PRAGMA cannot take a bound parameter; i + 1 is our own integer.
    Status version = db.Exec("PRAGMA user_version = " + std::to_string(i + 1));
    if (!version.ok()) return version.error();
    Status committed = tx->Commit();
    if (!committed.ok()) return committed.error();
  }
  return OkStatus();
}

}  // namespace keyward::store
