#include "keyward/service/change_poller.h"

#include <spdlog/spdlog.h>

namespace keyward::service {

ChangePoller::ChangePoller(App& app, std::chrono::milliseconds interval)
    : app_(app), interval_(interval) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      if (auto s = app_.SyncFromStore(); !s.ok()) {
        spdlog::warn("sync from store failed: {}", s.error().message);
      }
      lock.lock();
    }
  });
}

ChangePoller::~ChangePoller() { Stop(); }

void ChangePoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace keyward::service
