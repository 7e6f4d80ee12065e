// Store: organizations.
#include "keyward/store/store.h"
#include "query_util.h"
#include "row_codec.h"

namespace keyward::store {
namespace {

using internal::InWriteTransaction;
using internal::ReadOptional;

Error OrgNotFound(const std::string& id) {
  return Error::NotFound("org " + id + " not found");
}

}  // namespace

Status Store::InsertOrg(const OrgRecord& org) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    if (!seq.ok()) return seq.error();
    Result<StatementRef> insert = db_.Cached(internal::InsertOrgSql());
    if (!insert.ok()) return insert.error();
    internal::BindOrg(**insert, org, *seq);
    return (*insert)->Run();
  });
}

Result<OrgRecord> Store::GetOrg(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + internal::OrgColumns() +
                                  " FROM orgs WHERE id = ?1 AND deleted_at IS NULL";
  Result<StatementRef> select = db_.Cached(kSql);
  if (!select.ok()) return select.error();
  (*select)->Bind(1, id);
  Result<std::optional<OrgRecord>> org =
      ReadOptional<OrgRecord>(**select, internal::ReadOrg);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return OrgNotFound(id);
  return std::move(**org);
}

Result<std::optional<OrgRecord>> Store::FindOrgByName(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql = "SELECT " + internal::OrgColumns() +
                                  " FROM orgs WHERE name = ?1 AND deleted_at IS NULL";
  Result<StatementRef> select = db_.Cached(kSql);
  if (!select.ok()) return select.error();
  (*select)->Bind(1, name);
  return ReadOptional<OrgRecord>(**select, internal::ReadOrg);
}

Status Store::UpdateOrg(const OrgRecord& org) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    if (!seq.ok()) return seq.error();
    Result<StatementRef> update = db_.Cached(
        "UPDATE orgs SET name = ?2, enabled = ?3, api_keys_enabled = ?4, updated_at = "
        "?6, "
        "change_seq = ?8 WHERE id = ?1 AND deleted_at IS NULL");
    if (!update.ok()) return update.error();
    internal::BindOrg(**update, org, *seq);
    Status status = (*update)->Run();
    if (!status.ok()) return status;
    if (db_.Changes() == 0) return OrgNotFound(org.id);
    return OkStatus();
  });
}

Status Store::DeleteOrg(const std::string& id, UnixSeconds now) {
  std::lock_guard<std::mutex> lock(mu_);
  return InWriteTransaction(db_, [&]() -> Status {
    Result<std::int64_t> seq = NextChangeSeqLocked();
    if (!seq.ok()) return seq.error();
    Result<StatementRef> update = db_.Cached(
        "UPDATE orgs SET deleted_at = ?2, updated_at = ?2, change_seq = ?3 "
        "WHERE id = ?1 AND deleted_at IS NULL");
    if (!update.ok()) return update.error();
    (*update)->Bind(1, id).Bind(2, now).Bind(3, *seq);
    Status status = (*update)->Run();
    if (!status.ok()) return status;
    if (db_.Changes() == 0) return OrgNotFound(id);
    return OkStatus();
  });
}

Result<Page<OrgRecord>> Store::ListOrgs(const OrgFilter& filter) {
  Status limit_ok = internal::CheckLimit(filter.limit);
  if (!limit_ok.ok()) return limit_ok.error();
  std::lock_guard<std::mutex> lock(mu_);
  static const std::string kSql =
      "SELECT " + internal::OrgColumns() +
      " FROM orgs WHERE seqno > ?1 AND deleted_at IS NULL ORDER BY seqno LIMIT ?2";
  Result<StatementRef> select = db_.Cached(kSql);
  if (!select.ok()) return select.error();
  (*select)->Bind(1, filter.after_seqno).Bind(2, std::int64_t{filter.limit} + 1);
  return internal::ReadPage<OrgRecord>(**select, filter.limit, internal::ReadOrg);
}

}  // namespace keyward::store
