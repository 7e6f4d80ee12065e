// UsageWriter: takes what happens after a verification (last-used time and IP,
// per-hour outcome counts) off the request path.
//
// Record() only appends to a buffer of the calling thread (each thread that records
// gets its own, guarded by its own mutex that only the flush ever contends for), so
// request threads never wait on each other. A verification of a key the buffer
// already holds for the same hour and outcome is folded into that entry, as the
// store would fold it: a busy key costs a counter increment per request, not an
// entry to copy, sort into the flush's maps and free. One background thread writes every
// buffer to the store in a single transaction every `flush_every`, when a buffer
// grows large, and at Stop(). What a crash can lose is at most one flush interval
// of usage data, never an admin write. Thread-safe.
#ifndef KEYWARD_USAGE_USAGE_WRITER_H_
#define KEYWARD_USAGE_USAGE_WRITER_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "keyward/core/periodic_worker.h"
#include "keyward/store/store.h"

namespace keyward::usage {

class UsageWriter {
 public:
  UsageWriter(store::Store& store, std::chrono::milliseconds flush_every);
  ~UsageWriter();
  UsageWriter(const UsageWriter&) = delete;
  UsageWriter& operator=(const UsageWriter&) = delete;

  // `count` verifications of `key_id` at `at` from `ip`, with outcome `code`.
  void Record(std::string_view key_id, UnixSeconds at, std::string_view ip,
              std::string_view code, std::int64_t count = 1);
  void Record(const store::UsageEvent& e) {
    Record(e.key_id, e.at, e.ip, e.code, e.count);
  }
  void Start();
  // Writes everything pending and stops the thread. Idempotent.
  void Stop();
  // Writes everything pending now, on the calling thread.
  Status Flush();
  // How many entries the recording threads' buffers hold (after folding).
  std::size_t PendingEntries();

 private:
  // One recording thread's pending events.
  static constexpr std::size_t kFoldSlots = 64;
  struct Shard {
    std::mutex mu;
    std::vector<store::UsageEvent> pending;  // guarded by mu
    // Where in `pending` an entry of a key and outcome may be, by their hash
    // (index + 1; 0: none). Direct-mapped and never cleared: an entry is folded
    // into only after it is checked to match, and a collision costs one more entry,
    // which the store folds. Guarded by mu.
    std::array<std::uint32_t, kFoldSlots> slots{};
  };
  Shard& ThreadShard();

  store::Store& store_;
  const std::uint64_t id_;  // tells this writer's shards from an earlier one's
  std::mutex shards_mu_;    // guards shards_ (taken once per thread, and by Flush)
  std::vector<std::unique_ptr<Shard>> shards_;
  std::mutex retry_mu_;                   // guards retry_ and spare_
  std::vector<store::UsageEvent> retry_;  // a failed batch, written first next time
  // The last written batch, emptied but with its capacity: handed to the shard a
  // flush empties, so a recording thread does not regrow its buffer (reallocating,
  // moving every event and faulting in fresh pages) after every flush.
  std::vector<store::UsageEvent> spare_;
  std::mutex flush_mu_;          // one flush at a time keeps batches in order
  core::PeriodicWorker worker_;  // last: its thread stops before the rest goes
};

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_USAGE_WRITER_H_
