// AuditWriter: the AuditSink that keeps the audit trail in the store.
//
// Durability is split by what an event costs an attacker to cause:
// * write events (key.create, org.delete, ...) are inserted synchronously, in their
//   own committed transaction, before Record() returns, so before the admin call is
//   acknowledged. Only a crash between the change's commit and this insert (a few
//   microseconds, no I/O wait in between) can lose one.
// * auth.denied events go to a bounded queue that one background thread writes in
//   batches every `flush_every` and at Stop(). When the queue is full an event is
//   dropped and counted (dropped(), and the metric keyward_audit_events_dropped_total),
//   so a flood of refused calls can never become unbounded synchronous writes.
// Thread-safe.
#ifndef KEYWARD_USAGE_AUDIT_WRITER_H_
#define KEYWARD_USAGE_AUDIT_WRITER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include "keyward/core/periodic_worker.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/audit.h"
#include "keyward/store/store.h"

namespace keyward::usage {

class AuditWriter final : public service::AuditSink {
 public:
  static constexpr size_t kDefaultMaxQueued = 10000;

  // `metrics` (optional) counts dropped events; both must outlive the writer.
  AuditWriter(store::Store& store, std::chrono::milliseconds flush_every,
              metrics::Metrics* metrics = nullptr, size_t max_queued = kDefaultMaxQueued);
  ~AuditWriter() override;
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  void Record(const service::AuditEvent& event) override;
  void Start();
  // Writes everything queued and stops the thread. Idempotent.
  void Stop();
  // Writes everything queued now, on the calling thread.
  Status Flush();
  std::uint64_t dropped() const { return dropped_.load(); }

 private:
  store::Store& store_;
  metrics::Metrics* metrics_;
  const size_t max_queued_;
  std::mutex mu_;  // guards pending_
  std::vector<store::AuditRecord> pending_;
  std::mutex flush_mu_;  // one flush at a time keeps batches in order
  std::atomic<std::uint64_t> dropped_{0};
  service::LogAuditSink log_;
  core::PeriodicWorker worker_;  // last: its thread stops before the rest goes
};

// The stored form of an event; details become a JSON object of strings.
store::AuditRecord ToAuditRecord(const service::AuditEvent& event);

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_AUDIT_WRITER_H_
