#include "keyward/usage/usage_writer.h"

#include <spdlog/spdlog.h>

#include "keyward/usage/usage_fold.h"

namespace keyward::usage {
namespace {

// Past this many events in one thread's buffer the writer flushes early, which
// bounds memory under a flood of verifications.
constexpr size_t kFlushEarlyAt = 50'000;

std::atomic<std::uint64_t> next_writer_id{1};

// The hour an event is counted in, as the store and FoldUsageEvents floor it.
UnixSeconds HourOf(UnixSeconds at) { return at - (((at % 3600) + 3600) % 3600); }

// The calling thread's shard of the writer it used last. Keyed by the writer's
// id, not its address: a new writer may be built where a destroyed one was.
struct ThreadCache {
  std::uint64_t writer_id = 0;
  void* shard = nullptr;
};
thread_local ThreadCache thread_cache;

}  // namespace

UsageWriter::UsageWriter(store::Store& store, std::chrono::milliseconds flush_every)
    : store_(store),
      id_(next_writer_id.fetch_add(1, std::memory_order_relaxed)),
      worker_(flush_every, [this] {
        if (auto s = Flush(); !s.ok()) {
          spdlog::warn("usage flush failed: {}", s.error().message);
        }
      }) {}

UsageWriter::~UsageWriter() { Stop(); }

UsageWriter::Shard& UsageWriter::ThreadShard() {
  if (thread_cache.writer_id == id_) return *static_cast<Shard*>(thread_cache.shard);
  Shard* shard;
  {
    std::lock_guard lock(shards_mu_);
    shard = shards_.emplace_back(std::make_unique<Shard>()).get();
  }
  // A thread alternating between two writers gets a new shard at each switch; the
  // old ones stay registered and are still flushed. Servers have one writer.
  thread_cache = {id_, shard};
  return *shard;
}

void UsageWriter::Record(std::string_view key_id, UnixSeconds at, std::string_view ip,
                         std::string_view code, std::int64_t count) {
  Shard& shard = ThreadShard();
  const std::size_t slot =
      (std::hash<std::string_view>{}(key_id) ^ (code.size() * 0x9E3779B97F4A7C15u) ^
       static_cast<unsigned char>(code.empty() ? 0 : code[0])) %
      kFoldSlots;
  bool wake = false;
  {
    std::lock_guard lock(shard.mu);
    const std::size_t at_index = shard.slots[slot];
    if (at_index > 0 && at_index <= shard.pending.size()) {
      store::UsageEvent& e = shard.pending[at_index - 1];
      if (e.key_id == key_id && e.code == code && HourOf(e.at) == HourOf(at)) {
        e.count += count;
        // The latest time and IP are what last-used keeps (as the store's fold).
        if (at >= e.at) {
          e.at = at;
          e.ip.assign(ip);
        }
        return;
      }
    }
    shard.pending.push_back(store::UsageEvent{std::string(key_id), at, std::string(ip),
                                              std::string(code), count});
    shard.slots[slot] = static_cast<std::uint32_t>(shard.pending.size());
    wake = shard.pending.size() == kFlushEarlyAt;
  }
  if (wake) worker_.Wake();
}

std::size_t UsageWriter::PendingEntries() {
  std::lock_guard lock(shards_mu_);
  std::size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard shard_lock(shard->mu);
    n += shard->pending.size();
  }
  return n;
}

void UsageWriter::Start() { worker_.Start(); }

void UsageWriter::Stop() {
  worker_.Stop();
  if (auto s = Flush(); !s.ok())
    spdlog::error("usage flush at stop failed: {}", s.error().message);
}

Status UsageWriter::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<store::UsageEvent> batch, spare;
  {
    std::lock_guard lock(retry_mu_);
    batch.swap(retry_);
    spare.swap(spare_);
  }
  {
    std::lock_guard lock(shards_mu_);
    for (const auto& shard : shards_) {
      std::lock_guard shard_lock(shard->mu);
      if (shard->pending.empty()) continue;
      if (batch.empty()) {
        // The first non-empty buffer is taken whole, without copying it, and the
        // shard keeps recording into the spare's capacity.
        batch.swap(shard->pending);
        shard->pending.swap(spare);
      } else {
        batch.insert(batch.end(), std::make_move_iterator(shard->pending.begin()),
                     std::make_move_iterator(shard->pending.end()));
        shard->pending.clear();
      }
    }
  }
  if (batch.empty()) {
    std::lock_guard lock(retry_mu_);
    spare_.swap(spare);  // unused: kept for the next flush
    return OkStatus();
  }
  Status s = store_.ApplyUsage(batch);
  if (s.ok()) {
    // Kept for the next flush: one batch's capacity (kFlushEarlyAt bounds it)
    // beyond what the shards hold.
    batch.clear();
    std::lock_guard lock(retry_mu_);
    spare_.swap(batch.capacity() >= spare.capacity() ? batch : spare);
  } else {
    // Keep the batch so a transient failure (a busy database) loses nothing, folded
    // so an outage of any length holds one entry per key, hour and outcome.
    std::lock_guard lock(retry_mu_);
    batch.insert(batch.end(), std::make_move_iterator(retry_.begin()),
                 std::make_move_iterator(retry_.end()));
    retry_ = FoldUsageEvents(std::move(batch));
  }
  return s;
}

}  // namespace keyward::usage
