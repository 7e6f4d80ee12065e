// ChangePoller: a background thread that calls App::SyncFromStore() on an interval,
// so rows the local CLI writes to the same data dir reach a running server within
// one interval (250 ms by default; the contract allows 1 s). It waits for the App to
// be ready(): the first, full load is its owner's. Thread-safe.
#ifndef KEYWARD_SERVICE_CHANGE_POLLER_H_
#define KEYWARD_SERVICE_CHANGE_POLLER_H_

#include <chrono>

#include "keyward/core/periodic_worker.h"
#include "keyward/service/app.h"

namespace keyward::service {

class ChangePoller {
 public:
  ChangePoller(App& app, std::chrono::milliseconds interval);
  ~ChangePoller();  // stops the thread
  ChangePoller(const ChangePoller&) = delete;
  ChangePoller& operator=(const ChangePoller&) = delete;

  void Stop();
  // Syncs now instead of at the end of the interval: another replica committed.
  void Wake() { worker_.Wake(); }

 private:
  App& app_;
  core::PeriodicWorker worker_;
};

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_CHANGE_POLLER_H_
