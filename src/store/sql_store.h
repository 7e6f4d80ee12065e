// SqlStore: the Store in one SQLite file (WAL, synchronous=FULL), the embedded
// default. Private to store/: everything else holds a Store.
//
// Every write is committed before the method returns; each insert/update of an org,
// user or key takes the next meta.change_seq inside its transaction.
//
// Thread-safety: thread-safe; all methods serialize on one connection (mu_).
#ifndef KEYWARD_SRC_STORE_SQL_STORE_H_
#define KEYWARD_SRC_STORE_SQL_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keyward/store/sql_connection.h"
#include "keyward/store/store.h"

namespace keyward::store {

class SqlStore final : public Store {
 public:
  // The SQLite file at `path` (created 0600 if missing), migrated.
  static Result<std::unique_ptr<SqlStore>> OpenSqlite(const std::string& path);
  // A libpq connection URI; migrated under an advisory lock (pg_open.cc).
  static Result<std::unique_ptr<SqlStore>> OpenPostgres(const std::string& url);

  Status InsertOrg(const OrgRecord& org) override;
  Result<OrgRecord> GetOrg(const std::string& id) override;
  Result<std::optional<OrgRecord>> FindOrgByName(const std::string& name) override;
  Status UpdateOrg(const OrgRecord& org) override;
  Status DeleteOrg(const std::string& id, UnixSeconds now) override;
  Result<Page<OrgRecord>> ListOrgs(const OrgFilter& filter) override;
  Result<OrgDeletion> DeleteOrgWithMembers(const std::string& id, UnixSeconds now,
                                           bool force) override;

  Status InsertUser(const UserRecord& user) override;
  Result<UserRecord> GetUser(const std::string& id) override;
  Result<std::optional<UserRecord>> FindUserByUsername(
      const std::string& username) override;
  Status UpdateUser(const UserRecord& user) override;
  Result<std::vector<std::string>> DeleteUser(const std::string& id,
                                              UnixSeconds now) override;
  Result<Page<UserRecord>> ListUsers(const UserFilter& filter) override;

  Status InsertKey(const KeyRecord& key) override;
  Status InsertKeys(const std::vector<KeyRecord>& keys) override;
  Result<KeyRecord> GetKey(const std::string& id) override;
  Status UpdateKey(const KeyRecord& key) override;
  Result<KeyRecord> RevokeKey(const std::string& id, UnixSeconds now) override;
  Result<std::vector<KeyRecord>> LoadAllKeys() override;
  Status RotateKey(const KeyRecord& old_updated, const KeyRecord& new_key) override;
  Result<Page<KeyRecord>> ListKeys(const KeyFilter& filter) override;
  Result<std::int64_t> CountLiveKeys(const std::optional<std::string>& owner_user_id,
                                     const std::string& org_id, UnixSeconds now) override;

  Result<ChangeSet> ChangesSince(std::int64_t change_seq) override;
  Result<std::int64_t> StreamChangesSince(std::int64_t change_seq,
                                          const ChangeSink& sink) override;
  Result<std::int64_t> CurrentChangeSeq() override;

  Status ApplyUsage(const std::vector<UsageEvent>& events) override;
  Result<std::vector<HourlyUsage>> UsageForKey(const std::string& key_id,
                                               UnixSeconds since) override;

  Status SaveQuotas(const std::vector<QuotaCount>& counts) override;

  Status InsertAuditEvents(const std::vector<AuditRecord>& events,
                           std::vector<std::int64_t>* ids) override;
  Status UpdateAuditDetails(
      const std::vector<std::pair<std::int64_t, std::string>>& updates) override;
  Result<std::int64_t> PruneAuditEvents(UnixSeconds before,
                                        std::int64_t max_rows) override;
  Result<Page<AuditRecord>> ListAuditEvents(const AuditFilter& filter) override;

  Status SetPasswordHash(const std::string& user_id,
                         const std::optional<std::string>& hash) override;
  Result<std::optional<std::string>> GetPasswordHash(const std::string& user_id) override;
  Status InsertSession(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> GetSession(const std::string& id) override;
  Status TouchSession(const std::string& id, UnixSeconds now) override;
  Status DeleteSession(const std::string& id) override;
  Result<std::int64_t> PruneSessions(UnixSeconds idle_before,
                                     UnixSeconds created_before) override;

  Status Ping() override;

  Result<std::unique_ptr<StoreLock>> LockFirstStart() override;
  Status CheckPepper(std::span<const std::uint8_t> check) override;

 private:
  explicit SqlStore(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}

  // All *Locked helpers expect mu_ held; write helpers also an open transaction.
  Result<std::int64_t> NextChangeSeqLocked();
  Result<std::optional<KeyRecord>> FindKeyLocked(const std::string& id);
  Status InsertKeyLocked(const KeyRecord& key, std::int64_t change_seq);
  Status UpdateKeyLocked(const KeyRecord& key, std::int64_t change_seq);

  std::mutex mu_;
  std::unique_ptr<SqlConnection> db_;
  std::string pg_url_;  // PostgreSQL only: for connections of their own (locks)
};

}  // namespace keyward::store

#endif  // KEYWARD_SRC_STORE_SQL_STORE_H_
