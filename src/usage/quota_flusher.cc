#include "keyward/usage/quota_flusher.h"

#include <spdlog/spdlog.h>

namespace keyward::usage {

QuotaFlusher::QuotaFlusher(store::Store& store, core::KeyRuntimeTable& table,
                           std::chrono::milliseconds flush_every)
    : store_(store), table_(table), flush_every_(flush_every) {}

QuotaFlusher::~QuotaFlusher() { Stop(); }

void QuotaFlusher::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void QuotaFlusher::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
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

void QuotaFlusher::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, flush_every_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (auto s = Flush(); !s.ok())
      spdlog::warn("quota flush failed: {}", s.error().message);
    lock.lock();
  }
}

}  // namespace keyward::usage
