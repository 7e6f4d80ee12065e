#include "keyward/core/key_runtime_table.h"

#include <mutex>
#include <utility>

namespace keyward::core {
namespace {

std::size_t ShardIndex(std::string_view id) {
  const std::size_t h = std::hash<std::string_view>{}(id);
  return (h ^ (h >> 29) ^ (h >> 47)) % KeyRuntimeTable::kShardCount;
}

// The live quota value a freshly loaded or freshly set record stands for.
QuotaCell::Value QuotaFromRecord(const KeyRules& rules) {
  const KeyRecord& key = *rules.source;
  QuotaCell::Value v;
  v.remaining = key.remaining_uses.value_or(0);
  if (rules.refill) {
    // No refill time recorded: treat the quota as due for a refill now.
    v.period = key.quota_refilled_at
                   ? RefillPeriod(rules.refill->interval, *key.quota_refilled_at)
                   : -1;
  }
  return v;
}

}  // namespace

KeyRuntimeTable::KeyRuntimeTable(const KeyIndex& index, Tiers tiers,
                                 const MonotonicClock& clock)
    : index_(index), tiers_(std::move(tiers)), clock_(clock) {}

KeyRuntimeTable::Shard& KeyRuntimeTable::ShardFor(std::string_view id) {
  return shards_[ShardIndex(id)];
}
const KeyRuntimeTable::Shard& KeyRuntimeTable::ShardFor(std::string_view id) const {
  return shards_[ShardIndex(id)];
}

std::shared_ptr<const KeyRuntime> KeyRuntimeTable::Compile(
    std::shared_ptr<const KeyRecord> record, const KeyRuntime* old) const {
  auto next = std::make_shared<KeyRuntime>();
  next->rules = CompileRules(std::move(record), tiers_);
  const KeyRules& rules = next->rules;
  if (old == nullptr) {
    next->counters = std::make_shared<KeyCounters>();
    next->last_use = std::make_shared<LastUseCell>();
  } else {
    next->counters = old->counters;
    next->last_use = old->last_use;
    if (old->rules.rate_limit != rules.rate_limit) {
      next->counters->rate.Rescale(old->rules.rate_limit, rules.rate_limit,
                                   clock_.NowNanos());
    }
  }
  KeyCounters& c = *next->counters;
  // A new epoch means an admin set the quota: the record's value is the truth.
  // Without one, the live count is newer than the record's (a batched flush).
  // Switching quota or refill on or off always bumps the epoch (KeyService), but a
  // mismatch is treated the same way in case some other writer did not.
  // Epochs only grow for one key; "newer than the counters" (not "different") lets
  // a rotated key and its successor share counters after the successor's quota
  // was set again, without the old key's record resetting them back.
  const bool reset = old == nullptr || rules.quota_epoch > c.quota_epoch ||
                     old->rules.has_quota != rules.has_quota ||
                     old->rules.refill != rules.refill;
  if (reset) {
    QuotaCell::Value v = QuotaFromRecord(rules);
    // A rotated key met fresh (after a restart) no longer has its successor's
    // shared count to draw on: the successor holds the uses, so this one has none
    // (rotation never adds uses).
    if (old == nullptr && rules.source->rotated_to && rules.has_quota) v.remaining = 0;
    c.quota.Reset(v);
    c.quota_epoch = rules.quota_epoch;
    // The value came from the store (or was just written to it): nothing to flush.
    const QuotaCell::Value stored = c.quota.Load();
    c.flushed_remaining.store(static_cast<std::uint64_t>(stored.remaining),
                              std::memory_order_relaxed);
    c.flushed_period.store(stored.period, std::memory_order_relaxed);
    c.flushed_epoch.store(rules.quota_epoch, std::memory_order_relaxed);
  }
  return next;
}

std::shared_ptr<const KeyRuntime> KeyRuntimeTable::Acquire(
    const std::shared_ptr<const KeyRecord>& record) {
  Shard& shard = ShardFor(record->id);
  {
    std::shared_lock lock(shard.mutex);
    const auto it = shard.map.find(record->id);
    if (it != shard.map.end() && it->second->rules.source == record) return it->second;
  }
  any_runtime_.store(true, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  std::unique_lock lock(shard.mutex);
  // The record in hand may be older or newer than the runtime's source: the index
  // decides which is current.
  std::shared_ptr<const KeyRecord> current = index_.Find(record->display_prefix);
  if (!current || current->id != record->id) current = record;
  auto [it, inserted] = shard.map.try_emplace(record->id, nullptr);
  if (!inserted && it->second->rules.source == current) return it->second;
  it->second = Compile(std::move(current), inserted ? nullptr : it->second.get());
  return it->second;
}

void KeyRuntimeTable::Refresh(const std::shared_ptr<const KeyRecord>& record) {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (!any_runtime_.load(std::memory_order_relaxed)) return;
  Shard& shard = ShardFor(record->id);
  std::unique_lock lock(shard.mutex);
  const auto it = shard.map.find(record->id);
  if (it == shard.map.end() || it->second->rules.source == record) return;
  it->second = Compile(record, it->second.get());
}

void KeyRuntimeTable::ShareCounters(const std::shared_ptr<const KeyRecord>& predecessor,
                                    const std::shared_ptr<const KeyRecord>& successor,
                                    std::optional<std::int64_t> at_most) {
  // The successor's counters start from its own record (the live count at
  // rotation); the predecessor then draws on them.
  const std::shared_ptr<const KeyRuntime> to = Acquire(successor);
  if (at_most && to->rules.has_quota) {
    // Lowering only, atomically: a use counted meanwhile is not given back beyond
    // what this replica had left.
    const QuotaCell::Value v = to->counters->quota.Load();
    if (v.remaining > *at_most) to->counters->quota.Observe({*at_most, v.period});
  }
  auto old = std::make_shared<KeyRuntime>();
  old->rules = CompileRules(predecessor, tiers_);
  old->counters = to->counters;
  Shard& shard = ShardFor(predecessor->id);
  std::unique_lock lock(shard.mutex);
  const auto it = shard.map.find(predecessor->id);
  old->last_use =
      it != shard.map.end() ? it->second->last_use : std::make_shared<LastUseCell>();
  shard.map.insert_or_assign(predecessor->id, std::move(old));
}

std::shared_ptr<const KeyRuntime> KeyRuntimeTable::Find(std::string_view id) const {
  const Shard& shard = ShardFor(id);
  std::shared_lock lock(shard.mutex);
  const auto it = shard.map.find(id);
  return it == shard.map.end() ? nullptr : it->second;
}

std::vector<QuotaChange> KeyRuntimeTable::CollectQuotaChanges() const {
  std::vector<QuotaChange> changes;
  for (const Shard& shard : shards_) {
    std::shared_lock lock(shard.mutex);
    for (const auto& [id, runtime] : shard.map) {
      const KeyRules& rules = runtime->rules;
      if (!rules.has_quota) continue;
      const KeyCounters& c = *runtime->counters;
      const QuotaCell::Value v = c.quota.Load();
      if (c.flushed_epoch.load(std::memory_order_relaxed) == c.quota_epoch &&
          c.flushed_remaining.load(std::memory_order_relaxed) ==
              static_cast<std::uint64_t>(v.remaining) &&
          c.flushed_period.load(std::memory_order_relaxed) == v.period) {
        continue;
      }
      QuotaChange change;
      change.key_id = id;
      change.quota_epoch = c.quota_epoch;
      change.remaining = v.remaining;
      if (rules.refill && v.period >= 0) {
        change.refilled_at = RefillPeriodStart(rules.refill->interval, v.period);
      }
      change.counters = runtime->counters;
      change.value = v;
      changes.push_back(std::move(change));
    }
  }
  return changes;
}

void KeyRuntimeTable::MarkFlushed(const std::vector<QuotaChange>& changes) {
  for (const QuotaChange& change : changes) {
    KeyCounters& c = *change.counters;
    c.flushed_remaining.store(static_cast<std::uint64_t>(change.value.remaining),
                              std::memory_order_relaxed);
    c.flushed_period.store(change.value.period, std::memory_order_relaxed);
    c.flushed_epoch.store(change.quota_epoch, std::memory_order_relaxed);
  }
}

std::size_t KeyRuntimeTable::Size() const {
  std::size_t n = 0;
  for (const Shard& shard : shards_) {
    std::shared_lock lock(shard.mutex);
    n += shard.map.size();
  }
  return n;
}

}  // namespace keyward::core
