#include "keyward/core/key_index.h"

#include <mutex>
#include <utility>

namespace keyward::core {
namespace {

// The shard is chosen from a different mix of the hash than the one the bucket
// index uses, so each shard's own table stays evenly filled.
std::size_t ShardIndex(std::string_view display_prefix) {
  const std::size_t h = std::hash<std::string_view>{}(display_prefix);
  return (h ^ (h >> 29) ^ (h >> 47)) % KeyIndex::kShardCount;
}

}  // namespace

KeyIndex::Shard& KeyIndex::ShardFor(std::string_view display_prefix) {
  return shards_[ShardIndex(display_prefix)];
}

const KeyIndex::Shard& KeyIndex::ShardFor(std::string_view display_prefix) const {
  return shards_[ShardIndex(display_prefix)];
}

void KeyIndex::Upsert(std::shared_ptr<const KeyRecord> record) {
  if (!record) return;
  Shard& shard = ShardFor(record->display_prefix);
  std::string key = record->display_prefix;
  std::shared_ptr<const KeyRecord> replaced;  // released after the lock is dropped
  {
    std::unique_lock lock(shard.mutex);
    auto [it, inserted] = shard.map.try_emplace(std::move(key), nullptr);
    replaced = std::exchange(it->second, std::move(record));
    if (inserted) size_.fetch_add(1, std::memory_order_relaxed);
  }
}

void KeyIndex::Remove(std::string_view display_prefix) {
  Shard& shard = ShardFor(display_prefix);
  std::shared_ptr<const KeyRecord> removed;  // released after the lock is dropped
  {
    std::unique_lock lock(shard.mutex);
    const auto it = shard.map.find(display_prefix);
    if (it == shard.map.end()) return;
    removed = std::move(it->second);
    shard.map.erase(it);
    size_.fetch_sub(1, std::memory_order_relaxed);
  }
}

std::shared_ptr<const KeyRecord> KeyIndex::Find(std::string_view display_prefix) const {
  const Shard& shard = ShardFor(display_prefix);
  std::shared_lock lock(shard.mutex);
  const auto it = shard.map.find(display_prefix);
  return it == shard.map.end() ? nullptr : it->second;
}

bool KeyIndex::Contains(std::string_view display_prefix) const {
  const Shard& shard = ShardFor(display_prefix);
  std::shared_lock lock(shard.mutex);
  return shard.map.find(display_prefix) != shard.map.end();
}

void KeyIndex::Reserve(std::size_t count) {
  const std::size_t per_shard = count / kShardCount + 1;
  for (Shard& shard : shards_) {
    std::unique_lock lock(shard.mutex);
    shard.map.reserve(per_shard);
  }
}

}  // namespace keyward::core
