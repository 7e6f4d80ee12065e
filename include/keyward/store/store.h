// Store: keyward's persistent state (orgs, users, keys, usage) in one SQLite file.
//
// Every write is committed (WAL, synchronous=FULL) before the method returns, so an
// acknowledged admin change survives a crash. Each insert/update of an org, user or
// key stamps the row with a new change_seq; ChangesSince() lets a running server pick
// up rows written by another process on the same file (the local CLI).
//
// Errors, unless a method says otherwise: kNotFound for a missing (or, for users and
// orgs, deleted) row; kConflict for a uniqueness violation (the message names the
// column, e.g. "keys.display_prefix"); kInvalidArgument for a row that breaks another
// constraint (unknown org_id/owner_user_id, invalid JSON in metadata_json);
// kUnavailable when SQLite cannot answer (locked past the 5 s busy timeout, I/O error,
// disk full); kInternal for anything unexpected.
//
// Thread-safety: thread-safe. All methods serialize on one connection; none is meant
// for the verification hot path (which reads an in-memory index instead).
#ifndef KEYWARD_STORE_STORE_H_
#define KEYWARD_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/store/session_types.h"
#include "keyward/store/sqlite.h"
#include "keyward/store/store_types.h"

namespace keyward::store {

class Store {
 public:
  // Opens (creating if missing) the database at `path`, sets its mode to 0600 and
  // applies the embedded migrations. The parent directory must exist.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- organizations. Names are unique among live orgs (kConflict).
  Status InsertOrg(const OrgRecord& org);  // org.deleted is ignored
  Result<OrgRecord> GetOrg(const std::string& id);
  Result<std::optional<OrgRecord>> FindOrgByName(const std::string& name);
  // Writes name, enabled, api_keys_enabled, updated_at.
  Status UpdateOrg(const OrgRecord& org);
  // Soft delete. Keys of the org are left as they are: the verifier refuses them as
  // OWNER_DISABLED because the org is deleted.
  Status DeleteOrg(const std::string& id, UnixSeconds now);
  Result<Page<OrgRecord>> ListOrgs(const OrgFilter& filter);
  // Soft-deletes the org, checked: unless `force`, kConflict when it still has a live
  // user or an unrevoked key (the message gives both counts). With `force`, the same
  // transaction revokes every unrevoked key of the org (user and org keys alike) and
  // soft-deletes its users, so nothing of the org stays usable or half-deleted.
  Result<OrgDeletion> DeleteOrgWithMembers(const std::string& id, UnixSeconds now,
                                           bool force);

  // --- users. Usernames are unique (case-sensitive) among live users (kConflict).
  Status InsertUser(const UserRecord& user);  // user.deleted is ignored
  Result<UserRecord> GetUser(const std::string& id);
  Result<std::optional<UserRecord>> FindUserByUsername(const std::string& username);
  // Writes username, org_id, role, permissions, enabled, api_keys_enabled, updated_at.
  Status UpdateUser(const UserRecord& user);
  // Soft-deletes the user and, in the same transaction, revokes (revoked_at = now)
  // every unrevoked key of kind user that the user owns. Returns those key ids.
  Result<std::vector<std::string>> DeleteUser(const std::string& id, UnixSeconds now);
  Result<Page<UserRecord>> ListUsers(const UserFilter& filter);

  // --- keys. Never deleted; revoked instead.
  // kConflict mentioning "display_prefix" when the prefix is taken: generate a new key.
  Status InsertKey(const KeyRecord& key);
  // Inserts every key of `keys` in one transaction (all or none), each with its own
  // change_seq: the bulk path of `keyward keys seed`. Errors as InsertKey.
  Status InsertKeys(const std::vector<KeyRecord>& keys);
  Result<KeyRecord> GetKey(const std::string& id);
  // Writes every field except id, display_prefix, hash, created_at, created_by and
  // last_used_at/last_used_ip (those belong to ApplyUsage; a stale record must not
  // roll them back). remaining_uses and quota_refilled_at are written only when
  // key.quota_epoch differs from the stored one (SaveQuotas owns them otherwise).
  // kConflict if the stored key is already revoked.
  Status UpdateKey(const KeyRecord& key);
  // Sets revoked_at = now and updated_at = now. Idempotent: an already revoked key is
  // returned unchanged (first revoked_at kept, no new change_seq).
  Result<KeyRecord> RevokeKey(const std::string& id, UnixSeconds now);
  // Every key, revoked ones included, in seqno order: to build the in-memory index.
  Result<std::vector<KeyRecord>> LoadAllKeys();
  // Inserts `new_key` and applies UpdateKey(old_updated) in one transaction.
  Status RotateKey(const KeyRecord& old_updated, const KeyRecord& new_key);
  Result<Page<KeyRecord>> ListKeys(const KeyFilter& filter);

  // --- change feed
  Result<ChangeSet> ChangesSince(std::int64_t change_seq);
  Result<std::int64_t> CurrentChangeSeq();

  // --- usage
  // In one transaction: for "VALID" events, last_used_at/last_used_ip become those of
  // the latest event (never moving backwards); every event adds 1 to
  // key_usage_hourly(key_id, at / 3600 * 3600, code). Does not bump change_seq, so
  // usage never makes a server reload its index. Events with an empty key_id are
  // skipped; unknown key ids are counted but update nothing.
  Status ApplyUsage(const std::vector<UsageEvent>& events);
  // Hours at or after the hour containing `since`, newest first.
  Result<std::vector<HourlyUsage>> UsageForKey(const std::string& key_id,
                                               UnixSeconds since);

  // --- quotas
  // In one transaction, writes each count's remaining_uses (and quota_refilled_at
  // when set) to its key if the row still has that quota_epoch and a quota; a count
  // from an older epoch (an admin has since set the quota) is silently dropped.
  // Does not bump change_seq: live counters must not make a server reload its index.
  Status SaveQuotas(const std::vector<QuotaCount>& counts);

  // --- audit
  // Appends `events` in one transaction (committed before returning). When `ids`
  // is given it receives the new rows' ids, in order.
  Status InsertAuditEvents(const std::vector<AuditRecord>& events,
                           std::vector<std::int64_t>* ids = nullptr);
  // Replaces the details of existing events (id, details_json), in one transaction:
  // how a coalesced denial's count grows after its row was written.
  Status UpdateAuditDetails(
      const std::vector<std::pair<std::int64_t, std::string>>& updates);
  // Deletes events older than `before`, at most `max_rows` of them; returns how many.
  Result<std::int64_t> PruneAuditEvents(UnixSeconds before, std::int64_t max_rows);
  // A page of events, newest first; next_after is the `before_id` of the next page.
  Result<Page<AuditRecord>> ListAuditEvents(const AuditFilter& filter);

  // --- web console: passwords and sessions (session_store.cc)
  // Sets (or, with nullopt, clears) a live user's Argon2id password string and, in
  // the same transaction, ends every session of that user: a reset password signs
  // out every browser that knew the old one. kNotFound for a missing user.
  Status SetPasswordHash(const std::string& user_id,
                         const std::optional<std::string>& hash);
  // The stored password string of a live user; nullopt when none is set.
  Result<std::optional<std::string>> GetPasswordHash(const std::string& user_id);
  Status InsertSession(const SessionRecord& session);
  Result<std::optional<SessionRecord>> GetSession(const std::string& id);
  Status TouchSession(const std::string& id, UnixSeconds now);
  Status DeleteSession(const std::string& id);
  // Deletes sessions idle since before `idle_before` or created before
  // `created_before`; returns how many.
  Result<std::int64_t> PruneSessions(UnixSeconds idle_before, UnixSeconds created_before);

  // A cheap SELECT 1, for /readyz.
  Status Ping();

 private:
  explicit Store(Database db) : db_(std::move(db)) {}

  // All *Locked helpers expect mu_ held; write helpers also an open transaction.
  Result<std::int64_t> NextChangeSeqLocked();
  Result<std::optional<KeyRecord>> FindKeyLocked(const std::string& id);
  Status InsertKeyLocked(const KeyRecord& key, std::int64_t change_seq);
  Status UpdateKeyLocked(const KeyRecord& key, std::int64_t change_seq);

  std::mutex mu_;
  Database db_;
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_STORE_H_
