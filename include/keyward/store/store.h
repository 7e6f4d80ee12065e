// Store: keyward's persistent state (orgs, users, keys, usage), behind one interface
// with two implementations: the embedded SQLite file (the default; src/store/
// sqlite_store.h) and PostgreSQL, shared by many replicas (contract section 7).
// Open() picks one from store.url, so nothing above store/ knows which it has.
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
// kUnavailable when the database cannot answer (SQLite locked past the 5 s busy
// timeout, I/O error, disk full; PostgreSQL unreachable); kInternal for anything
// unexpected.
//
// Thread-safety: implementations are thread-safe. The SQLite one serializes on one
// connection; none is meant
// for the verification hot path (which reads an in-memory index instead).
#ifndef KEYWARD_STORE_STORE_H_
#define KEYWARD_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/store/session_types.h"
#include "keyward/store/store_types.h"

namespace keyward::store {

// Held while it lives; see Store::LockFirstStart.
class StoreLock {
 public:
  virtual ~StoreLock() = default;
};

class Store {
 public:
  // Chooses the implementation by `url` (config store.url): empty or "sqlite:" opens
  // the SQLite file at `sqlite_path` (see the one-argument Open); "postgres://" or
  // "postgresql://" connects to PostgreSQL (a libpq URI) and migrates it under an
  // advisory lock. Any other scheme is kInvalidArgument.
  static Result<std::unique_ptr<Store>> Open(const std::string& url,
                                             const std::string& sqlite_path);
  // Opens (creating if missing) the SQLite database at `path`, sets its mode to 0600
  // and applies the embedded migrations. The parent directory must exist.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- organizations. Names are unique among live orgs (kConflict).
  virtual Status InsertOrg(const OrgRecord& org) = 0;  // org.deleted is ignored
  virtual Result<OrgRecord> GetOrg(const std::string& id) = 0;
  virtual Result<std::optional<OrgRecord>> FindOrgByName(const std::string& name) = 0;
  // Writes name, enabled, api_keys_enabled, updated_at.
  virtual Status UpdateOrg(const OrgRecord& org) = 0;
  // Soft delete. Keys of the org are left as they are: the verifier refuses them as
  // OWNER_DISABLED because the org is deleted.
  virtual Status DeleteOrg(const std::string& id, UnixSeconds now) = 0;
  virtual Result<Page<OrgRecord>> ListOrgs(const OrgFilter& filter) = 0;
  // Soft-deletes the org, checked: unless `force`, kConflict when it still has a live
  // user or an unrevoked key (the message gives both counts). With `force`, the same
  // transaction revokes every unrevoked key of the org (user and org keys alike) and
  // soft-deletes its users, so nothing of the org stays usable or half-deleted.
  virtual Result<OrgDeletion> DeleteOrgWithMembers(const std::string& id, UnixSeconds now,
                                                   bool force) = 0;

  // --- users. Usernames are unique (case-sensitive) among live users (kConflict).
  virtual Status InsertUser(const UserRecord& user) = 0;  // user.deleted is ignored
  virtual Result<UserRecord> GetUser(const std::string& id) = 0;
  virtual Result<std::optional<UserRecord>> FindUserByUsername(
      const std::string& username) = 0;
  // Writes username, org_id, role, permissions, enabled, api_keys_enabled, updated_at.
  virtual Status UpdateUser(const UserRecord& user) = 0;
  // Soft-deletes the user and, in the same transaction, revokes (revoked_at = now)
  // every unrevoked key of kind user that the user owns. Returns those key ids.
  virtual Result<std::vector<std::string>> DeleteUser(const std::string& id,
                                                      UnixSeconds now) = 0;
  virtual Result<Page<UserRecord>> ListUsers(const UserFilter& filter) = 0;

  // --- keys. Never deleted; revoked instead.
  // kConflict mentioning "display_prefix" when the prefix is taken: generate a new key.
  virtual Status InsertKey(const KeyRecord& key) = 0;
  // Inserts every key of `keys` in one transaction (all or none), each with its own
  // change_seq: the bulk path of `keyward keys seed`. Errors as InsertKey.
  virtual Status InsertKeys(const std::vector<KeyRecord>& keys) = 0;
  virtual Result<KeyRecord> GetKey(const std::string& id) = 0;
  // Writes every field except id, display_prefix, hash, created_at, created_by and
  // last_used_at/last_used_ip (those belong to ApplyUsage; a stale record must not
  // roll them back). remaining_uses and quota_refilled_at are written only when
  // key.quota_epoch differs from the stored one (SaveQuotas owns them otherwise).
  // kConflict if the stored key is already revoked.
  virtual Status UpdateKey(const KeyRecord& key) = 0;
  // Sets revoked_at = now and updated_at = now. Idempotent: an already revoked key is
  // returned unchanged (first revoked_at kept, no new change_seq).
  virtual Result<KeyRecord> RevokeKey(const std::string& id, UnixSeconds now) = 0;
  // Every key, revoked ones included, in seqno order: to build the in-memory index.
  virtual Result<std::vector<KeyRecord>> LoadAllKeys() = 0;
  // Inserts `new_key` and applies UpdateKey(old_updated) in one transaction.
  virtual Status RotateKey(const KeyRecord& old_updated, const KeyRecord& new_key) = 0;
  virtual Result<Page<KeyRecord>> ListKeys(const KeyFilter& filter) = 0;
  // How many keys are live at `now` (neither revoked nor expired, enabled or not):
  // the user keys of `owner_user_id`, or with it unset the organization keys of
  // `org_id`.
  virtual Result<std::int64_t> CountLiveKeys(
      const std::optional<std::string>& owner_user_id, const std::string& org_id,
      UnixSeconds now) = 0;

  // --- change feed
  virtual Result<ChangeSet> ChangesSince(std::int64_t change_seq) = 0;
  // The same rows from the same single snapshot, handed to `sink` as they are read:
  // orgs, then users, then keys, each in seqno order. Returns max_seq (see ChangeSet).
  // A failed read may have delivered some rows already; they are all committed rows,
  // so applying them is harmless, and the caller retries from its old change_seq.
  virtual Result<std::int64_t> StreamChangesSince(std::int64_t change_seq,
                                                  const ChangeSink& sink) = 0;
  virtual Result<std::int64_t> CurrentChangeSeq() = 0;

  // --- usage
  // In one transaction: for "VALID" events, last_used_at/last_used_ip become those of
  // the latest event (never moving backwards); every event adds 1 to
  // key_usage_hourly(key_id, at / 3600 * 3600, code). Does not bump change_seq, so
  // usage never makes a server reload its index. Events with an empty key_id are
  // skipped; unknown key ids are counted but update nothing.
  virtual Status ApplyUsage(const std::vector<UsageEvent>& events) = 0;
  // Hours at or after the hour containing `since`, newest first.
  virtual Result<std::vector<HourlyUsage>> UsageForKey(const std::string& key_id,
                                                       UnixSeconds since) = 0;

  // --- quotas
  // In one transaction, writes each count's remaining_uses (and quota_refilled_at
  // when set) to its key if the row still has that quota_epoch and a quota; a count
  // from an older epoch (an admin has since set the quota) is silently dropped.
  // Does not bump change_seq: live counters must not make a server reload its index.
  virtual Status SaveQuotas(const std::vector<QuotaCount>& counts) = 0;

  // --- audit
  // Appends `events` in one transaction (committed before returning). When `ids`
  // is given it receives the new rows' ids, in order.
  virtual Status InsertAuditEvents(const std::vector<AuditRecord>& events,
                                   std::vector<std::int64_t>* ids = nullptr) = 0;
  // Replaces the details of existing events (id, details_json), in one transaction:
  // how a coalesced denial's count grows after its row was written.
  virtual Status UpdateAuditDetails(
      const std::vector<std::pair<std::int64_t, std::string>>& updates) = 0;
  // Deletes events older than `before`, at most `max_rows` of them; returns how many.
  virtual Result<std::int64_t> PruneAuditEvents(UnixSeconds before,
                                                std::int64_t max_rows) = 0;
  // A page of events, newest first; next_after is the `before_id` of the next page.
  virtual Result<Page<AuditRecord>> ListAuditEvents(const AuditFilter& filter) = 0;

  // --- web console: passwords and sessions (session_store.cc)
  // Sets (or, with nullopt, clears) a live user's Argon2id password string and, in
  // the same transaction, ends every session of that user: a reset password signs
  // out every browser that knew the old one. kNotFound for a missing user.
  virtual Status SetPasswordHash(const std::string& user_id,
                                 const std::optional<std::string>& hash) = 0;
  // The stored password string of a live user; nullopt when none is set.
  virtual Result<std::optional<std::string>> GetPasswordHash(
      const std::string& user_id) = 0;
  virtual Status InsertSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> GetSession(const std::string& id) = 0;
  virtual Status TouchSession(const std::string& id, UnixSeconds now) = 0;
  virtual Status DeleteSession(const std::string& id) = 0;
  // Deletes sessions idle since before `idle_before` or created before
  // `created_before`; returns how many.
  virtual Result<std::int64_t> PruneSessions(UnixSeconds idle_before,
                                             UnixSeconds created_before) = 0;

  // A cheap SELECT 1, for /readyz.
  virtual Status Ping() = 0;

  // --- one database, many replicas (contract section 7)
  // Held around the first-start work (bootstrap) so that of replicas starting at
  // once on one database exactly one does it: on PostgreSQL a session advisory lock
  // on a connection of its own, released with the object; on SQLite nothing (the
  // data-dir lock already admits one server per file).
  virtual Result<std::unique_ptr<StoreLock>> LockFirstStart() = 0;
  // `check` is derived from the pepper (never the pepper itself). A shared database
  // without one records it; one holding another value answers kValidation naming
  // the field pepper_file. SQLite keeps nothing (its pepper sits beside the file,
  // in the same data dir) and always answers OK.
  virtual Status CheckPepper(std::span<const std::uint8_t> check) = 0;

 protected:
  Store() = default;
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_STORE_H_
