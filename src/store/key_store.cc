// Store: API keys.
#include "query_util.h"
#include "row_codec.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

using internal::InWriteTransaction;
using internal::ReadAll;
using internal::ReadOptional;

Error KeyNotFound(const std::string& id) {
  return Error::NotFound("key " + id + " not found");
}

bool IsKnownStatus(const std::string& status) {
  return status == "active" || status == "disabled" || status == "expired" ||
         status == "revoked";
}

}  // namespace

Result<std::optional<KeyRecord>> SqlStore::FindKeyLocked(const std::string& id) {
  static const std::string kSql =
      "SELECT " + internal::KeyColumns() + " FROM keys WHERE id = ?1";
  Result<StatementRef> select = db_->Cached(kSql);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, id);
  return ReadOptional<KeyRecord>(**select, internal::ReadKey);
}

Status SqlStore::InsertKeyLocked(const KeyRecord& key, std::int64_t change_seq) {
  Result<StatementRef> insert = db_->Cached(internal::InsertKeySql());
  RETURN_IF_ERROR(insert);
  internal::BindKey(**insert, key, change_seq);
  return (*insert)->Run();
}

Status SqlStore::UpdateKeyLocked(const KeyRecord& key, std::int64_t change_seq) {
  {
    // The statement and what it leaves alone come from the keys column table
    // (key_columns.cc).
    Result<StatementRef> update = db_->Cached(internal::UpdateKeySql());
    RETURN_IF_ERROR(update);
    internal::BindKey(**update, key, change_seq);
    Status status = (*update)->Run();
    if (!status.ok()) return status;
    if (db_->Changes() == 1) return OkStatus();
  }
  Result<std::optional<KeyRecord>> existing = FindKeyLocked(key.id);
  RETURN_IF_ERROR(existing);
  if (!existing->has_value()) return KeyNotFound(key.id);
  return Error::Conflict("key " + key.id + " is revoked", ErrorCause::kRevoked);
}

Status SqlStore::InsertKey(const KeyRecord& key) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    return InsertKeyLocked(key, *seq);
  });
}

Result<KeyRecord> SqlStore::GetKey(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<std::optional<KeyRecord>> key = FindKeyLocked(id);
  RETURN_IF_ERROR(key);
  if (!key->has_value()) return KeyNotFound(id);
  return std::move(**key);
}

Status SqlStore::UpdateKey(const KeyRecord& key) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    return UpdateKeyLocked(key, *seq);
  });
}

Result<KeyRecord> SqlStore::RevokeKey(const std::string& id, UnixSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Result<KeyRecord> {
    Result<std::optional<KeyRecord>> found = FindKeyLocked(id);
    RETURN_IF_ERROR(found);
    if (!found->has_value()) return KeyNotFound(id);
    KeyRecord key = std::move(**found);
    if (key.revoked_at) return key;  // idempotent: the first revocation stands

    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Result<StatementRef> update = db_->Cached(
        "UPDATE keys SET revoked_at = ?2, updated_at = ?2, change_seq = ?3 WHERE id = "
        "?1");
    RETURN_IF_ERROR(update);
    (*update)->Bind(1, id).Bind(2, now).Bind(3, *seq);
    Status status = (*update)->Run();
    RETURN_IF_ERROR(status);
    key.revoked_at = now;
    key.updated_at = now;
    return key;
  });
}

Result<std::vector<KeyRecord>> SqlStore::LoadAllKeys() {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql =
      "SELECT " + internal::KeyColumns() + " FROM keys ORDER BY seqno";
  Result<StatementRef> select = db_->Cached(kSql);
  RETURN_IF_ERROR(select);
  return ReadAll<KeyRecord>(**select, internal::ReadKey);
}

Status SqlStore::RotateKey(const KeyRecord& old_updated, const KeyRecord& new_key) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Status inserted = InsertKeyLocked(new_key, *seq);
    if (!inserted.ok()) return inserted;
    return UpdateKeyLocked(old_updated, *seq);
  });
}

Result<Page<KeyRecord>> SqlStore::ListKeys(const KeyFilter& filter) {
  Status limit_ok = internal::CheckLimit(filter.limit);
  RETURN_IF_ERROR(limit_ok);
  if (filter.status && !IsKnownStatus(*filter.status)) {
    return Error{ErrorKind::kInvalidArgument,
                 "store: unknown key status \"" + *filter.status + "\"",
                 {}};
  }
  // Only the conditions in use go into the SQL so SQLite can use the owner/org
  // indexes; each variant is its own cached statement. ?7 (the limit) always
  // appears, which keeps the lower parameters bindable when unused.
  std::string sql = "SELECT " + internal::KeyColumns() + " FROM keys WHERE seqno > ?1";
  if (filter.owner_user_id) sql += " AND owner_user_id = ?2";
  if (filter.org_id) sql += " AND org_id = ?3";
  if (filter.status) {
    // Same precedence as the verifier: revoked, then expired, then disabled.
    sql +=
        " AND ?4 = CASE WHEN revoked_at IS NOT NULL THEN 'revoked'"
        " WHEN expires_at IS NOT NULL AND expires_at <= ?5 THEN 'expired'"
        " WHEN enabled = 0 THEN 'disabled' ELSE 'active' END";
  }
  if (filter.tag) {
    sql +=
        db_->dialect() == SqlDialect::kPostgres
            ? " AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(keys.tags::jsonb)"
              " AS t(value) WHERE t.value = ?6)"
            : " AND EXISTS (SELECT 1 FROM json_each(keys.tags) WHERE json_each.value = "
              "?6)";
  }
  sql += " ORDER BY seqno LIMIT ?7";

  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> select = db_->Cached(sql);
  RETURN_IF_ERROR(select);
  SqlStatement& s = **select;
  s.Bind(1, filter.after_seqno).Bind(7, std::int64_t{filter.limit} + 1);
  if (filter.owner_user_id) s.Bind(2, *filter.owner_user_id);
  if (filter.org_id) s.Bind(3, *filter.org_id);
  if (filter.status) s.Bind(4, *filter.status).Bind(5, filter.now);
  if (filter.tag) s.Bind(6, *filter.tag);
  return internal::ReadPage<KeyRecord>(s, filter.limit, internal::ReadKey);
}

Result<std::int64_t> SqlStore::CountLiveKeys(
    const std::optional<std::string>& owner_user_id, const std::string& org_id,
    UnixSeconds now) {
  // Each on an index (keys_owner_user_id, keys_org_id).
  static const std::string kByOwner =
      "SELECT count(*) FROM keys WHERE owner_user_id = ?1 AND revoked_at IS NULL"
      " AND (expires_at IS NULL OR expires_at > ?2)";
  static const std::string kOrgKeys =
      "SELECT count(*) FROM keys WHERE org_id = ?1 AND owner_user_id IS NULL"
      " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?2)";
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> count = db_->Cached(owner_user_id ? kByOwner : kOrgKeys);
  RETURN_IF_ERROR(count);
  (*count)->Bind(1, owner_user_id ? *owner_user_id : org_id).Bind(2, now);
  Result<bool> row = (*count)->Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("store: count(*) returned no row");
  return (*count)->Int64(0);
}

}  // namespace keyward::store
