#include "keyward/service/authz.h"

#include <algorithm>

#include "keyward/core/cidr.h"
#include "keyward/core/scope.h"

namespace keyward::service {
namespace {

// The first element of `grants` that `bound` does not cover, or npos.
size_t FirstUncovered(const std::vector<std::string>& bound,
                      const std::vector<std::string>& grants) {
  for (size_t i = 0; i < grants.size(); ++i) {
    if (!core::ScopesCover(bound, {grants[i]})) return i;
  }
  return std::string::npos;
}

Error Uncovered(std::string_view field, size_t i, const std::string& grant,
                const std::string& whose) {
  return Error::Validation(std::string(field) + "[" + std::to_string(i) + "]",
                           "'" + grant + "' exceeds " + whose);
}

// a.limit/a.window <= b.limit/b.window, and no larger burst.
bool RateNoLooser(const RateLimit& a, const RateLimit& b) {
  return a.limit <= b.limit &&
         a.limit * b.window_seconds <=
             b.limit * a.window_seconds;  // both below 2^31 (config), so no overflow
}

// Uses a refill hands out per day, roughly: a monthly refill counts as 1/28 of its
// amount per day (the shortest month, so a monthly refill never looks tighter
// than it is).
bool RefillNoLooser(const std::optional<QuotaRefill>& a,
                    const std::optional<QuotaRefill>& b) {
  if (!a) return true;
  if (!b) return false;
  auto per_28_days = [](const QuotaRefill& r) {
    return r.interval == RefillInterval::kDaily ? r.amount * 28 : r.amount;
  };
  return a->amount <= b->amount && per_28_days(*a) <= per_28_days(*b);
}

// `a` lies within `b`.
bool Within(const std::string& a_text, const std::string& b_text) {
  const auto a = core::Cidr::Parse(a_text);
  const auto b = core::Cidr::Parse(b_text);
  return a && b && a->base.v4 == b->base.v4 && a->prefix_len >= b->prefix_len &&
         b->Contains(a->base);
}

// Every range of `inner` lies within one of `ranges`.
bool AllWithin(const std::vector<std::string>& inner,
               const std::vector<std::string>& ranges) {
  for (const std::string& i : inner) {
    if (std::none_of(ranges.begin(), ranges.end(),
                     [&](const std::string& r) { return Within(i, r); })) {
      return false;
    }
  }
  return true;
}

// `after`'s IP lists and expiry are no looser than `bound`'s.
bool RestrictedAsTightly(const KeyRecord& after, const KeyRecord& bound) {
  if (bound.expires_at && (!after.expires_at || *after.expires_at > *bound.expires_at)) {
    return false;
  }
  // An empty allow-list allows everywhere; every range the bound denies must be
  // denied (within one of after's deny ranges).
  const bool allow_ok =
      bound.ip_allow.empty() ||
      (!after.ip_allow.empty() && AllWithin(after.ip_allow, bound.ip_allow));
  return allow_ok && AllWithin(bound.ip_deny, after.ip_deny);
}

bool HumanAdmin(const Actor& actor) {
  const UserRecord* self = actor.Self();
  return actor.local_cli || (self && self->role != Role::kMember);
}

}  // namespace

Status CheckGrantable(const Actor& actor, const std::vector<std::string>& grants,
                      std::string_view field) {
  if (actor.local_cli) return OkStatus();
  if (!actor.user) return Error{ErrorKind::kPermissionDenied, "no acting user", {}};
  if (size_t i = FirstUncovered(actor.user->permissions, grants);
      i != std::string::npos) {
    return Uncovered(field, i, grants[i], "your own permissions");
  }
  // A call without a key (none today) would be bounded by the user alone; a call
  // with a key is bounded by what that key may do right now.
  if (actor.key_scopes) {
    if (size_t i = FirstUncovered(*actor.key_scopes, grants); i != std::string::npos) {
      return Uncovered(field, i, grants[i], "the scopes of the key making this call");
    }
  }
  return OkStatus();
}

Status CheckKeyGrant(const Actor& actor, const KeyRecord& key, const UserRecord* owner) {
  if (owner) {
    if (size_t i = FirstUncovered(owner->permissions, key.scopes);
        i != std::string::npos) {
      return Uncovered("scopes", i, key.scopes[i],
                       "the permissions of user " + owner->username);
    }
  }
  return CheckGrantable(actor, key.scopes, "scopes");
}

bool QuotaNotLoosened(const KeyRecord* before, std::optional<std::int64_t> live_remaining,
                      const KeyRecord& after, const core::Tiers& tiers) {
  KeyRecord defaults;
  defaults.tier = tiers.default_tier;
  const KeyRecord& b = before ? *before : defaults;
  if (!RateNoLooser(tiers.Resolve(after), tiers.Resolve(b))) return false;
  // The tier too, even while a per-key rate_limit shadows it: it is what applies
  // once that limit is lifted.
  auto tier_only = [&](const KeyRecord& k) {
    KeyRecord t;
    t.tier = k.tier;
    return tiers.Resolve(t);
  };
  if (!RateNoLooser(tier_only(after), tier_only(b))) return false;
  if (!b.remaining_uses) return true;  // no use limit before: any limit is tighter
  if (!after.remaining_uses) return false;
  const std::int64_t had = live_remaining.value_or(*b.remaining_uses);
  return *after.remaining_uses <= had && RefillNoLooser(after.refill, b.refill);
}

Status CheckQuotaChange(const Actor& actor, const KeyRecord* before,
                        std::optional<std::int64_t> live_remaining,
                        const KeyRecord& after, const core::Tiers& tiers) {
  // A human admin (or the local operator): an organization key acts as an org
  // admin, but a leaked CI key must not lift its own limits.
  if (HumanAdmin(actor) || QuotaNotLoosened(before, live_remaining, after, tiers)) {
    return OkStatus();
  }
  return Error{ErrorKind::kPermissionDenied,
               "only an org admin or platform admin may loosen a key's tier, "
               "rate_limit, remaining_uses or refill",
               {}};
}

Status CheckCredentialGrant(const Actor& actor) {
  if (!actor.key) return OkStatus();
  const KeyRecord& k = *actor.key;
  if (k.ip_allow.empty() && k.ip_deny.empty() && !k.expires_at && !k.remaining_uses) {
    return OkStatus();
  }
  return Error{ErrorKind::kPermissionDenied,
               "a key with ip_allow, ip_deny, an expiry or remaining_uses cannot set a "
               "password: a console session would carry none of them",
               {}};
}

Status CheckBoundByCallingKey(const Actor& actor, const KeyRecord* before,
                              const KeyRecord& after,
                              std::optional<std::int64_t> caller_remaining,
                              const core::Tiers& tiers) {
  // Whoever holds the key, admins included, for IP lists and expiry: an admin
  // loosens those through the console or a key without them (attack review 2: an
  // org admin's restricted key lifted its own limits).
  if (!actor.key) return OkStatus();
  const KeyRecord& caller = *actor.key;
  if (!RestrictedAsTightly(after, caller) &&
      !(before && RestrictedAsTightly(after, *before))) {
    return Error{ErrorKind::kPermissionDenied,
                 "a key cannot give a key wider ip_allow, narrower ip_deny or a later "
                 "expiry than its own; ask an org admin",
                 {}};
  }
  // Quota controls are the exception: the contract lets a human admin loosen them
  // with any key (section 4), so the bound holds for a member's or an org key.
  if (!before && !HumanAdmin(actor) &&
      !QuotaNotLoosened(&caller, caller_remaining, after, tiers)) {
    return Error{ErrorKind::kPermissionDenied,
                 "a key cannot create a key with a looser tier, rate_limit, "
                 "remaining_uses or refill than its own; ask an org admin",
                 {}};
  }
  return OkStatus();
}

}  // namespace keyward::service
