// SqlStore: what replicas sharing one database must agree on — who does the
// first-start work, and that they all hold the same pepper.
#include <algorithm>

#include "pg_connection.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

// pg_advisory_lock key for first-start work ("kwbs").
constexpr const char* kLockSql = "SELECT pg_advisory_lock(1803969139)";

// The advisory lock lives as long as its session: closing the connection frees it.
class PgSessionLock final : public StoreLock {
 public:
  explicit PgSessionLock(std::unique_ptr<PgConnection> conn) : conn_(std::move(conn)) {}

 private:
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace

Result<std::unique_ptr<StoreLock>> SqlStore::LockFirstStart() {
  if (pg_url_.empty()) return std::make_unique<StoreLock>();
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(pg_url_);
  RETURN_IF_ERROR(conn);
  Status locked = (*conn)->Exec(kLockSql);
  RETURN_IF_ERROR(locked);
  return std::unique_ptr<StoreLock>(new PgSessionLock(std::move(conn).value()));
}

Status SqlStore::CheckPepper(std::span<const std::uint8_t> check) {
  if (db_->dialect() != SqlDialect::kPostgres) return OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  {
    // The first replica to get here records its value; later ones compare.
    Result<StatementRef> insert = db_->Cached(
        "INSERT INTO keyward_instance (id, pepper_check) VALUES (1, ?1) "
        "ON CONFLICT (id) DO NOTHING");
    RETURN_IF_ERROR(insert);
    (*insert)->Bind(1, check);
    Status inserted = (*insert)->Run();
    RETURN_IF_ERROR(inserted);
  }
  Result<StatementRef> select =
      db_->Cached("SELECT pepper_check FROM keyward_instance WHERE id = 1");
  RETURN_IF_ERROR(select);
  Result<bool> row = (*select)->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("store: keyward_instance has no row");
  const std::vector<std::uint8_t> stored = (*select)->Blob(0);
  if (!std::equal(stored.begin(), stored.end(), check.begin(), check.end())) {
    // A configuration error: this replica's pepper_file is the wrong one.
    Error error = Error::Validation(
        "pepper_file",
        "does not match the pepper the shared database was set up with: give this "
        "replica the pepper file of the others");
    error.message =
        "this replica's pepper does not match the shared database's (pepper_file)";
    return error;
  }
  return OkStatus();
}

}  // namespace keyward::store
