// Store: write-back of live quota counters.
#include "query_util.h"
#include "sql_store.h"

namespace keyward::store {

Status SqlStore::SaveQuotas(const std::vector<QuotaCount>& counts) {
  if (counts.empty()) return OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  return internal::InWriteTransaction(*db_, [&]() -> Status {
    for (const QuotaCount& count : counts) {
      // No change_seq on purpose (see the header); the epoch guard drops a count
      // taken before an admin reset the quota.
      Result<StatementRef> update = db_->Cached(
          "UPDATE keys SET remaining_uses = ?2, "
          "quota_refilled_at = COALESCE(?3, quota_refilled_at) "
          "WHERE id = ?1 AND quota_epoch = ?4 AND remaining_uses IS NOT NULL");
      RETURN_IF_ERROR(update);
      (*update)
          ->Bind(1, count.key_id)
          .Bind(2, count.remaining)
          .Bind(3, count.refilled_at)
          .Bind(4, count.quota_epoch);
      Status status = (*update)->Run();
      if (!status.ok()) return status;
    }
    return OkStatus();
  });
}

}  // namespace keyward::store
