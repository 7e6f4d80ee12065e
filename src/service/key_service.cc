#include "keyward/service/key_service.h"

#include <sodium.h>

#include <algorithm>

#include "keyward/core/scope.h"
#include "keyward/service/authz.h"
#include "keyward/service/key_schema.h"
#include "keyward/service/visibility.h"

namespace keyward::service {
namespace {

constexpr int kMintAttempts = 8;
constexpr std::int64_t kUsageHistorySeconds = 30 * 86400;

// The same answer whether the key does not exist or is hidden from the caller, so
// ids cannot be probed by comparing messages.
Error NoSuchKey() { return Error::NotFound("no such key"); }

Error NotYours(std::string what) {
  return Error{ErrorKind::kPermissionDenied, std::move(what), {}};
}

// Quota bookkeeping once `fields` have been applied to `key`: a refill needs a count
// to refill (it starts full), and setting the quota in any way starts a new epoch
// whose count is counted from `now`.
void StartQuotaEpoch(KeyRecord& key, UnixSeconds now) {
  if (key.refill && !key.remaining_uses) key.remaining_uses = key.refill->amount;
  ++key.quota_epoch;
  key.quota_refilled_at = now;
}

void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace

void KeyService::Audit(const Actor& actor, const char* action, const KeyRecord& key,
                       std::map<std::string, std::string> details) {
  if (!audit_) return;
  AuditEvent e = WriteEvent(actor, app_.clock().Now(), action, "key", key.id, key.org_id);
  e.target_owner_user_id = key.owner_user_id;
  // The display prefix identifies the key in a UI; it is not a secret.
  e.details["prefix"] = key.display_prefix;
  e.details.merge(details);
  audit_->Record(e);
}

std::string AssignNewSecret(App& app, KeyRecord& key) {
  auto generated = app.format().Generate(app.random());
  key.display_prefix = generated.display_prefix;
  key.hash = app.hasher().Hash(generated.key);
  return std::move(generated.key);
}

bool KeyService::CanSee(const Actor& actor, const KeyRecord& key) const {
  return CanSeeKey(actor, key);
}

Result<CreatedKey> KeyService::Mint(KeyRecord key, const WriteStep& write) {
  for (int attempt = 0; attempt < kMintAttempts; ++attempt) {
    std::string secret = AssignNewSecret(app_, key);
    if (app_.index().Contains(key.display_prefix)) {
      Wipe(secret);
      continue;  // display prefixes are unique; a collision just means "draw again"
    }
    Status s = write(key);
    if (!s.ok()) {
      Wipe(secret);
      // Only a display-prefix collision means "draw again"; any other conflict (the
      // key was revoked by another process meanwhile) is the caller's answer.
      if (s.error().Is(ErrorCause::kDuplicateDisplayPrefix)) continue;
      return s.error();
    }
    app_.Publish(key);
    return CreatedKey{std::move(key), std::move(secret)};
  }
  return Error::Internal("no free display prefix after several attempts");
}

Result<CreatedKey> KeyService::Create(const Actor& actor, const KeyFields& f) {
  const UnixSeconds now = app_.clock().Now();
  const auto& dir = app_.directory();
  KeyRecord key;
  key.kind = f.kind.value_or(KeyKind::kUser);
  std::shared_ptr<const UserRecord> bound;  // whose permissions bound the scopes
  if (key.kind == KeyKind::kUser) {
    auto owner = KeyOwner(actor, f);
    RETURN_IF_ERROR(owner);
    key.owner_user_id = (*owner)->id;
    key.org_id = (*owner)->org_id;
    bound = *owner;
    if (f.org_id && *f.org_id != key.org_id) {
      return Error::Validation("org_id",
                               "a user key belongs to its owner's organization");
    }
  } else {
    if (!actor.user || actor.user->role == Role::kMember) {
      return Error{ErrorKind::kPermissionDenied,
                   "organization keys need the org_admin or platform_admin role",
                   {}};
    }
    if (f.owner_user_id && *f.owner_user_id) {
      return Error::Validation("owner_user_id", "organization keys have no owner");
    }
    key.org_id = actor.user->org_id;
    if (f.org_id && *f.org_id != key.org_id) {
      // Only a platform admin may mint an organization key for another org.
      if (!actor.IsPlatformAdmin()) {
        return Error::Validation("org_id", "no such organization");
      }
      key.org_id = *f.org_id;
    }
    bound = actor.user;
  }
  auto org = dir.FindOrg(key.org_id);
  if (!org || org->deleted) return Error::Validation("org_id", "no such organization");
  if (!org->enabled || !org->api_keys_enabled) {
    return Error::Validation("org_id", "API keys are disabled for this organization");
  }
  key.tier = app_.config().default_tier;
  ApplyKeyFields(f, key);
  if (SetsQuota(f)) StartQuotaEpoch(key, now);
  RETURN_IF_ERROR(
      CheckKeyGrant(actor, key, key.kind == KeyKind::kUser ? bound.get() : nullptr));
  RETURN_IF_ERROR(CheckQuotaChange(actor, nullptr, std::nullopt, key, tiers()));
  RETURN_IF_ERROR(CheckBoundByCallingKey(
      actor, nullptr, key,
      actor.key ? app_.policies().LiveRemaining(*actor.key) : std::nullopt, tiers()));
  key.id = core::RandomId(app_.random(), "key_");
  key.created_at = key.updated_at = now;
  key.created_by = actor.user ? actor.user->id : bound->id;
  std::lock_guard lock(app_.write_mutex());
  RETURN_IF_ERROR(CheckKeyLimit(actor, key, now));
  auto created =
      Mint(std::move(key), [&](const KeyRecord& k) { return app_.store().InsertKey(k); });
  if (created.ok()) Audit(actor, "key.create", created->record, {});
  return created;
}

Result<std::shared_ptr<const UserRecord>> KeyService::KeyOwner(const Actor& actor,
                                                               const KeyFields& f) {
  const UserRecord* self = actor.Self();
  std::string owner_id;
  if (f.owner_user_id && *f.owner_user_id) {
    owner_id = **f.owner_user_id;
  } else if (f.owner_user_id || !self) {
    // An organization key acts for nobody: defaulting to its creator would mint
    // keys for a user who did not ask for them.
    return Error::Validation("owner_user_id", actor.user && !f.owner_user_id
                                                  ? "is required when calling with an "
                                                    "organization key"
                                                  : "a user key needs an owner");
  } else {
    owner_id = self->id;
  }
  auto owner = app_.directory().FindUser(owner_id);
  if (!owner || owner->deleted || !CanSeeUser(actor, *owner)) {
    return Error::Validation("owner_user_id", "no such user");
  }
  if (!(self && self->id == owner->id) && !CanManageUser(actor, *owner)) {
    return NotYours("you may not create keys for this user");
  }
  if (!owner->enabled || !owner->api_keys_enabled) {
    return Error::Validation("owner_user_id", "API keys are disabled for this user");
  }
  return owner;
}

Result<KeyRecord> KeyService::Get(const Actor& actor, const std::string& id) {
  auto key = app_.store().GetKey(id);
  if (!key.ok()) {
    return key.error().kind == ErrorKind::kNotFound ? NoSuchKey() : key.error();
  }
  if (!CanSee(actor, *key)) {
    if (audit_) {
      audit_->Record(DeniedEvent(actor, app_.clock().Now(), "key", id, "not_visible"));
    }
    return NoSuchKey();
  }
  return key;
}

Result<KeyRecord> KeyService::GetForWrite(const Actor& actor, const std::string& id,
                                          KeyIntent intent) {
  auto key = Get(actor, id);
  if (!key.ok()) return key;
  if (!CanManageKey(actor, *key, Owner(*key).get(), intent)) {
    return NotYours(key->kind == KeyKind::kOrg
                        ? "this organization key holds scopes beyond your permissions"
                        : "this key belongs to a user you may not manage");
  }
  return key;
}

std::shared_ptr<const UserRecord> KeyService::Owner(const KeyRecord& key) const {
  if (!key.owner_user_id) return nullptr;
  return app_.directory().FindUser(*key.owner_user_id);
}

const core::Tiers& KeyService::tiers() const { return app_.policies().table().tiers(); }

Result<store::Page<KeyRecord>> KeyService::List(const Actor& actor,
                                                const KeyListQuery& q) {
  store::KeyFilter filter;
  filter.owner_user_id = q.owner_user_id;
  filter.org_id = q.org_id;
  filter.status = q.status;
  filter.tag = q.tag;
  filter.now = app_.clock().Now();
  filter.after_seqno = q.after;
  filter.limit = q.limit;
  if (!actor.IsPlatformAdmin()) {
    // Narrow the query to what the role may see; asking for more yields nothing.
    const UserRecord& me = *actor.user;
    if (me.role == Role::kOrgAdmin) {
      if (q.org_id && *q.org_id != me.org_id) return store::Page<KeyRecord>{};
      filter.org_id = me.org_id;
    } else {
      if (q.owner_user_id && *q.owner_user_id != me.id) return store::Page<KeyRecord>{};
      filter.owner_user_id = me.id;
    }
  }
  return app_.store().ListKeys(filter);
}

Result<KeyRecord> KeyService::Update(const Actor& actor, const std::string& id,
                                     const KeyFields& f) {
  std::lock_guard lock(app_.write_mutex());  // read-modify-write must not interleave
  auto cur = GetForWrite(actor, id);
  RETURN_IF_ERROR(cur);
  if (cur->revoked_at)
    return Error::Conflict("key is revoked and cannot be changed", ErrorCause::kRevoked);
  if (cur->rotated_to) {
    // It lives on only for its grace period, sharing its successor's limits:
    // changing it (say, lifting its expiry) would undo the rotation.
    return Error::Conflict(
        "key was rotated to " + *cur->rotated_to + "; change that key instead",
        ErrorCause::kRotated);
  }
  KeyRecord next = *cur;
  ApplyKeyFields(f, next);
  next.updated_at = app_.clock().Now();
  const std::optional<std::int64_t> live = app_.policies().LiveRemaining(*cur);
  if (SetsAny(f, Changeable::kQuota)) {
    // A patch that names no quota control changes none, so there is nothing to
    // compare. Compare like with like: a count the patch leaves alone is the live
    // one on both sides (the calling key may be this key, spending a use on it).
    KeyRecord proposed = next;
    if (!f.remaining_uses && live) proposed.remaining_uses = live;
    RETURN_IF_ERROR(CheckQuotaChange(actor, &*cur, live, proposed, tiers()));
  }
  if (SetsQuota(f)) {
    // A patch of `refill` alone keeps the count where the live counter has it;
    // the stored one may be an older flush.
    if (!f.remaining_uses && cur->remaining_uses) {
      next.remaining_uses = live;
    }
    StartQuotaEpoch(next, next.updated_at);
  }
  // Giving an expired key a later expiry makes it live again: it counts from now,
  // or creating short-lived keys and reviving them would pass the limit.
  const auto expired = [&](const KeyRecord& k) {
    return k.expires_at && *k.expires_at <= next.updated_at;
  };
  if (expired(*cur) && !expired(next)) {
    RETURN_IF_ERROR(CheckKeyLimit(actor, next, next.updated_at));
  }
  // Any change, not only one to `scopes`: changing a key whose scopes the actor
  // could not grant (enabling it, lifting its IP lists) hands those scopes out again.
  RETURN_IF_ERROR(CheckKeyGrant(actor, next, Owner(next).get()));
  RETURN_IF_ERROR(CheckBoundByCallingKey(actor, &*cur, next, std::nullopt, tiers()));
  RETURN_IF_ERROR(app_.store().UpdateKey(next));
  app_.Publish(next);
  Audit(actor, "key.update", next, {{"fields", ChangedFields(f)}});
  return next;
}

Status KeyService::Revoke(const Actor& actor, const std::string& id) {
  std::lock_guard lock(app_.write_mutex());
  auto cur = GetForWrite(actor, id, KeyIntent::kRevoke);
  RETURN_IF_ERROR(cur);
  if (cur->revoked_at) return OkStatus();  // revoking twice is not an error
  auto revoked = app_.store().RevokeKey(id, app_.clock().Now());
  RETURN_IF_ERROR(revoked);
  app_.Publish(*revoked);
  Audit(actor, "key.revoke", *revoked, {});
  return OkStatus();
}

Result<CreatedKey> KeyService::Rotate(const Actor& actor, const std::string& id,
                                      const RotateOptions& options) {
  const std::int64_t grace_seconds = options.grace_seconds;
  if (grace_seconds < 0 || grace_seconds > 30LL * 86400) {
    return Error::Validation("grace_seconds", "must be between 0 and 2592000 (30 days)");
  }
  std::lock_guard lock(app_.write_mutex());
  auto cur = GetForWrite(actor, id);
  RETURN_IF_ERROR(cur);
  const UnixSeconds now = app_.clock().Now();
  if (cur->revoked_at)
    return Error::Conflict("key is revoked and cannot be rotated", ErrorCause::kRevoked);
  if (cur->rotated_to) {
    return Error::Conflict("key was already rotated to " + *cur->rotated_to,
                           ErrorCause::kRotated);
  }
  if (cur->expires_at && *cur->expires_at <= now) {
    return Error::Conflict("key has expired and cannot be rotated", ErrorCause::kExpired);
  }
  KeyRecord next = *cur;
  next.id = core::RandomId(app_.random(), "key_");
  next.created_at = next.updated_at = now;
  if (actor.user) next.created_by = actor.user->id;
  next.last_used_at.reset();
  next.last_used_ip.reset();
  next.rotated_to.reset();
  if (options.expires_at) next.expires_at = *options.expires_at;
  RETURN_IF_ERROR(CheckKeyGrant(actor, next, Owner(next).get()));
  // The new key continues the old one's quota where the live counter has it, and
  // during the grace period both draw on that one count (ShareCounters below), so
  // rotating never adds uses. The epoch carries over so that neither record resets
  // the shared count.
  next.remaining_uses = app_.policies().LiveRemaining(*cur);
  next.quota_refilled_at = now;
  // A rotation hands out a new secret: the successor is bounded by the calling key
  // as a new key is, not by the key it replaces (attack review 2: a key expiring
  // tomorrow rotated itself into a ten-year key, and rotated an unrestricted
  // sibling to take its new secret).
  RETURN_IF_ERROR(CheckBoundByCallingKey(
      actor, nullptr, next,
      actor.key ? app_.policies().LiveRemaining(*actor.key) : std::nullopt, tiers()));
  KeyRecord old = *cur;
  const UnixSeconds grace_end = now + grace_seconds;
  old.expires_at = old.expires_at ? std::min(*old.expires_at, grace_end) : grace_end;
  old.rotated_to = next.id;
  old.updated_at = now;
  // Without a grace period the old key ends now and the count stays; with one, both
  // are live until it ends, and chained rotations could otherwise add keys freely.
  if (grace_seconds > 0) RETURN_IF_ERROR(CheckKeyLimit(actor, next, now));
  auto created = Mint(std::move(next),
                      [&](const KeyRecord& k) { return app_.store().RotateKey(old, k); });
  if (created.ok()) {
    app_.Publish(old);
    app_.policies().table().ShareCounters(
        app_.index().Find(old.display_prefix),
        app_.index().Find(created->record.display_prefix));
    Audit(actor, "key.rotate", old,
          {{"new_key_id", created->record.id},
           {"new_prefix", created->record.display_prefix},
           {"grace_seconds", std::to_string(grace_seconds)}});
  }
  return created;
}

Status KeyService::CheckKeyLimit(const Actor& actor, const KeyRecord& key,
                                 UnixSeconds now) {
  if (actor.local_cli) return OkStatus();
  const int most = app_.config().max_keys_per_owner;
  const bool user_key = key.kind == KeyKind::kUser;
  Result<std::int64_t> live = app_.store().CountLiveKeys(
      user_key ? key.owner_user_id : std::nullopt, key.org_id, now);
  RETURN_IF_ERROR(live);
  if (*live < most) return OkStatus();
  return Error::Conflict(std::string(user_key ? "the owner" : "the organization") +
                             " already has " + std::to_string(*live) +
                             " live keys, the most limits.max_keys_per_owner allows (" +
                             std::to_string(most) + "); revoke one first",
                         ErrorCause::kKeyLimit);
}

Result<std::vector<store::HourlyUsage>> KeyService::Usage(const Actor& actor,
                                                          const std::string& id) {
  auto cur = Get(actor, id);
  RETURN_IF_ERROR(cur);
  return app_.store().UsageForKey(id, app_.clock().Now() - kUsageHistorySeconds);
}

}  // namespace keyward::service
