// Store: many keys in one transaction (seeding large stores for benchmarks and
// load tests). Kept apart from key_store.cc so the one-key paths stay as they are.
#include "keyward/store/store.h"
#include "query_util.h"
#include "row_codec.h"

namespace keyward::store {

Status Store::InsertKeys(const std::vector<KeyRecord>& keys) {
  std::lock_guard<std::mutex> lock(mu_);
  // One commit (one fsync) for the whole batch: per-key commits would cost ~0.25 ms
  // each here, minutes for a million keys.
  return internal::InWriteTransaction(db_, [&]() -> Status {
    for (const KeyRecord& key : keys) {
      Result<std::int64_t> seq = NextChangeSeqLocked();
      if (!seq.ok()) return seq.error();
      if (Status s = InsertKeyLocked(key, *seq); !s.ok()) return s;
    }
    return OkStatus();
  });
}

}  // namespace keyward::store
