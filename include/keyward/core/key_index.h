// KeyIndex: the in-memory map from display prefix to key record that serves every
// verification without touching SQLite.
//
// The store loads it at start-up and updates it after each committed write, so a
// revocation is visible to the very next request. Records are immutable
// (shared_ptr<const KeyRecord>): a change publishes a new record, and a reader keeps
// the record it found alive for as long as it needs it.
// Thread-safe. The map is split into shards, each behind its own reader-writer lock,
// so readers never wait for each other and a writer blocks only one shard.
#ifndef KEYWARD_CORE_KEY_INDEX_H_
#define KEYWARD_CORE_KEY_INDEX_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>

#include "keyward/core/prefix_table.h"
#include "keyward/core/records.h"

namespace keyward::core {

class KeyIndex {
 public:
  static constexpr std::size_t kShardCount = 64;

  KeyIndex() = default;
  KeyIndex(const KeyIndex&) = delete;
  KeyIndex& operator=(const KeyIndex&) = delete;

  // Inserts `record` under record->display_prefix, replacing any record already
  // there. A null record is ignored.
  void Upsert(std::shared_ptr<const KeyRecord> record);

  // Upsert of each record in turn (a later one wins over an earlier one with the same
  // prefix; null ones are ignored), done shard by shard: each shard's lock is taken
  // once and its table filled while it is in cache. For a bulk load, where Upserts
  // one by one hit a random slot of a table of 10^6 (~50 MB) each time, a TLB miss
  // and a cache miss per key plus a lock and an unlock.
  void UpsertAll(std::span<const std::shared_ptr<const KeyRecord>> records);

  // Removes the record with this display prefix, if any.
  void Remove(std::string_view display_prefix);

  // Starts fetching the memory an Upsert or Find of this prefix will touch first,
  // for a caller that does other work before that call (see PrefixTable::Prefetch).
  void Prefetch(std::string_view display_prefix) const;

  // The record with this display prefix, or null.
  std::shared_ptr<const KeyRecord> Find(std::string_view display_prefix) const;

  bool Contains(std::string_view display_prefix) const;

  // Number of records. Exact when no writer is running concurrently.
  std::size_t Size() const { return size_.load(std::memory_order_relaxed); }

  // Prepares room for about `count` records in total, to avoid rehashing while a
  // large store is loaded.
  void Reserve(std::size_t count);

 private:
  // Cache-line aligned so two shards' locks never share a line.
  struct alignas(64) Shard {
    mutable std::shared_mutex mutex;
    PrefixTable table;
  };

  // One hash per operation picks the shard and the slot in its table.
  Shard& ShardFor(std::size_t hash);
  const Shard& ShardFor(std::size_t hash) const;

  std::array<Shard, kShardCount> shards_;
  std::atomic<std::size_t> size_{0};
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_KEY_INDEX_H_
