#include "keyward/usage/audit_writer.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace keyward::usage {

store::AuditRecord ToAuditRecord(const service::AuditEvent& e) {
  store::AuditRecord r;
  r.at = e.at;
  r.actor_user_id = e.actor_user_id;
  r.actor_key_id = e.actor_key_id;
  r.actor_org_id = e.actor_org_id;
  r.action = e.action;
  r.target_type = e.target_type;
  r.target_id = e.target_id;
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
                         metrics::Metrics* metrics, size_t max_queued)
    : store_(store),
      metrics_(metrics),
      max_queued_(max_queued),
      worker_(flush_every, [this] {
        if (auto s = Flush(); !s.ok()) {
          spdlog::warn("audit flush failed: {}", s.error().message);
        }
      }) {}

AuditWriter::~AuditWriter() { Stop(); }

void AuditWriter::Record(const service::AuditEvent& event) {
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
    if (pending_.size() < max_queued_) {
      pending_.push_back(ToAuditRecord(event));
      return;
    }
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
  std::vector<store::AuditRecord> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return OkStatus();
  Status s = store_.InsertAuditEvents(batch);
  if (!s.ok()) {
    // Put the batch back (within the bound) so a busy database loses nothing.
    std::lock_guard lock(mu_);
    const size_t room = max_queued_ > pending_.size() ? max_queued_ - pending_.size() : 0;
    const size_t keep = std::min(room, batch.size());
    const std::uint64_t lost = batch.size() - keep;
    pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()),
                    std::make_move_iterator(batch.begin() + keep));
    dropped_ += lost;
    for (std::uint64_t i = 0; metrics_ && i < lost; ++i) metrics_->CountAuditDrop();
  }
  return s;
}

}  // namespace keyward::usage
