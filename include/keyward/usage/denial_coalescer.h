// DenialCoalescer: keeps refused calls from filling the disk (contract section 5).
//
// Identical auth.denied events (same IP, actor, target and details) within one
// window (a minute) become one stored event whose details.count says how many there
// were; the count of an event already written is updated in place. An IP that causes
// more than `max_distinct_per_ip` different denials in one window has the rest
// folded into one "flood" event for that IP. At most `max_entries` windows are
// tracked; past that, new distinct denials are dropped (and counted by the caller).
//
// Not thread-safe: the AuditWriter calls it under its own lock.
#ifndef KEYWARD_USAGE_DENIAL_COALESCER_H_
#define KEYWARD_USAGE_DENIAL_COALESCER_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "keyward/service/audit.h"

namespace keyward::usage {

class DenialCoalescer {
 public:
  static constexpr std::int64_t kWindowSeconds = 60;

  DenialCoalescer(size_t max_entries, size_t max_distinct_per_ip)
      : max_entries_(max_entries), max_distinct_per_ip_(max_distinct_per_ip) {}

  enum class Verdict { kNew, kMerged, kDropped };
  // Adds one denial. kNew: a new event to store, identified by `*token`.
  Verdict Add(service::AuditEvent event, std::string* token);

  // The event to store for `token` (with details.count when above 1), marking its
  // current count as written.
  service::AuditEvent TakeForInsert(const std::string& token);
  // Records the row id the event of `token` was stored under.
  void Stored(const std::string& token, std::int64_t row_id);
  // Events already stored whose count grew since: (row id, event with the count).
  std::vector<std::pair<std::int64_t, service::AuditEvent>> TakeCountUpdates();
  // Forgets windows that ended before `now` (and whose counts are written).
  void Expire(UnixSeconds now);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    service::AuditEvent event;
    UnixSeconds window_start = 0;
    std::int64_t count = 0;
    std::int64_t written_count = 0;
    std::int64_t row_id = 0;  // 0 until stored
  };
  struct IpWindow {
    UnixSeconds window_start = 0;
    size_t distinct = 0;
  };

  static std::string Signature(const service::AuditEvent& e);
  static service::AuditEvent WithCount(const Entry& entry);

  const size_t max_entries_;
  const size_t max_distinct_per_ip_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, IpWindow> ips_;
};

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_DENIAL_COALESCER_H_
