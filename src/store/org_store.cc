// Store: organizations.
#include <algorithm>

#include "query_util.h"
#include "row_codec.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

using internal::InWriteTransaction;
using internal::ReadOptional;

Error OrgNotFound(const std::string& id) {
  return Error::NotFound("org " + id + " not found");
}

// Runs a statement and collects column 0 of every row it returns, sorted (RETURNING
// order is unspecified).
Result<std::vector<std::string>> CollectIds(SqlStatement& statement) {
  std::vector<std::string> ids;
  for (;;) {
    Result<bool> row = statement.Step();
    RETURN_IF_ERROR(row);
    if (!*row) break;
    ids.push_back(statement.Text(0));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Runs one "UPDATE ... WHERE org_id = ?1 ... RETURNING id" that stamps `now` and the
// transaction's change_seq on the org's rows, and returns the ids it touched.
Result<std::vector<std::string>> StampOrgRows(SqlConnection& db, const std::string& sql,
                                              const std::string& org_id, UnixSeconds now,
                                              std::int64_t seq) {
  Result<StatementRef> statement = db.Cached(sql);
  RETURN_IF_ERROR(statement);
  (*statement)->Bind(1, org_id).Bind(2, now).Bind(3, seq);
  return CollectIds(**statement);
}

Result<std::int64_t> CountOne(SqlStatement& statement) {
  Result<bool> row = statement.Step();
  RETURN_IF_ERROR(row);
  if (!*row) return Error::Internal("store: COUNT returned no row");
  return statement.Int64(0);
}

}  // namespace

Status SqlStore::InsertOrg(const OrgRecord& org) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Result<StatementRef> insert = db_->Cached(internal::InsertOrgSql());
    RETURN_IF_ERROR(insert);
    internal::BindOrg(**insert, org, *seq);
    return (*insert)->Run();
  });
}

Result<OrgRecord> SqlStore::GetOrg(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + internal::OrgColumns() +
                                  " FROM orgs WHERE id = ?1 AND deleted_at IS NULL";
  Result<StatementRef> select = db_->Cached(kSql);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, id);
  Result<std::optional<OrgRecord>> org =
      ReadOptional<OrgRecord>(**select, internal::ReadOrg);
  RETURN_IF_ERROR(org);
  if (!org->has_value()) return OrgNotFound(id);
  return std::move(**org);
}

Result<std::optional<OrgRecord>> SqlStore::FindOrgByName(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + internal::OrgColumns() +
                                  " FROM orgs WHERE name = ?1 AND deleted_at IS NULL";
  Result<StatementRef> select = db_->Cached(kSql);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, name);
  return ReadOptional<OrgRecord>(**select, internal::ReadOrg);
}

Status SqlStore::UpdateOrg(const OrgRecord& org) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Result<StatementRef> update = db_->Cached(internal::UpdateOrgSql());
    RETURN_IF_ERROR(update);
    internal::BindOrg(**update, org, *seq);
    Status status = (*update)->Run();
    if (!status.ok()) return status;
    if (db_->Changes() == 0) return OrgNotFound(org.id);
    return OkStatus();
  });
}

Status SqlStore::DeleteOrg(const std::string& id, UnixSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    Result<StatementRef> update = db_->Cached(
        "UPDATE orgs SET deleted_at = ?2, updated_at = ?2, change_seq = ?3 "
        "WHERE id = ?1 AND deleted_at IS NULL");
    RETURN_IF_ERROR(update);
    (*update)->Bind(1, id).Bind(2, now).Bind(3, *seq);
    Status status = (*update)->Run();
    if (!status.ok()) return status;
    if (db_->Changes() == 0) return OrgNotFound(id);
    return OkStatus();
  });
}

Result<Page<OrgRecord>> SqlStore::ListOrgs(const OrgFilter& filter) {
  Status limit_ok = internal::CheckLimit(filter.limit);
  RETURN_IF_ERROR(limit_ok);
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql =
      "SELECT " + internal::OrgColumns() +
      " FROM orgs WHERE seqno > ?1 AND deleted_at IS NULL ORDER BY seqno LIMIT ?2";
  Result<StatementRef> select = db_->Cached(kSql);
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, filter.after_seqno).Bind(2, std::int64_t{filter.limit} + 1);
  return internal::ReadPage<OrgRecord>(**select, filter.limit, internal::ReadOrg);
}

Result<OrgDeletion> SqlStore::DeleteOrgWithMembers(const std::string& id, UnixSeconds now,
                                                   bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(*db_, [&]() -> Result<OrgDeletion> {
    {
      Result<StatementRef> exists =
          db_->Cached("SELECT 1 FROM orgs WHERE id = ?1 AND deleted_at IS NULL");
      RETURN_IF_ERROR(exists);
      (*exists)->Bind(1, id);
      Result<bool> row = (*exists)->Step();
      RETURN_IF_ERROR(row);
      if (!*row) return OrgNotFound(id);
    }
    if (!force) {
      // Counted inside the write transaction, so nothing can join the org between
      // the check and the delete.
      Result<StatementRef> users = db_->Cached(
          "SELECT COUNT(*) FROM users WHERE org_id = ?1 AND deleted_at IS NULL");
      RETURN_IF_ERROR(users);
      (*users)->Bind(1, id);
      Result<std::int64_t> user_count = CountOne(**users);
      RETURN_IF_ERROR(user_count);
      Result<StatementRef> keys = db_->Cached(
          "SELECT COUNT(*) FROM keys WHERE org_id = ?1 AND revoked_at IS NULL");
      RETURN_IF_ERROR(keys);
      (*keys)->Bind(1, id);
      Result<std::int64_t> key_count = CountOne(**keys);
      RETURN_IF_ERROR(key_count);
      if (*user_count > 0 || *key_count > 0) {
        return Error::Conflict("organization still has " + std::to_string(*user_count) +
                                   " user(s) and " + std::to_string(*key_count) +
                                   " unrevoked key(s)",
                               ErrorCause::kNotEmpty);
      }
    }
    Result<std::int64_t> seq = NextChangeSeqLocked();
    RETURN_IF_ERROR(seq);
    OrgDeletion deletion;
    Result<std::vector<std::string>> revoked =
        StampOrgRows(*db_,
                     "UPDATE keys SET revoked_at = ?2, updated_at = ?2, change_seq = ?3 "
                     "WHERE org_id = ?1 AND revoked_at IS NULL RETURNING id",
                     id, now, *seq);
    RETURN_IF_ERROR(revoked);
    deletion.revoked_key_ids = std::move(revoked).value();
    Result<std::vector<std::string>> removed =
        StampOrgRows(*db_,
                     "UPDATE users SET deleted_at = ?2, updated_at = ?2, change_seq = ?3 "
                     "WHERE org_id = ?1 AND deleted_at IS NULL RETURNING id",
                     id, now, *seq);
    RETURN_IF_ERROR(removed);
    deletion.deleted_user_ids = std::move(removed).value();
    Result<StatementRef> update = db_->Cached(
        "UPDATE orgs SET deleted_at = ?2, updated_at = ?2, change_seq = ?3 "
        "WHERE id = ?1 AND deleted_at IS NULL");
    RETURN_IF_ERROR(update);
    (*update)->Bind(1, id).Bind(2, now).Bind(3, *seq);
    Status status = (*update)->Run();
    RETURN_IF_ERROR(status);
    return deletion;
  });
}

}  // namespace keyward::store
