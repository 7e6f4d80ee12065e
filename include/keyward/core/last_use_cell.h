// LastUseCell: one key's most recent successful use (time and client IP) as this
// server saw it, live.
//
// The store learns of uses in batches (UsageWriter), and on purpose a last-used
// stamp does not republish the key's record (that would reload the key on every
// replica every few seconds), so the record the index holds keeps the last-used
// values it was loaded with. Answers rendered from that record (/v1/verify) would
// then show a key as unused, or used hours ago, while it is in use. The cell is what
// they add: the verifier notes each VALID use, the answer shows whichever is newer.
//
// A seqlock: writers (request threads, rarely at once) take the sequence from even
// to odd with a CAS, store, and make it even again; readers retry while it is odd
// or moved. Every word is an atomic, so a reader racing a writer is no data race,
// only a retry. A use in the same second from the same IP as the noted one (a busy
// key) is one load and a compare, no store. Thread-safe.
#ifndef KEYWARD_CORE_LAST_USE_CELL_H_
#define KEYWARD_CORE_LAST_USE_CELL_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "keyward/core/records.h"

namespace keyward::core {

class LastUseCell {
 public:
  // The longest IP text kept (IPv6 text is at most 45 bytes; a zone id may add
  // more: such a use is not noted, and the record's value stands).
  static constexpr std::size_t kMaxIp = 48;

  struct Snapshot {
    UnixSeconds at = 0;
    std::array<char, kMaxIp> ip_bytes{};
    std::size_t ip_size = 0;
    std::string_view ip() const { return {ip_bytes.data(), ip_size}; }
  };

  // A successful use at `at` from `ip`. A use older than the noted one is ignored
  // (uses are noted by many threads, slightly out of order).
  void Note(UnixSeconds at, std::string_view ip);
  // The noted use; nullopt if none was noted yet (or a writer kept the cell busy
  // through every retry, which leaves the caller with the record's value).
  std::optional<Snapshot> Load() const;

 private:
  static constexpr std::size_t kWords = kMaxIp / 8;
  static constexpr std::int64_t kNever = INT64_MIN;

  bool Holds(UnixSeconds at, std::string_view ip) const;

  std::atomic<std::uint64_t> seq_{0};
  std::atomic<std::int64_t> at_{kNever};
  std::atomic<std::uint64_t> ip_size_{0};
  std::array<std::atomic<std::uint64_t>, kWords> ip_{};
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_LAST_USE_CELL_H_
