// AuditWriter: the AuditSink that keeps the audit trail in the store.
//
// Durability is split by what an event costs an attacker to cause:
// * write events (key.create, org.delete, ...) are inserted synchronously, in their
//   own committed transaction, before Record() returns, so before the admin call is
//   acknowledged. Only a crash between the change's commit and this insert (a few
//   microseconds, no I/O wait in between) can lose one.
// * auth.denied events go to a bounded queue that one background thread writes in
//   batches every `flush_every` and at Stop(). Identical denials within a minute
//   are one event with details.count (DenialCoalescer). When the queue is full an
//   event is dropped and counted (dropped(), and the metric
//   keyward_audit_events_dropped_total), so a flood of refused calls can never
//   become unbounded synchronous writes.
// * with a retention, the background thread deletes events older than it, hourly.
// Thread-safe.
#ifndef KEYWARD_USAGE_AUDIT_WRITER_H_
#define KEYWARD_USAGE_AUDIT_WRITER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "keyward/core/periodic_worker.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/audit.h"
#include "keyward/store/store.h"
#include "keyward/usage/denial_coalescer.h"

namespace keyward::usage {

// How long events are kept: `days` (<= 0: for ever), measured with `now`.
struct AuditRetention {
  int days = 0;
  std::function<UnixSeconds()> now;
};

class AuditWriter final : public service::AuditSink {
 public:
  static constexpr size_t kDefaultMaxQueued = 10000;
  // Different denials one IP may leave per minute before they fold into one.
  static constexpr size_t kMaxDistinctDenialsPerIp = 60;

  // `metrics` (optional) counts dropped events; both must outlive the writer.
  AuditWriter(store::Store& store, std::chrono::milliseconds flush_every,
              metrics::Metrics* metrics = nullptr, size_t max_queued = kDefaultMaxQueued,
              AuditRetention retention = {});
  ~AuditWriter() override;
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  void Start();
  // Writes everything queued and stops the thread. Idempotent.
  void Stop();
  // Writes everything queued (and grown counts) now, on the calling thread.
  Status Flush();
  // Deletes events past the retention, at most once an hour.
  void Prune();
  std::uint64_t dropped() const { return dropped_.load(); }

 protected:
  void Write(const service::AuditEvent& event) override;

 private:
  // After the store refused a whole batch for its content: each row alone, so only
  // the rows it refuses are lost (and counted). Stops at the first kUnavailable.
  Status InsertOneByOne(const std::vector<store::AuditRecord>& batch,
                        std::vector<std::int64_t>* ids);
  store::Store& store_;
  metrics::Metrics* metrics_;
  const size_t max_queued_;
  const AuditRetention retention_;
  std::mutex mu_;                     // guards pending_, coalescer_, newest_at_
  std::vector<std::string> pending_;  // coalescer tokens of events not yet stored
  DenialCoalescer coalescer_;         // tracks up to 8 × max_queued windows
  UnixSeconds newest_at_ = 0;
  UnixSeconds last_prune_ = 0;  // only the worker thread prunes
  std::mutex flush_mu_;         // one flush at a time keeps batches in order
  std::atomic<std::uint64_t> dropped_{0};
  service::LogAuditSink log_;
  core::PeriodicWorker worker_;  // last: its thread stops before the rest goes
};

// The stored form of an event; details become a JSON object of strings.
store::AuditRecord ToAuditRecord(const service::AuditEvent& event);

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_AUDIT_WRITER_H_
