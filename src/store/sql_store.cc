// SqlStore: opening SQLite, the change feed and the health check. The per-entity methods
// live in org_store.cc, user_store.cc, key_store.cc and usage_store.cc.
#include "sql_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "keyward/store/migrations.h"
#include "keyward/store/migrator.h"
#include "keyward/store/sqlite.h"
#include "query_util.h"
#include "row_codec.h"

namespace keyward::store {
namespace {

Error FileError(const std::string& what, const std::string& path) {
  return Error::Unavailable("store: " + what + " " + path + ": " + std::strerror(errno));
}

// The database holds key hashes and the admin roster: owner-only, always. Creating
// the file ourselves (rather than letting SQLite do it with the umask) means it is
// never readable by others, not even briefly. SQLite gives -wal/-shm the mode of the
// main file when it creates them; existing ones are fixed here too.
Status RestrictFileModes(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return FileError("cannot create", path);
  ::close(fd);
  if (::chmod(path.c_str(), 0600) != 0) return FileError("cannot chmod", path);
  for (const char* suffix : {"-wal", "-shm"}) {
    std::string side = path + suffix;
    if (::chmod(side.c_str(), 0600) != 0 && errno != ENOENT) {
      return FileError("cannot chmod", side);
    }
  }
  return OkStatus();
}

// A full load on SQLite reads every page of the file once. Memory-mapped, SQLite
// reads them in place instead of pread()-copying each into its page cache (the copy
// and the cache's bookkeeping were ~5 % of a 10^6-key load). Only for that read: with
// a map, an I/O error on the file is a SIGBUS rather than an error code, and a
// steady-state poll reads a handful of pages. PostgreSQL: nothing to do.
class LoadMapping {
 public:
  LoadMapping(SqlConnection& db, bool full_load)
      : db_(full_load && db.dialect() == SqlDialect::kSqlite ? &db : nullptr) {
    // SQLite clamps the size to its compile-time maximum (2 GiB by default); a
    // larger file is mapped up to that and read as before beyond it.
    if (db_ != nullptr) Set("PRAGMA mmap_size=2147418112");
  }
  LoadMapping(const LoadMapping&) = delete;
  LoadMapping& operator=(const LoadMapping&) = delete;
  ~LoadMapping() {
    if (db_ != nullptr) Set("PRAGMA mmap_size=0");
  }

 private:
  // Errors are ignored: without the map the load reads the same rows, only slower.
  void Set(const std::string& pragma) {
    Result<StatementRef> set = db_->Cached(pragma);
    if (set.ok()) (void)(*set)->Run();
  }

  SqlConnection* db_;
};

// The rows of `table` changed after ?1, in seqno order, as of the snapshot whose
// meta.change_seq is ?2. A full load (?1 = 0) reads nearly every row: a scan in
// seqno order, which is what SQLite plans for "change_seq > ?1". A later read
// (`full` false) adds "<= ?2": true of every row in the snapshot anyway, but a
// bounded range is what makes SQLite's planner use the change_seq index; with ">"
// alone it scanned the whole table, so every 250 ms poll of a 10^6-key store read
// all ~400 MB of it (a core, for as long as the server ran).
std::string ChangedRowsSql(std::string_view table, const std::string& columns,
                           bool full) {
  std::string sql =
      "SELECT " + columns + " FROM " + std::string(table) + " WHERE change_seq > ?1";
  if (!full) sql += " AND change_seq <= ?2";
  return sql + " ORDER BY seqno";
}

}  // namespace

Result<std::unique_ptr<SqlStore>> SqlStore::OpenSqlite(const std::string& path) {
  Status modes = RestrictFileModes(path);
  RETURN_IF_ERROR(modes);
  Result<Database> db = Database::Open(path, /*create=*/true);
  RETURN_IF_ERROR(db);
  Status migrated = ApplyMigrations(*db, EmbeddedMigrations());
  RETURN_IF_ERROR(migrated);
  return std::unique_ptr<SqlStore>(
      new SqlStore(std::make_unique<Database>(std::move(db).value())));
}

Result<std::int64_t> SqlStore::NextChangeSeqLocked() {
  Result<StatementRef> next =
      db_->Cached("UPDATE meta SET change_seq = change_seq + 1 RETURNING change_seq");
  RETURN_IF_ERROR(next);
  Result<bool> row = (*next)->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("store: meta row missing");
  const std::int64_t seq = (*next)->Int64(0);
  if (db_->dialect() == SqlDialect::kPostgres) {
    // Delivered at commit, to every replica's ChangeListener (change_listener.h).
    Result<StatementRef> notify = db_->Cached("SELECT pg_notify('keyward_changes', '')");
    RETURN_IF_ERROR(notify);
    Status sent = (*notify)->Run();
    RETURN_IF_ERROR(sent);
  }
  return seq;
}

Result<std::int64_t> SqlStore::CurrentChangeSeq() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> current = db_->Cached("SELECT change_seq FROM meta");
  RETURN_IF_ERROR(current);
  Result<bool> row = (*current)->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("store: meta row missing");
  return (*current)->Int64(0);
}

Result<ChangeSet> SqlStore::ChangesSince(std::int64_t change_seq) {
  ChangeSet changes;
  ChangeSink sink{
      [&changes](std::size_t n) { changes.keys.reserve(n); },
      [&changes](OrgRecord&& org) { changes.orgs.push_back(std::move(org)); },
      [&changes](UserRecord&& user) { changes.users.push_back(std::move(user)); },
      [&changes](std::shared_ptr<KeyRecord> key) {
        changes.keys.push_back(std::move(*key));
      }};
  Result<std::int64_t> max_seq = StreamChangesSince(change_seq, sink);
  RETURN_IF_ERROR(max_seq);
  changes.max_seq = *max_seq;
  return changes;
}

Result<std::int64_t> SqlStore::StreamChangesSince(std::int64_t change_seq,
                                                  const ChangeSink& sink) {
  std::lock_guard<std::mutex> lock(mu_);
  // Declared before the transaction, so the map is dropped after it ends.
  LoadMapping mapping(*db_, change_seq == 0);
  // One read transaction, so max_seq and the rows come from the same snapshot: a
  // row committed after it is picked up by the next call, never skipped.
  Result<Transaction> tx = Transaction::Begin(*db_, Transaction::Mode::kDeferred);
  RETURN_IF_ERROR(tx);
  std::int64_t max_seq = 0;
  {
    Result<StatementRef> meta = db_->Cached("SELECT change_seq FROM meta");
    RETURN_IF_ERROR(meta);
    Result<bool> row = (*meta)->Step();
    RETURN_IF_ERROR(row);
    if (!*row) return Error::Internal("store: meta row missing");
    max_seq = (*meta)->Int64(0);
  }
  // Orgs and users before keys, the order in which a caller publishes them.
  const bool full = change_seq == 0;
  {
    static const std::string kSql[] = {ChangedRowsSql("orgs", internal::OrgColumns(), 0),
                                       ChangedRowsSql("orgs", internal::OrgColumns(), 1)};
    Result<StatementRef> select = db_->Cached(kSql[full]);
    RETURN_IF_ERROR(select);
    (*select)->Bind(1, change_seq);
    if (!full) (*select)->Bind(2, max_seq);
    Status read = internal::ForEachRow<OrgRecord>(**select, internal::ReadOrg, sink.org);
    RETURN_IF_ERROR(read);
  }
  {
    static const std::string kSql[] = {
        ChangedRowsSql("users", internal::UserColumns(), 0),
        ChangedRowsSql("users", internal::UserColumns(), 1)};
    Result<StatementRef> select = db_->Cached(kSql[full]);
    RETURN_IF_ERROR(select);
    (*select)->Bind(1, change_seq);
    if (!full) (*select)->Bind(2, max_seq);
    Status read =
        internal::ForEachRow<UserRecord>(**select, internal::ReadUser, sink.user);
    RETURN_IF_ERROR(read);
  }
  {
    Result<StatementRef> count =
        db_->Cached("SELECT count(*) FROM keys WHERE change_seq > ?1");
    RETURN_IF_ERROR(count);
    (*count)->Bind(1, change_seq);
    Result<bool> row = (*count)->Step();
    RETURN_IF_ERROR(row);
    const std::int64_t n = *row ? (*count)->Int64(0) : 0;
    sink.expect_keys(static_cast<std::size_t>(n));
  }
  {
    static const std::string kSql[] = {ChangedRowsSql("keys", internal::KeyColumns(), 0),
                                       ChangedRowsSql("keys", internal::KeyColumns(), 1)};
    Result<StatementRef> select = db_->Cached(kSql[full]);
    RETURN_IF_ERROR(select);
    (*select)->Bind(1, change_seq);
    if (!full) (*select)->Bind(2, max_seq);
    for (;;) {
      Result<bool> row = (*select)->Step();
      RETURN_IF_ERROR(row);
      if (!*row) break;
      std::shared_ptr<KeyRecord> key = std::make_shared<KeyRecord>();
      Status read = internal::ReadKeyInto(**select, *key);
      RETURN_IF_ERROR(read);
      sink.key(std::move(key));
    }
  }
  Status committed = tx->Commit();
  RETURN_IF_ERROR(committed);
  return max_seq;
}

Status SqlStore::Ping() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> ping = db_->Cached("SELECT 1");
  RETURN_IF_ERROR(ping);
  Result<bool> row = (*ping)->Step();
  RETURN_IF_ERROR(row);
  return OkStatus();
}

}  // namespace keyward::store
