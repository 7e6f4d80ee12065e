// QuotaFlusher: writes live remaining_uses counts back to the store in batches.
//
// Verifications take uses from in-memory counters (core::KeyRuntimeTable); this
// thread persists the counts that changed every `flush_every` and once more at
// Stop(), so a clean restart loses nothing. A crash loses at most the uses taken in
// the last interval: after it, those keys allow that many extra uses (never fewer).
// Writes go through Store::SaveQuotas, which bumps no change_seq, so the server's
// change poller never reloads (and never resets) a counter because of them.
// Thread-safe.
#ifndef KEYWARD_USAGE_QUOTA_FLUSHER_H_
#define KEYWARD_USAGE_QUOTA_FLUSHER_H_

#include <chrono>
#include <mutex>

#include "keyward/core/key_runtime_table.h"
#include "keyward/core/periodic_worker.h"
#include "keyward/store/store.h"

namespace keyward::usage {

class QuotaFlusher {
 public:
  QuotaFlusher(store::Store& store, core::KeyRuntimeTable& table,
               std::chrono::milliseconds flush_every);
  ~QuotaFlusher();
  QuotaFlusher(const QuotaFlusher&) = delete;
  QuotaFlusher& operator=(const QuotaFlusher&) = delete;

  void Start();
  // Writes every changed count and stops the thread. Idempotent.
  void Stop();
  // Writes every changed count now, on the calling thread. A failed write is
  // retried by the next flush.
  Status Flush();

 private:
  store::Store& store_;
  core::KeyRuntimeTable& table_;
  std::mutex flush_mu_;          // one flush at a time
  core::PeriodicWorker worker_;  // last: its thread stops before the rest goes
};

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_QUOTA_FLUSHER_H_
