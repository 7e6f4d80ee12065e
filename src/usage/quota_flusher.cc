#include "keyward/usage/quota_flusher.h"

#include <spdlog/spdlog.h>

namespace keyward::usage {

QuotaFlusher::QuotaFlusher(store::Store& store, core::KeyRuntimeTable& table,
                           std::chrono::milliseconds flush_every)
    : store_(store), table_(table), worker_(flush_every, [this] {
        if (auto s = Flush(); !s.ok()) {
          spdlog::warn("quota flush failed: {}", s.error().message);
        }
      }) {}

QuotaFlusher::~QuotaFlusher() { Stop(); }

void QuotaFlusher::Start() { worker_.Start(); }

void QuotaFlusher::Stop() {
  worker_.Stop();
  if (auto s = Flush(); !s.ok()) {
    spdlog::error("quota flush at stop failed: {}", s.error().message);
  }
}

Status QuotaFlusher::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  const std::vector<core::QuotaChange> changes = table_.CollectQuotaChanges();
  if (changes.empty()) return OkStatus();
  std::vector<store::QuotaCount> counts;
  counts.reserve(changes.size());
  for (const core::QuotaChange& c : changes) {
    counts.push_back(
        store::QuotaCount{c.key_id, c.quota_epoch, c.remaining, c.refilled_at});
  }
  Status s = store_.SaveQuotas(counts);
  if (s.ok()) core::KeyRuntimeTable::MarkFlushed(changes);
  return s;
}

}  // namespace keyward::usage
