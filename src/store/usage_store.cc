// Store: last-used stamps and hourly verification counters.
#include <map>
#include <tuple>
#include <utility>

#include "query_util.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

constexpr UnixSeconds kHour = 3600;

// Floor, not truncation, so a (theoretical) negative time still lands on an hour.
UnixSeconds HourOf(UnixSeconds at) { return at - (((at % kHour) + kHour) % kHour); }

struct LastUse {
  UnixSeconds at;
  std::string ip;
};

}  // namespace

Status SqlStore::ApplyUsage(const std::vector<UsageEvent>& events) {
  // Fold the batch first: one UPDATE per key and one UPSERT per counter, however
  // many verifications the batch holds.
  std::map<std::string, LastUse> last_use;
  std::map<std::tuple<std::string, UnixSeconds, std::string>, std::int64_t> counts;
  for (const UsageEvent& event : events) {
    if (event.key_id.empty()) continue;
    counts[{event.key_id, HourOf(event.at), event.code}] += event.count;
    if (event.code != "VALID") continue;
    auto it = last_use.find(event.key_id);
    if (it == last_use.end()) {
      last_use.emplace(event.key_id, LastUse{event.at, event.ip});
    } else if (event.at >= it->second.at) {
      it->second = LastUse{event.at, event.ip};
    }
  }
  if (counts.empty()) return OkStatus();

  std::lock_guard<std::mutex> lock(mu_);
  return internal::InWriteTransaction(*db_, [&]() -> Status {
    for (const auto& [key_id, use] : last_use) {
      // No change_seq here on purpose: last-used stamps must not make a running
      // server reload the key. The guard keeps a late batch from moving time back.
      Result<StatementRef> update = db_->Cached(
          "UPDATE keys SET last_used_at = ?2, last_used_ip = ?3 WHERE id = ?1 "
          "AND (last_used_at IS NULL OR last_used_at <= ?2)");
      RETURN_IF_ERROR(update);
      (*update)->Bind(1, key_id).Bind(2, use.at).Bind(3, use.ip);
      Status status = (*update)->Run();
      if (!status.ok()) return status;
    }
    for (const auto& [counter, count] : counts) {
      Result<StatementRef> upsert = db_->Cached(
          "INSERT INTO key_usage_hourly (key_id, hour, code, count) VALUES (?1, ?2, ?3, "
          "?4) "
          "ON CONFLICT (key_id, hour, code) DO UPDATE SET count = "
          "key_usage_hourly.count + excluded.count");
      RETURN_IF_ERROR(upsert);
      const auto& [key_id, hour, code] = counter;
      (*upsert)->Bind(1, key_id).Bind(2, hour).Bind(3, code).Bind(4, count);
      Status status = (*upsert)->Run();
      if (!status.ok()) return status;
    }
    return OkStatus();
  });
}

Result<std::vector<HourlyUsage>> SqlStore::UsageForKey(const std::string& key_id,
                                                       UnixSeconds since) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<StatementRef> select = db_->Cached(
      "SELECT hour, code, count FROM key_usage_hourly WHERE key_id = ?1 AND hour >= ?2 "
      "ORDER BY hour DESC, code");
  RETURN_IF_ERROR(select);
  (*select)->Bind(1, key_id).Bind(2, HourOf(since));
  std::vector<HourlyUsage> hours;
  for (;;) {
    Result<bool> row = (*select)->Step();
    RETURN_IF_ERROR(row);
    if (!*row) return hours;
    UnixSeconds hour = (*select)->Int64(0);
    if (hours.empty() || hours.back().hour != hour)
      hours.push_back(HourlyUsage{hour, {}});
    hours.back().counts[(*select)->Text(1)] = (*select)->Int64(2);
  }
}

}  // namespace keyward::store
