#include "keyward/core/prefix_table.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>

namespace keyward::core {
namespace {

constexpr std::size_t kMinCapacity = 16;

// Fibonacci hashing: the table index comes from the hash's high bits after a
// multiply, so it does not share the low bits KeyIndex picks the shard with.
constexpr std::uint64_t kFibonacci = 0x9E3779B97F4A7C15ull;

}  // namespace

std::size_t PrefixTable::Home(std::size_t hash) const {
  return static_cast<std::size_t>((static_cast<std::uint64_t>(hash) * kFibonacci) >>
                                  shift_);
}

std::size_t PrefixTable::Locate(std::string_view prefix, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Home(hash);; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.record) return i;
    if (slot.hash == hash && slot.record->display_prefix == prefix) return i;
  }
}

const PrefixTable::RecordPtr* PrefixTable::Find(std::string_view prefix,
                                                std::size_t hash) const {
  if (used_ == 0) return nullptr;
  const Slot& slot = slots_[Locate(prefix, hash)];
  return slot.record ? &slot.record : nullptr;
}

void PrefixTable::Prefetch(std::size_t hash) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[Home(hash)], /*rw=*/1);
}

PrefixTable::RecordPtr PrefixTable::Upsert(RecordPtr record, std::size_t hash) {
  if ((used_ + 1) * 2 > slots_.size()) {
    Rehash(std::max(kMinCapacity, slots_.size() * 2));
  }
  // Locate() inlined, reading the record's prefix only when a slot's hash matches:
  // a bulk load inserts records long since out of the cache, and most never collide.
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = Home(hash);
  for (; slots_[i].record; i = (i + 1) & mask) {
    if (slots_[i].hash == hash &&
        slots_[i].record->display_prefix == record->display_prefix) {
      break;
    }
  }
  Slot& slot = slots_[i];
  if (!slot.record) {
    ++used_;
    slot.hash = hash;
  }
  return std::exchange(slot.record, std::move(record));
}

PrefixTable::RecordPtr PrefixTable::Remove(std::string_view prefix, std::size_t hash) {
  if (used_ == 0) return nullptr;
  std::size_t hole = Locate(prefix, hash);
  if (!slots_[hole].record) return nullptr;
  RecordPtr removed = std::move(slots_[hole].record);
  --used_;
  // Backward shift: move later entries of the run into the hole unless their home
  // lies cyclically in (hole, j], where they must stay to remain reachable.
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t j = (hole + 1) & mask; slots_[j].record; j = (j + 1) & mask) {
    const std::size_t home = Home(slots_[j].hash);
    const bool stays =
        hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = std::move(slots_[j]);
    slots_[j].record = nullptr;
    hole = j;
  }
  return removed;
}

void PrefixTable::Reserve(std::size_t count) {
  const std::size_t wanted = std::bit_ceil(std::max(kMinCapacity, count * 2));
  if (wanted > slots_.size()) Rehash(wanted);
}

void PrefixTable::Rehash(std::size_t capacity) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
  shift_ = 64 - std::countr_zero(capacity);
  const std::size_t mask = capacity - 1;
  for (Slot& entry : old) {
    if (!entry.record) continue;
    std::size_t i = Home(entry.hash);
    while (slots_[i].record) i = (i + 1) & mask;
    slots_[i] = std::move(entry);
  }
}

}  // namespace keyward::core
