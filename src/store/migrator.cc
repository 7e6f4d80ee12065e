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
  RETURN_IF_ERROR(statement);
  Result<bool> row = statement->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("sqlite: PRAGMA user_version returned no row");
  return statement->Int64(0);
}

Status ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  const auto known = static_cast<std::int64_t>(migrations.size());
  Result<std::int64_t> start = SchemaVersion(db);
  RETURN_IF_ERROR(start);
  if (*start > known) return TooNew(*start, migrations.size());

  for (std::int64_t i = *start; i < known; ++i) {
    Result<Transaction> tx = Transaction::Begin(db, Transaction::Mode::kImmediate);
    RETURN_IF_ERROR(tx);
    // Re-read under the write lock: another process may have migrated meanwhile.
    Result<std::int64_t> current = SchemaVersion(db);
    RETURN_IF_ERROR(current);
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
    RETURN_IF_ERROR(version);
    Status committed = tx->Commit();
    RETURN_IF_ERROR(committed);
  }
  return OkStatus();
}

}  // namespace keyward::store
