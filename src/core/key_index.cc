#include "keyward/core/key_index.h"

#include <array>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace keyward::core {
namespace {

std::size_t HashOf(std::string_view display_prefix) {
  return std::hash<std::string_view>{}(display_prefix);
}

// The shard comes from a different mix of the hash than the slot (PrefixTable uses
// its high bits), so each shard's own table stays evenly filled.
std::size_t ShardIndex(std::size_t h) {
  return (h ^ (h >> 29) ^ (h >> 47)) % KeyIndex::kShardCount;
}

}  // namespace

KeyIndex::Shard& KeyIndex::ShardFor(std::size_t hash) {
  return shards_[ShardIndex(hash)];
}

const KeyIndex::Shard& KeyIndex::ShardFor(std::size_t hash) const {
  return shards_[ShardIndex(hash)];
}

void KeyIndex::Upsert(std::shared_ptr<const KeyRecord> record) {
  if (!record) return;
  const std::size_t hash = HashOf(record->display_prefix);
  Shard& shard = ShardFor(hash);
  std::shared_ptr<const KeyRecord> replaced;  // released after the lock is dropped
  {
    std::unique_lock lock(shard.mutex);
    replaced = shard.table.Upsert(std::move(record), hash);
  }
  if (!replaced) size_.fetch_add(1, std::memory_order_relaxed);
}

void KeyIndex::UpsertAll(std::span<const std::shared_ptr<const KeyRecord>> records) {
  // A counting sort by shard, stable so that input order holds within a shard. The
  // records are read in input order (a bulk load's are in allocation order, which
  // the hardware prefetcher follows); the shard passes then move the copies into the
  // tables without touching a record again, except on a hash match.
  std::vector<std::size_t> hashes(records.size());
  std::array<std::size_t, kShardCount + 1> begin{};
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i]) continue;
    hashes[i] = HashOf(records[i]->display_prefix);
    ++begin[ShardIndex(hashes[i]) + 1];
  }
  for (std::size_t s = 0; s < kShardCount; ++s) begin[s + 1] += begin[s];
  struct Entry {
    std::size_t hash;
    std::shared_ptr<const KeyRecord> record;
  };
  std::vector<Entry> sorted(begin[kShardCount]);
  std::array<std::size_t, kShardCount> next{};
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i]) continue;
    const std::size_t s = ShardIndex(hashes[i]);
    sorted[begin[s] + next[s]++] = Entry{hashes[i], records[i]};
  }
  std::vector<std::shared_ptr<const KeyRecord>> replaced;  // released after the locks
  std::size_t added = 0;
  for (std::size_t s = 0; s < kShardCount; ++s) {
    if (begin[s] == begin[s + 1]) continue;
    Shard& shard = shards_[s];
    std::unique_lock lock(shard.mutex);
    for (std::size_t k = begin[s]; k < begin[s + 1]; ++k) {
      auto old = shard.table.Upsert(std::move(sorted[k].record), sorted[k].hash);
      if (old) {
        replaced.push_back(std::move(old));
      } else {
        ++added;
      }
    }
  }
  size_.fetch_add(added, std::memory_order_relaxed);
}

void KeyIndex::Remove(std::string_view display_prefix) {
  const std::size_t hash = HashOf(display_prefix);
  Shard& shard = ShardFor(hash);
  std::shared_ptr<const KeyRecord> removed;  // released after the lock is dropped
  {
    std::unique_lock lock(shard.mutex);
    removed = shard.table.Remove(display_prefix, hash);
  }
  if (removed) size_.fetch_sub(1, std::memory_order_relaxed);
}

void KeyIndex::Prefetch(std::string_view display_prefix) const {
  const std::size_t hash = HashOf(display_prefix);
  const Shard& shard = ShardFor(hash);
  // Shared: the table's array may be swapped by a concurrent rehash.
  std::shared_lock lock(shard.mutex);
  shard.table.Prefetch(hash);
}

std::shared_ptr<const KeyRecord> KeyIndex::Find(std::string_view display_prefix) const {
  const std::size_t hash = HashOf(display_prefix);
  const Shard& shard = ShardFor(hash);
  std::shared_lock lock(shard.mutex);
  const std::shared_ptr<const KeyRecord>* found = shard.table.Find(display_prefix, hash);
  return found ? *found : nullptr;
}

bool KeyIndex::Contains(std::string_view display_prefix) const {
  const std::size_t hash = HashOf(display_prefix);
  const Shard& shard = ShardFor(hash);
  std::shared_lock lock(shard.mutex);
  return shard.table.Find(display_prefix, hash) != nullptr;
}

void KeyIndex::Reserve(std::size_t count) {
  const std::size_t per_shard = count / kShardCount + 1;
  for (Shard& shard : shards_) {
    std::unique_lock lock(shard.mutex);
    shard.table.Reserve(per_shard);
  }
}

}  // namespace keyward::core
