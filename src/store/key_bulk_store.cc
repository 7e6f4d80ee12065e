// Store: many keys in one transaction (seeding large stores for benchmarks and
// load tests). Kept apart from key_store.cc so the one-key paths stay as they are.
#include "query_util.h"
#include "row_codec.h"
#include "sql_store.h"

namespace keyward::store {

Status SqlStore::InsertKeys(const std::vector<KeyRecord>& keys) {
  std::lock_guard<std::mutex> lock(mu_);
  // One commit (one fsync) for the whole batch: per-key commits would cost ~0.25 ms
  // each here, minutes for a million keys.
  return internal::InWriteTransaction(*db_, [&]() -> Status {
    for (const KeyRecord& key : keys) {
      Result<std::int64_t> seq = NextChangeSeqLocked();
      RETURN_IF_ERROR(seq);
      RETURN_IF_ERROR(InsertKeyLocked(key, *seq));
    }
    return OkStatus();
  });
}

}  // namespace keyward::store
