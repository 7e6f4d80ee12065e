#include "keyward/service/authz.h"

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
  if (actor.IsAdmin() || QuotaNotLoosened(before, live_remaining, after, tiers)) {
    return OkStatus();
  }
  return Error{ErrorKind::kPermissionDenied,
               "only an org admin or platform admin may loosen a key's tier, "
               "rate_limit, remaining_uses or refill",
               {}};
}

}  // namespace keyward::service
