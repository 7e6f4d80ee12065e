// UsageWriter: takes what happens after a verification (last-used time and IP,
// per-hour outcome counts) off the request path.
//
// Record() only appends to a queue; one background thread writes the queue to the
// store in a single transaction every `flush_every`, when the queue grows large,
// and at Stop(). What a crash can lose is at most one flush interval of usage data,
// never an admin write. Thread-safe.
#ifndef KEYWARD_USAGE_USAGE_WRITER_H_
#define KEYWARD_USAGE_USAGE_WRITER_H_

#include <chrono>
#include <mutex>
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

  void Record(store::UsageEvent event);
  void Start();
  // Writes everything pending and stops the thread. Idempotent.
  void Stop();
  // Writes everything pending now, on the calling thread.
  Status Flush();

 private:
  store::Store& store_;
  std::mutex mu_;  // guards pending_
  std::vector<store::UsageEvent> pending_;
  std::mutex flush_mu_;          // one flush at a time keeps batches in order
  core::PeriodicWorker worker_;  // last: its thread stops before the rest goes
};

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_USAGE_WRITER_H_
