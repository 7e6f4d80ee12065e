#include "keyward/service/change_poller.h"

#include <spdlog/spdlog.h>

namespace keyward::service {

ChangePoller::ChangePoller(App& app, std::chrono::milliseconds interval)
    : app_(app), worker_(interval, [this] {
        // The first, full load is the server's own (serve.cc), after it listens.
        if (!app_.ready()) return;
        if (auto s = app_.SyncFromStore(); !s.ok()) {
          spdlog::warn("sync from store failed: {}", s.error().message);
        }
      }) {
  worker_.Start();
}

ChangePoller::~ChangePoller() { Stop(); }

void ChangePoller::Stop() { worker_.Stop(); }

}  // namespace keyward::service
