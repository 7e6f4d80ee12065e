#include "keyward/usage/audit_writer.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "keyward/core/utf8.h"

namespace keyward::usage {
namespace {

// Pruning deletes in slices so one pass never holds the write lock for long.
constexpr std::int64_t kPruneBatchRows = 5000;
constexpr std::int64_t kPruneEverySeconds = 3600;

}  // namespace

store::AuditRecord ToAuditRecord(const service::AuditEvent& e) {
  store::AuditRecord r;
  r.at = e.at;
  r.actor_user_id = e.actor_user_id;
  r.actor_key_id = e.actor_key_id;
  r.actor_org_id = e.actor_org_id;
  r.action = e.action;
  r.target_type = e.target_type;
  r.target_id = core::ScrubText(e.target_id);  // may echo a request path
  r.target_org_id = e.target_org_id;
  r.target_owner_user_id = e.target_owner_user_id;
  r.ip = e.ip;
  r.outcome = e.outcome;
  nlohmann::json details = nlohmann::json::object();
  for (const auto& [k, v] : e.details) details[k] = v;
  // Replace, not throw, on invalid UTF-8: a route or header echoed into details
  // must not cost the event.
  r.details_json = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

AuditWriter::AuditWriter(store::Store& store, std::chrono::milliseconds flush_every,
                         metrics::Metrics* metrics, size_t max_queued,
                         AuditRetention retention)
    : store_(store),
      metrics_(metrics),
      max_queued_(max_queued),
      retention_(std::move(retention)),
      coalescer_(max_queued * 8, kMaxDistinctDenialsPerIp),
      worker_(flush_every, [this] {
        if (auto s = Flush(); !s.ok()) {
          spdlog::warn("audit flush failed: {}", s.error().message);
        }
        Prune();
      }) {}

AuditWriter::~AuditWriter() { Stop(); }

void AuditWriter::Write(const service::AuditEvent& event) {
  log_.Record(event);  // the debug log line stays, for operators tailing the log
  if (event.action != service::kAuthDenied) {
    // Synchronous: the admin call is acknowledged only after this returns.
    if (auto s = store_.InsertAuditEvents({ToAuditRecord(event)}); !s.ok()) {
      spdlog::error("audit: cannot store {} on {} {}: {}", event.action,
                    event.target_type, event.target_id, s.error().message);
    }
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (event.at > newest_at_) newest_at_ = event.at;
    std::string token;
    const auto verdict = pending_.size() < max_queued_
                             ? coalescer_.Add(event, &token)
                             : DenialCoalescer::Verdict::kDropped;
    if (verdict == DenialCoalescer::Verdict::kNew) pending_.push_back(std::move(token));
    if (verdict != DenialCoalescer::Verdict::kDropped) return;
  }
  ++dropped_;
  if (metrics_) metrics_->CountAuditDrop();
}

void AuditWriter::Start() { worker_.Start(); }

void AuditWriter::Stop() {
  worker_.Stop();
  if (auto s = Flush(); !s.ok())
    spdlog::error("audit flush at stop failed: {}", s.error().message);
}

Status AuditWriter::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<std::string> tokens;
  std::vector<store::AuditRecord> batch;
  std::vector<std::pair<std::int64_t, std::string>> updates;
  {
    std::lock_guard lock(mu_);
    tokens.swap(pending_);
    for (const std::string& t : tokens) {
      batch.push_back(ToAuditRecord(coalescer_.TakeForInsert(t)));
    }
    for (auto& [row, event] : coalescer_.TakeCountUpdates()) {
      updates.emplace_back(row, ToAuditRecord(event).details_json);
    }
  }
  std::vector<std::int64_t> ids;
  Status s = store_.InsertAuditEvents(batch, &ids);
  if (!s.ok() && s.error().kind != ErrorKind::kUnavailable) {
    // The store refused the batch itself, not for being away: retrying it whole would
    // block every later denial behind one bad row. Store what it takes, row by row;
    // a row it refuses is dropped and counted.
    s = InsertOneByOne(batch, &ids);
  }
  {
    std::lock_guard lock(mu_);
    if (s.ok()) {
      for (size_t i = 0; i < tokens.size() && i < ids.size(); ++i) {
        coalescer_.Stored(tokens[i], ids[i]);
      }
    } else {
      // Put the batch back (within the bound) so a busy database loses nothing.
      const size_t room =
          max_queued_ > pending_.size() ? max_queued_ - pending_.size() : 0;
      const size_t keep = std::min(room, tokens.size());
      const std::uint64_t lost = tokens.size() - keep;
      pending_.insert(pending_.begin(), std::make_move_iterator(tokens.begin()),
                      std::make_move_iterator(tokens.begin() + keep));
      dropped_ += lost;
      for (std::uint64_t i = 0; metrics_ && i < lost; ++i) metrics_->CountAuditDrop();
    }
    coalescer_.Expire(newest_at_);
  }
  if (!s.ok()) return s;
  return store_.UpdateAuditDetails(updates);
}

Status AuditWriter::InsertOneByOne(const std::vector<store::AuditRecord>& batch,
                                   std::vector<std::int64_t>* ids) {
  ids->assign(batch.size(), 0);
  for (size_t i = 0; i < batch.size(); ++i) {
    std::vector<std::int64_t> one;
    Status s = store_.InsertAuditEvents({batch[i]}, &one);
    if (s.ok() && !one.empty()) {
      (*ids)[i] = one.front();
      continue;
    }
    if (!s.ok() && s.error().kind == ErrorKind::kUnavailable) return s;
    spdlog::error("audit: the store refused a {} event on {}; dropped: {}",
                  batch[i].action, batch[i].target_type,
                  s.ok() ? "no id" : s.error().message);
    ++dropped_;
    if (metrics_) metrics_->CountAuditDrop();
  }
  return OkStatus();
}

void AuditWriter::Prune() {
  if (!retention_.now || retention_.days <= 0) return;
  const UnixSeconds now = retention_.now();
  if (now - last_prune_ < kPruneEverySeconds) return;
  last_prune_ = now;
  const UnixSeconds before = now - static_cast<UnixSeconds>(retention_.days) * 86400;
  std::int64_t total = 0;
  for (;;) {
    auto n = store_.PruneAuditEvents(before, kPruneBatchRows);
    if (!n.ok()) {
      spdlog::warn("audit: pruning events older than {} days failed: {}", retention_.days,
                   n.error().message);
      return;
    }
    total += *n;
    if (*n < kPruneBatchRows) break;
  }
  if (total > 0) {
    spdlog::info("audit: pruned {} events older than {} days", total, retention_.days);
  }
}

}  // namespace keyward::usage
