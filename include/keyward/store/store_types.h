// Value types for Store queries: list filters, pages, the change feed and usage.
//
// Plain values: thread-compatible.
#ifndef KEYWARD_STORE_STORE_TYPES_H_
#define KEYWARD_STORE_STORE_TYPES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keyward/core/records.h"

namespace keyward::store {

// One page of a list, in ascending insertion order (seqno). `next_after` is the
// seqno of the last item when more rows match, to be passed back as `after_seqno`;
// rows inserted while a client pages always sort after every earlier row, so paging
// never yields duplicates or skips rows that existed when it started.
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::int64_t> next_after;
};

struct KeyFilter {
  std::optional<std::string> owner_user_id;
  std::optional<std::string> org_id;
  // "active" | "disabled" | "expired" | "revoked", evaluated at `now` in the order
  // the verifier checks them: revoked, then expired (expires_at <= now), then
  // disabled (enabled == false), else active. Anything else is kInvalidArgument.
  std::optional<std::string> status;
  std::optional<std::string> tag;  // keys whose tags contain this exact string
  UnixSeconds now = 0;
  std::int64_t after_seqno = 0;
  int limit = 50;  // must be >= 1 (kInvalidArgument otherwise); the caller caps it
};

// Deleted users are never listed.
struct UserFilter {
  std::optional<std::string> org_id;
  std::optional<Role> role;
  std::int64_t after_seqno = 0;
  int limit = 50;
};

// Deleted orgs are never listed.
struct OrgFilter {
  std::int64_t after_seqno = 0;
  int limit = 50;
};

// What deleting an organization with Store::DeleteOrgWithMembers did, ids sorted.
struct OrgDeletion {
  std::vector<std::string> revoked_key_ids;
  std::vector<std::string> deleted_user_ids;
};

// Every row whose change_seq is greater than the one asked for, deleted users and
// orgs included (deleted == true). `max_seq` is the store's change_seq at the moment
// of the read (>= that of every row returned): ask for ChangesSince(max_seq) next.
// ChangesSince(0) is a full load.
struct ChangeSet {
  std::vector<KeyRecord> keys;
  std::vector<UserRecord> users;
  std::vector<OrgRecord> orgs;
  std::int64_t max_seq = 0;
};

// Where Store::StreamChangesSince hands the rows of a ChangeSet, one at a time and by
// move, so a full load of 10^6 keys never holds them all twice (a vector, then the
// index's copies). Every member must be set.
struct ChangeSink {
  // Called once before the first key with an upper bound of the keys to come (0 when
  // unknown): the index reserves its buckets instead of rehashing while it grows.
  std::function<void(std::size_t)> expect_keys;
  std::function<void(OrgRecord&&)> org;
  std::function<void(UserRecord&&)> user;
  // Each key in its own allocation, decoded in place (never null, never shared):
  // the index keeps it as it is, where decoding into a temporary and moving every
  // member into the index's record cost a move and a destructor per key.
  std::function<void(std::shared_ptr<KeyRecord>)> key;
};

// One verification outcome, as the usage writer queues it.
struct UsageEvent {
  std::string key_id;
  UnixSeconds at = 0;
  std::string ip;
  std::string code;  // outcome code, e.g. "VALID", "RATE_LIMITED"
  // How many verifications this stands for: a batch kept for a retry is folded, so a
  // long store outage costs memory per key and hour, not per request.
  std::int64_t count = 1;
};

// A key's live remaining_uses, to be written back without a change_seq.
struct QuotaCount {
  std::string key_id;
  std::int64_t quota_epoch = 0;  // written only if the row still has this epoch
  std::int64_t remaining = 0;
  std::optional<UnixSeconds> refilled_at;  // kept as stored when unset
};

// Verification counts for one key in one hour, by outcome code.
struct HourlyUsage {
  UnixSeconds hour = 0;  // start of the hour, a multiple of 3600
  std::map<std::string, std::int64_t> counts;
};

// One stored audit event (GET /v1/audit). `details_json` is a JSON object that
// never holds key material. The *_org_id and target_owner_user_id columns exist so
// visibility is a plain filter.
struct AuditRecord {
  std::int64_t id = 0;  // assigned by InsertAuditEvents
  UnixSeconds at = 0;
  std::optional<std::string> actor_user_id, actor_key_id, actor_org_id;
  std::string action, target_type, target_id, ip, outcome;
  std::optional<std::string> target_org_id, target_owner_user_id;
  std::string details_json = "{}";
};

// Newest first (descending id). `before_id` continues a page: rows appended while a
// client pages have larger ids and never shift it. Visibility: when `org_id` is set
// only events whose actor or target is in that org; when `user_id` is set only
// events the user performed or that target a key the user owns.
struct AuditFilter {
  std::optional<std::string> action, actor_user_id, target_id;
  std::optional<UnixSeconds> since, until;  // inclusive bounds on `at`
  std::optional<std::int64_t> before_id;
  std::optional<std::string> org_id, user_id;
  int limit = 50;
};

}  // namespace keyward::store

#endif  // KEYWARD_STORE_STORE_TYPES_H_
