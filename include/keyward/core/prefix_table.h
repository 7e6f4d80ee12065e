// PrefixTable: one KeyIndex shard's map from display prefix to record, as an
// open-addressing table (linear probing, backward-shift deletion).
//
// Why not std::unordered_map: a node per entry costs a malloc and ~80 bytes, and an
// insert into an empty bucket touches the node that was first in the list — three or
// four cache misses per key while 10^6 keys load. Here an entry is 24 bytes in one
// array: the record pointer and the full hash, which is compared before the record's
// prefix is read. Not thread-safe: KeyIndex locks around it.
#ifndef KEYWARD_CORE_PREFIX_TABLE_H_
#define KEYWARD_CORE_PREFIX_TABLE_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "keyward/core/records.h"

namespace keyward::core {

class PrefixTable {
 public:
  using RecordPtr = std::shared_ptr<const KeyRecord>;

  // `hash` is always the hash of the prefix looked up (KeyIndex computes it once).
  const RecordPtr* Find(std::string_view prefix, std::size_t hash) const;
  // Stores `record` under record->display_prefix; returns the record it replaced
  // (null when the prefix was new), for the caller to release outside its lock.
  RecordPtr Upsert(RecordPtr record, std::size_t hash);
  // Returns the removed record, or null when there was none.
  RecordPtr Remove(std::string_view prefix, std::size_t hash);
  // Asks the CPU to fetch the cache line where an insert or look-up of this hash
  // starts, so that a caller with other work to do meanwhile (the bulk load decodes
  // the next row) does not wait for the miss. No effect on the table's contents.
  void Prefetch(std::size_t hash) const;
  // Room for `count` entries without growing.
  void Reserve(std::size_t count);
  std::size_t size() const { return used_; }

 private:
  struct Slot {
    std::size_t hash = 0;
    RecordPtr record;  // null: empty
  };

  std::size_t Home(std::size_t hash) const;
  std::size_t Locate(std::string_view prefix, std::size_t hash) const;  // slot or empty
  void Rehash(std::size_t capacity);

  std::vector<Slot> slots_;  // a power of two in size, at most half full; or empty
  std::size_t used_ = 0;
  int shift_ = 64;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_PREFIX_TABLE_H_
