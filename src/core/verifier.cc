#include "keyward/core/verifier.h"

#include <utility>

#include "keyward/core/scope.h"

namespace keyward::core {
namespace {

// Compared against when the display prefix is unknown, so a miss does the same
// hash-and-compare work as a hit. No key hashes to it short of a BLAKE2b preimage.
constexpr Digest kDummyDigest{};

const std::vector<std::string>& ReadOnlyScopes() {
  static const std::vector<std::string> kReadOnly = {"*:read"};
  return kReadOnly;
}

Outcome RunPolicies(const std::vector<const PolicyCheck*>& policies,
                    const VerifyInput& input, const KeyRecord& key, UnixSeconds now,
                    Decision& decision) {
  for (const PolicyCheck* policy : policies) {
    const Outcome outcome = policy->Check(input, key, now, decision);
    if (outcome != Outcome::kValid) return outcome;
  }
  return Outcome::kValid;
}

}  // namespace

Verifier::Verifier(const KeyFormat& format, const Hasher& hasher, const KeyIndex& index,
                   const PrincipalDirectory& directory, const Clock& clock,
                   VerifierPolicies policies)
    : format_(format),
      hasher_(hasher),
      index_(index),
      directory_(directory),
      clock_(clock),
      policies_(std::move(policies)) {}

bool Verifier::OrgActive(std::string_view org_id) const {
  const auto org = directory_.FindOrg(org_id);
  return org && !org->deleted && org->enabled && org->api_keys_enabled;
}

bool Verifier::OwnerActive(const KeyRecord& key, Decision& decision) const {
  if (key.kind == KeyKind::kOrg) return OrgActive(key.org_id);
  if (!key.owner_user_id) return false;
  auto user = directory_.FindUser(*key.owner_user_id);
  if (!user || user->deleted || !user->enabled || !user->api_keys_enabled) return false;
  // The user's organization must be active; should the key's recorded org ever
  // differ from it, that one must be active too (fail closed).
  if (!OrgActive(user->org_id)) return false;
  if (key.org_id != user->org_id && !OrgActive(key.org_id)) return false;
  decision.owner = std::move(user);
  return true;
}

Decision Verifier::Verify(const VerifyInput& input) const {
  Decision decision;
  const auto display_prefix = format_.DisplayPrefix(input.key);
  if (!display_prefix) {
    decision.outcome = Outcome::kMalformed;
    return decision;
  }

  auto record = index_.Find(*display_prefix);
  const Digest presented = hasher_.Hash(input.key);
  const bool hash_matches = DigestEquals(presented, record ? record->hash : kDummyDigest);
  if (!record || !hash_matches) {
    decision.outcome = Outcome::kNotFound;
    return decision;
  }
  const KeyRecord& key = *record;
  decision.key = std::move(record);

  const UnixSeconds now = clock_.Now();
  if (key.revoked_at) {
    decision.outcome = Outcome::kRevoked;
    return decision;
  }
  if (key.expires_at && *key.expires_at <= now) {
    decision.outcome = Outcome::kExpired;
    return decision;
  }
  if (!key.enabled) {
    decision.outcome = Outcome::kDisabled;
    return decision;
  }
  if (!OwnerActive(key, decision)) {
    decision.outcome = Outcome::kOwnerDisabled;
    return decision;
  }

  // Read at request time, so lowering a user's permissions narrows their keys at once.
  decision.effective_scopes =
      decision.owner ? IntersectScopes(key.scopes, decision.owner->permissions)
                     : key.scopes;
  if (key.read_only) {
    decision.effective_scopes =
        IntersectScopes(decision.effective_scopes, ReadOnlyScopes());
  }

  decision.outcome = RunPolicies(policies_.before_scope, input, key, now, decision);
  if (decision.outcome != Outcome::kValid) return decision;

  if (auto missing =
          FirstMissingScope(decision.effective_scopes, input.required_scopes)) {
    decision.outcome = Outcome::kInsufficientScope;
    decision.missing_scope = std::move(*missing);
    return decision;
  }

  decision.outcome = RunPolicies(policies_.after_scope, input, key, now, decision);
  return decision;
}

}  // namespace keyward::core
