#include "keyward/service/key_fields.h"

namespace keyward::service {

void ApplyKeyFields(const KeyFields& f, KeyRecord& key) {
  if (f.name) key.name = *f.name;
  if (f.description) key.description = *f.description;
  if (f.scopes) key.scopes = *f.scopes;
  if (f.read_only) key.read_only = *f.read_only;
  if (f.enabled) key.enabled = *f.enabled;
  if (f.expires_at) key.expires_at = *f.expires_at;
  if (f.ip_allow) key.ip_allow = *f.ip_allow;
  if (f.ip_deny) key.ip_deny = *f.ip_deny;
  if (f.rate_limit) key.rate_limit = *f.rate_limit;
  if (f.tier) key.tier = *f.tier;
  if (f.remaining_uses) key.remaining_uses = *f.remaining_uses;
  if (f.refill) key.refill = *f.refill;
  if (f.tags) key.tags = *f.tags;
  if (f.metadata_json) key.metadata_json = *f.metadata_json;
}

}  // namespace keyward::service
