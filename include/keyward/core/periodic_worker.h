// PeriodicWorker: one background thread that runs `tick` every `interval`, sooner
// when Wake() is called, and never again once Stop() has returned.
//
// The usage writer, the audit writer, the quota flusher and the change poller all
// work this way; sharing the loop keeps their start, wake and stop behaviour alike.
// Thread-safe; `tick` runs on the worker thread only, never concurrently with itself.
#ifndef KEYWARD_CORE_PERIODIC_WORKER_H_
#define KEYWARD_CORE_PERIODIC_WORKER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace keyward::core {

class PeriodicWorker {
 public:
  PeriodicWorker(std::chrono::milliseconds interval, std::function<void()> tick);
  ~PeriodicWorker();  // Stop()
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // Starts the thread. Idempotent; does nothing after Stop().
  void Start();
  // Runs the next tick now instead of at the end of the interval.
  void Wake();
  // Joins the thread (a running tick finishes first). Idempotent. Runs no final tick:
  // owners that must drain do so themselves after Stop().
  void Stop();

 private:
  void Loop();

  const std::chrono::milliseconds interval_;
  const std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_PERIODIC_WORKER_H_
