// KeyRuntimeTable: the KeyRuntime of every key verified since start-up, by key id.
//
// Runtimes are created lazily, on a key's first verification, so memory follows the
// keys in use rather than every key ever issued. Rules are always compiled from the
// record the KeyIndex currently holds: Acquire() re-reads the index (under the
// table's lock) whenever the runtime it finds was compiled from a different record,
// so a runtime never goes back to an older record and never lags the index for more
// than one look-up. Refresh() recompiles eagerly when a record is published; call it
// after KeyIndex::Upsert with the same shared_ptr.
//
// When a key's quota_epoch changes, its live quota is reset to the record's
// remaining_uses; otherwise the live count is kept (the record's copy may be an
// older flush). When its effective rate limit changes, the limiter's debt is
// rescaled (GcraCell::Rescale).
//
// Thread-safe: 64 shards, each a reader-writer lock held only to find or replace an
// entry; the counters themselves are lock-free.
#ifndef KEYWARD_CORE_KEY_RUNTIME_TABLE_H_
#define KEYWARD_CORE_KEY_RUNTIME_TABLE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "keyward/core/key_index.h"
#include "keyward/core/key_runtime.h"
#include "keyward/core/monotonic_clock.h"

namespace keyward::core {

// A live quota that differs from what was last written to the store.
struct QuotaChange {
  std::string key_id;
  std::int64_t quota_epoch = 0;
  std::int64_t remaining = 0;
  std::optional<UnixSeconds> refilled_at;  // start of the refill period, with refill
  std::shared_ptr<KeyCounters> counters;   // for MarkFlushed
  QuotaCell::Value value;
};

class KeyRuntimeTable {
 public:
  static constexpr std::size_t kShardCount = 64;

  // All references must outlive the table.
  KeyRuntimeTable(const KeyIndex& index, Tiers tiers, const MonotonicClock& clock);
  KeyRuntimeTable(const KeyRuntimeTable&) = delete;
  KeyRuntimeTable& operator=(const KeyRuntimeTable&) = delete;

  // The runtime for `record`'s key (never null), compiled from the index's current
  // record for it (or from `record` when the index no longer has one).
  std::shared_ptr<const KeyRuntime> Acquire(
      const std::shared_ptr<const KeyRecord>& record);

  // Recompiles the runtime of `record`'s key from `record`, if one exists.
  void Refresh(const std::shared_ptr<const KeyRecord>& record);

  // Makes `predecessor` draw on the same counters (rate limiter and quota) as its
  // `successor`, for a rotation's grace period: the two keys together never get
  // more than the one did. `successor` must carry `predecessor`'s quota_epoch.
  // A rotated key whose runtime is compiled afresh (after a restart) starts with no
  // remaining uses: the successor holds them.
  // `at_most`: the shared remaining uses are lowered to it when higher (a rotation
  // learnt from another replica: this one may have counted the old key lower).
  void ShareCounters(const std::shared_ptr<const KeyRecord>& predecessor,
                     const std::shared_ptr<const KeyRecord>& successor,
                     std::optional<std::int64_t> at_most = std::nullopt);

  // The runtime of key `id` if one exists; creates nothing.
  std::shared_ptr<const KeyRuntime> Find(std::string_view id) const;

  // Every quota whose live value differs from the one last marked flushed.
  std::vector<QuotaChange> CollectQuotaChanges() const;
  // Records that `changes` reached the store.
  static void MarkFlushed(const std::vector<QuotaChange>& changes);

  std::size_t Size() const;
  const Tiers& tiers() const { return tiers_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  using Map = std::unordered_map<std::string, std::shared_ptr<const KeyRuntime>, Hash,
                                 std::equal_to<>>;
  struct alignas(64) Shard {
    mutable std::shared_mutex mutex;
    Map map;
  };

  Shard& ShardFor(std::string_view id);
  const Shard& ShardFor(std::string_view id) const;
  // Builds the successor of `old` (may be null) from `record`. Shard lock held.
  std::shared_ptr<const KeyRuntime> Compile(std::shared_ptr<const KeyRecord> record,
                                            const KeyRuntime* old) const;

  // Set before a runtime is first made, never cleared. Until then Refresh() has
  // nothing to recompile and returns without hashing the id and locking a shard: a
  // full load publishes 10^6 records before the first verification. Acquire() sets
  // it and then reads the index; Refresh() runs after its record is in the index and
  // then reads it, each with a full fence between: a Refresh() that reads false is
  // therefore ordered before that read of the index, which then finds its record.
  std::atomic<bool> any_runtime_{false};
  const KeyIndex& index_;
  const Tiers tiers_;
  const MonotonicClock& clock_;
  std::array<Shard, kShardCount> shards_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_KEY_RUNTIME_TABLE_H_
