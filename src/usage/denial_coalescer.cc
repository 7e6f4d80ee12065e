#include "keyward/usage/denial_coalescer.h"

namespace keyward::usage {

std::string DenialCoalescer::Signature(const service::AuditEvent& e) {
  // Unit separators keep "a"+"bc" and "ab"+"c" apart. A client that puts \x1f
  // into a field can at worst merge its own denials with each other.
  std::string sig;
  auto add = [&](std::string_view part) {
    sig += part;
    sig += '\x1f';
  };
  add(e.ip);
  add(e.action);
  add(e.actor_user_id.value_or(""));
  add(e.actor_key_id.value_or(""));
  add(e.target_type);
  add(e.target_id);
  for (const auto& [k, v] : e.details) {
    add(k);
    add(v);
  }
  return sig;
}

DenialCoalescer::Verdict DenialCoalescer::Add(service::AuditEvent event,
                                              std::string* token) {
  std::string sig = Signature(event);
  if (auto it = entries_.find(sig);
      it != entries_.end() && event.at - it->second.window_start < kWindowSeconds) {
    ++it->second.count;
    return Verdict::kMerged;
  }
  IpWindow& ip = ips_[event.ip];
  if (event.at - ip.window_start >= kWindowSeconds) ip = IpWindow{event.at, 0};
  if (++ip.distinct > max_distinct_per_ip_) {
    // Many different denials from one address: one event says so, with a count,
    // instead of one row per probe.
    service::AuditEvent flood;
    flood.at = event.at;
    flood.action = event.action;
    flood.outcome = event.outcome;
    flood.ip = event.ip;
    flood.target_type = "route";
    flood.target_id = "(many)";
    flood.details["reason"] = "flood";
    flood.actor_org_id = event.actor_org_id;
    event = std::move(flood);
    sig = Signature(event);
    if (auto it = entries_.find(sig);
        it != entries_.end() && event.at - it->second.window_start < kWindowSeconds) {
      ++it->second.count;
      return Verdict::kMerged;
    }
  }
  if (entries_.size() >= max_entries_ && !entries_.contains(sig))
    return Verdict::kDropped;
  Entry& entry = entries_[sig];
  entry = Entry{std::move(event), 0, 1, 0, 0};
  entry.window_start = entry.event.at;
  *token = std::move(sig);
  return Verdict::kNew;
}

service::AuditEvent DenialCoalescer::WithCount(const Entry& entry) {
  service::AuditEvent e = entry.event;
  if (entry.count > 1) e.details["count"] = std::to_string(entry.count);
  return e;
}

service::AuditEvent DenialCoalescer::TakeForInsert(const std::string& token) {
  Entry& entry = entries_.at(token);
  entry.written_count = entry.count;
  return WithCount(entry);
}

void DenialCoalescer::Stored(const std::string& token, std::int64_t row_id) {
  if (auto it = entries_.find(token); it != entries_.end()) it->second.row_id = row_id;
}

std::vector<std::pair<std::int64_t, service::AuditEvent>>
DenialCoalescer::TakeCountUpdates() {
  std::vector<std::pair<std::int64_t, service::AuditEvent>> out;
  for (auto& [sig, entry] : entries_) {
    if (entry.row_id == 0 || entry.count == entry.written_count) continue;
    entry.written_count = entry.count;
    out.emplace_back(entry.row_id, WithCount(entry));
  }
  return out;
}

void DenialCoalescer::Expire(UnixSeconds now) {
  std::erase_if(entries_, [&](const auto& kv) {
    const Entry& e = kv.second;
    return now - e.window_start >= kWindowSeconds && e.row_id != 0 &&
           e.count == e.written_count;
  });
  std::erase_if(ips_, [&](const auto& kv) {
    return now - kv.second.window_start >= kWindowSeconds;
  });
}

}  // namespace keyward::usage
