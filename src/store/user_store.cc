// Store: users.
#include <algorithm>

#include "query_util.h"
#include "row_codec.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

using internal::InWriteTransaction;
using internal::ReadOptional;

Error UserNotFound(const std::string& id) {
  return Error::NotFound("user " + id + " not found");
}

}  // namespace

Status SqlStore::InsertUser(const UserRecord& user) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Result<StatementRef> insert = db_->Cached(internal::InsertUserSql());
    RETURN_IF_ERROR(insert);
    internal::BindUser(**insert, user, *seq);
    return (*insert)->Run();
  });
}

Result<UserRecord> SqlStore::GetUser(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + internal::UserColumns() +
                                  " FROM users WHERE id = ?1 AND deleted_at IS NULL";
  Result<StatementRef> select = db_->Cached(kSql);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, id);
  Result<std::optional<UserRecord>> user =
      ReadOptional<UserRecord>(**select, internal::ReadUser);
  RETURN_IF_ERROR(user);
  if (!user->has_value()) return UserNotFound(id);
  return std::move(**user);
}

Result<std::optional<UserRecord>> SqlStore::FindUserByUsername(
    const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  // Both match the live-username unique index of their migration 0004.
  static const std::string kSqlite =
      "SELECT " + internal::UserColumns() +
      " FROM users WHERE username = ?1 COLLATE NOCASE AND deleted_at IS NULL";
  static const std::string kPostgres =
      "SELECT " + internal::UserColumns() +
      " FROM users WHERE lower(username) = lower(?1) AND deleted_at IS NULL";
  Result<StatementRef> select =
      db_->Cached(db_->dialect() == SqlDialect::kPostgres ? kPostgres : kSqlite);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, username);
  return ReadOptional<UserRecord>(**select, internal::ReadUser);
}

Status SqlStore::UpdateUser(const UserRecord& user) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Result<StatementRef> update = db_->Cached(internal::UpdateUserSql());
    RETURN_IF_ERROR(update);
    internal::BindUser(**update, user, *seq);
    Status status = (*update)->Run();
    if (!status.ok()) return status;
    if (db_->Changes() == 0) return UserNotFound(user.id);
    return OkStatus();
  });
}

Result<std::vector<std::string>> SqlStore::DeleteUser(const std::string& id,
                                                      UnixSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Result<std::vector<std::string>> {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    {
      Result<StatementRef> update = db_->Cached(
          "UPDATE users SET deleted_at = ?2, updated_at = ?2, change_seq = ?3 "
          "WHERE id = ?1 AND deleted_at IS NULL");
      RETURN_IF_ERROR(update);
      (*update)->Bind(1, id).Bind(2, now).Bind(3, *seq);
      Status status = (*update)->Run();
      RETURN_IF_ERROR(status);
      if (db_->Changes() == 0) return UserNotFound(id);
    }
    // Organization keys the user created stay: they belong to the org, not the user.
    Result<StatementRef> revoke = db_->Cached(
        "UPDATE keys SET revoked_at = ?2, updated_at = ?2, change_seq = ?3 "
        "WHERE owner_user_id = ?1 AND kind = 'user' AND revoked_at IS NULL RETURNING id");
    RETURN_IF_ERROR(revoke);
    (*revoke)->Bind(1, id).Bind(2, now).Bind(3, *seq);
    std::vector<std::string> revoked;
    for (;;) {
      Result<bool> row = (*revoke)->Step();
      RETURN_IF_ERROR(row);
      if (!*row) break;
      revoked.push_back((*revoke)->Text(0));
    }
    std::sort(revoked.begin(), revoked.end());  // RETURNING order is unspecified
    return revoked;
  });
}

Result<Page<UserRecord>> SqlStore::ListUsers(const UserFilter& filter) {
  Status limit_ok = internal::CheckLimit(filter.limit);
  RETURN_IF_ERROR(limit_ok);
  // Only the conditions in use go into the SQL, so SQLite can pick the org_id index;
  // each variant is a distinct cached statement. ?4 (the limit) always appears, which
  // keeps ?2 and ?3 bindable when their condition is absent.
  std::string sql = "SELECT " + internal::UserColumns() +
                    " FROM users WHERE seqno > ?1 AND deleted_at IS NULL";
  if (filter.org_id) sql += " AND org_id = ?2";
  if (filter.role) sql += " AND role = ?3";
  sql += " ORDER BY seqno LIMIT ?4";

  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> select = db_->Cached(sql);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, filter.after_seqno).Bind(4, std::int64_t{filter.limit} + 1);
  if (filter.org_id) (*select)->Bind(2, *filter.org_id);
  if (filter.role) (*select)->Bind(3, RoleName(*filter.role));
  return internal::ReadPage<UserRecord>(**select, filter.limit, internal::ReadUser);
}

}  // namespace keyward::store
