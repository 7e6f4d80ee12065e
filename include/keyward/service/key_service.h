// KeyService: create, read, list, update, revoke and rotate API keys on behalf of an
// Actor, enforcing ownership, visibility and permission bounds.
//
// Every write goes to SQLite first and, once committed, is published to the
// in-memory index under the App's write mutex, so the next verification sees it.
// Anything the actor may not see answers kNotFound (never kPermissionDenied), so ids
// cannot be probed; a visible key the actor may not manage is kPermissionDenied
// (rules in visibility.h). Thread-safe.
#ifndef KEYWARD_SERVICE_KEY_SERVICE_H_
#define KEYWARD_SERVICE_KEY_SERVICE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/service/actor.h"
#include "keyward/service/app.h"
#include "keyward/service/audit.h"
#include "keyward/service/key_fields.h"
#include "keyward/service/visibility.h"
#include "keyward/store/store.h"

namespace keyward::service {

struct CreatedKey {
  KeyRecord record;
  std::string secret;  // the full key string; shown once, never stored
};

struct RotateOptions {
  std::int64_t grace_seconds = 0;         // the old key stays valid this long
  std::optional<UnixSeconds> expires_at;  // of the new key; default: the old one's
};

struct KeyListQuery {
  std::optional<std::string> owner_user_id, org_id, status, tag;
  std::int64_t after = 0;
  int limit = 50;
};

class KeyService {
 public:
  // `audit`, when given, receives an auth.denied event for every key an actor asked
  // for but may not see, and a key.* event for every write; it must outlive the
  // service.
  explicit KeyService(App& app, AuditSink* audit = nullptr) : app_(app), audit_(audit) {}

  Result<CreatedKey> Create(const Actor& actor, const KeyFields& fields);
  Result<KeyRecord> Get(const Actor& actor, const std::string& id);
  Result<store::Page<KeyRecord>> List(const Actor& actor, const KeyListQuery& query);
  Result<KeyRecord> Update(const Actor& actor, const std::string& id,
                           const KeyFields& fields);
  Status Revoke(const Actor& actor, const std::string& id);
  Result<CreatedKey> Rotate(const Actor& actor, const std::string& id,
                            const RotateOptions& options);
  Result<std::vector<store::HourlyUsage>> Usage(const Actor& actor,
                                                const std::string& id);

  bool CanSee(const Actor& actor, const KeyRecord& key) const;

 private:
  using WriteStep = std::function<Status(const KeyRecord&)>;
  // Generates a fresh secret for `key` (display prefix unique in the index and the
  // store), commits it with `write`, and publishes it; a display-prefix conflict
  // draws again. `key` must have every other field set. Needs write_mutex() held.
  Result<CreatedKey> Mint(KeyRecord key, const WriteStep& write);
  // kConflict (kKeyLimit) when the owner of `key` (its organization, for an
  // organization key) already holds limits.max_keys_per_owner live keys. Needs
  // write_mutex() held, so two creates on this replica cannot both pass at the cap.
  // The local CLI (the operator, holding the data dir) is not held to it, as
  // `keys seed` is not: the limit is against a leaked keys:write key.
  Status CheckKeyLimit(const Actor& actor, const KeyRecord& key, UnixSeconds now);
  // Get() for a write: also kPermissionDenied when the key is visible but not the
  // actor's to manage (an org admin and a platform admin's key, or an org key wider
  // than the org admin).
  Result<KeyRecord> GetForWrite(const Actor& actor, const std::string& id,
                                KeyIntent intent = KeyIntent::kChange);
  // The current record of a user key's owner; null for org keys or a gone owner.
  std::shared_ptr<const UserRecord> Owner(const KeyRecord& key) const;
  const core::Tiers& tiers() const;
  // The owner of a new user key: the one named, else the calling user (an org key
  // must name one). kValidation when it does not exist for the actor or has API
  // keys off; kPermissionDenied when visible but not the actor's to manage.
  Result<std::shared_ptr<const UserRecord>> KeyOwner(const Actor& actor,
                                                     const KeyFields& fields);

  // Records a successful write on `key` (with its display prefix, never more).
  void Audit(const Actor& actor, const char* action, const KeyRecord& key,
             std::map<std::string, std::string> details);

  App& app_;
  AuditSink* audit_;
};

// Fills key.display_prefix and key.hash from a newly generated secret and returns
// the secret. Shared by KeyService and first-start bootstrap.
std::string AssignNewSecret(App& app, KeyRecord& key);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_KEY_SERVICE_H_
