// Store: web console passwords and sessions (migrations/0005_console_sessions.sql).
// None of these bump change_seq: sessions are read from the store on each console
// request, never mirrored into the in-memory index.
#include "query_util.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

using internal::InWriteTransaction;

SessionRecord ReadSession(const SqlStatement& s) {
  SessionRecord r;
  r.id = s.Text(0);
  r.user_id = s.Text(1);
  r.csrf_token = s.Text(2);
  r.created_at = s.Int64(3);
  r.last_seen_at = s.Int64(4);
  r.ip = s.Text(5);
  return r;
}

}  // namespace

Status SqlStore::SetPasswordHash(const std::string& user_id,
                                 const std::optional<std::string>& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<StatementRef> update = db_->Cached(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1 AND deleted_at IS NULL");
    RETURN_IF_ERROR(update);
    (*update)->Bind(1, user_id).Bind(2, hash);
    RETURN_IF_ERROR((*update)->Run());
    if (db_->Changes() == 0) return Error::NotFound("user " + user_id + " not found");
    Result<StatementRef> end = db_->Cached("DELETE FROM sessions WHERE user_id = ?1");
    RETURN_IF_ERROR(end);
    (*end)->Bind(1, user_id);
    return (*end)->Run();
  });
}

Result<std::optional<std::string>> SqlStore::GetPasswordHash(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> select =
      db_->Cached("SELECT password_hash FROM users WHERE id = ?1 AND deleted_at IS NULL");
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, user_id);
  Result<bool> row = (*select)->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::NotFound("user " + user_id + " not found");
  return (*select)->OptionalText(0);
}

Status SqlStore::InsertSession(const SessionRecord& s) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> insert = db_->Cached(
      "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, ip) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  RETURN_IF_ERROR(insert);
  (*insert)
      ->Bind(1, s.id)
      .Bind(2, s.user_id)
      .Bind(3, s.csrf_token)
      .Bind(4, s.created_at)
      .Bind(5, s.last_seen_at)
      .Bind(6, s.ip);
  return (*insert)->Run();
}

Result<std::optional<SessionRecord>> SqlStore::GetSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> select = db_->Cached(
      "SELECT id, user_id, csrf_token, created_at, last_seen_at, ip FROM sessions "
      "WHERE id = ?1");
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, id);
  return internal::ReadOptional<SessionRecord>(**select, ReadSession);
}

Status SqlStore::TouchSession(const std::string& id, UnixSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> update = db_->Cached(
      "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1 AND last_seen_at < ?2");
  RETURN_IF_ERROR(update);
  (*update)->Bind(1, id).Bind(2, now);
  return (*update)->Run();
}

Status SqlStore::DeleteSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> del = db_->Cached("DELETE FROM sessions WHERE id = ?1");
  RETURN_IF_ERROR(del);
  (*del)->Bind(1, id);
  return (*del)->Run();
}

Result<std::int64_t> SqlStore::PruneSessions(UnixSeconds idle_before,
                                             UnixSeconds created_before) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> del =
      db_->Cached("DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2");
  RETURN_IF_ERROR(del);
  (*del)->Bind(1, idle_before).Bind(2, created_before);
  RETURN_IF_ERROR((*del)->Run());
  return db_->Changes();
}

}  // namespace keyward::store
