#include "keyward/usage/usage_writer.h"

#include <spdlog/spdlog.h>

namespace keyward::usage {
namespace {

// Past this many queued events the writer flushes early, which bounds memory under
// a flood of verifications.
constexpr size_t kFlushEarlyAt = 50'000;

}  // namespace

UsageWriter::UsageWriter(store::Store& store, std::chrono::milliseconds flush_every)
    : store_(store), worker_(flush_every, [this] {
        if (auto s = Flush(); !s.ok()) {
          spdlog::warn("usage flush failed: {}", s.error().message);
        }
      }) {}

UsageWriter::~UsageWriter() { Stop(); }

void UsageWriter::Record(store::UsageEvent event) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(event));
    wake = pending_.size() == kFlushEarlyAt;
  }
  if (wake) worker_.Wake();
}

void UsageWriter::Start() { worker_.Start(); }

void UsageWriter::Stop() {
  worker_.Stop();
  if (auto s = Flush(); !s.ok())
    spdlog::error("usage flush at stop failed: {}", s.error().message);
}

Status UsageWriter::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<store::UsageEvent> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return OkStatus();
  Status s = store_.ApplyUsage(batch);
  if (!s.ok()) {
    // Put the batch back so a transient failure (a busy database) loses nothing.
    std::lock_guard lock(mu_);
    pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()),
                    std::make_move_iterator(batch.end()));
  }
  return s;
}

}  // namespace keyward::usage
