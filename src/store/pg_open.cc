// SqlStore::OpenPostgres: connect, then bring the schema up to date under an
// advisory lock, so replicas starting together apply each migration exactly once.
#include "keyward/store/migrations.h"
#include "pg_connection.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

// pg_advisory_lock key held while migrating ("kwmg"); the first-start work of the
// service (bootstrap) takes its own.
constexpr const char* kLock = "SELECT pg_advisory_lock(1803970919)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(1803970919)";

Result<std::int64_t> Version(PgConnection& db) {
  Result<StatementRef> select = db.Cached("SELECT version FROM keyward_schema");
  RETURN_IF_ERROR(select);
  Result<bool> row = (*select)->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("postgres: keyward_schema has no row");
  return (*select)->Int64(0);
}

Status MigrateLocked(PgConnection& db, const std::vector<Migration>& migrations) {
  Status table = db.Exec(
      "CREATE TABLE IF NOT EXISTS keyward_schema (version BIGINT NOT NULL);"
      "INSERT INTO keyward_schema (version) SELECT 0 "
      "WHERE NOT EXISTS (SELECT 1 FROM keyward_schema)");
  RETURN_IF_ERROR(table);
  // Outside the numbered migrations, like keyward_schema: PostgreSQL only, since
  // only a database shared by replicas needs to tell peppers apart.
  Status instance = db.Exec(
      "CREATE TABLE IF NOT EXISTS keyward_instance (id BIGINT PRIMARY KEY CHECK (id = 1),"
      " pepper_check BYTEA NOT NULL)");
  RETURN_IF_ERROR(instance);
  Result<std::int64_t> version = Version(db);
  RETURN_IF_ERROR(version);
  const auto known = static_cast<std::int64_t>(migrations.size());
  if (*version > known) {
    return Error::Internal("database schema version " + std::to_string(*version) +
                           " is newer than this binary supports (" +
                           std::to_string(known) + "); upgrade keyward");
  }
  for (std::int64_t i = *version; i < known; ++i) {
    const Migration& migration = migrations[static_cast<std::size_t>(i)];
    // One transaction per migration, with its version: all of it or none.
    Status applied = db.Exec(
        "BEGIN;\n" + std::string(migration.sql) +
        ";\nUPDATE keyward_schema SET version = " + std::to_string(i + 1) + ";\nCOMMIT");
    if (!applied.ok()) {
      (void)db.Exec("ROLLBACK");
      Error error = applied.error();
      error.message =
          "migration postgres/" + std::string(migration.name) + ": " + error.message;
      return error;
    }
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<SqlStore>> SqlStore::OpenPostgres(const std::string& url) {
  Result<std::unique_ptr<PgConnection>> db = PgConnection::Connect(url);
  RETURN_IF_ERROR(db);
  Status locked = (*db)->Exec(kLock);
  RETURN_IF_ERROR(locked);
  Status migrated = MigrateLocked(**db, EmbeddedPostgresMigrations());
  Status unlocked = (*db)->Exec(kUnlock);
  RETURN_IF_ERROR(migrated);
  RETURN_IF_ERROR(unlocked);
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(db).value()));
  store->pg_url_ = url;
  return store;
}

}  // namespace keyward::store
