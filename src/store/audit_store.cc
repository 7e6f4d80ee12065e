// Store: the audit trail (audit_events), appended by the audit writer and read by
// GET /v1/audit.
#include <string>
#include <vector>

#include "query_util.h"
#include "sql_store.h"

namespace keyward::store {
namespace {

constexpr char kColumns[] =
    "id, at, actor_user_id, actor_key_id, action, target_type, target_id, ip, "
    "outcome, details, actor_org_id, target_org_id, target_owner_user_id";

Result<AuditRecord> ReadAudit(const SqlStatement& s) {
  AuditRecord r;
  r.id = s.Int64(0);
  r.at = s.Int64(1);
  r.actor_user_id = s.OptionalText(2);
  r.actor_key_id = s.OptionalText(3);
  r.action = s.Text(4);
  r.target_type = s.Text(5);
  r.target_id = s.Text(6);
  r.ip = s.Text(7);
  r.outcome = s.Text(8);
  r.details_json = s.Text(9);
  r.actor_org_id = s.OptionalText(10);
  r.target_org_id = s.OptionalText(11);
  r.target_owner_user_id = s.OptionalText(12);
  return r;
}

}  // namespace

Status SqlStore::InsertAuditEvents(const std::vector<AuditRecord>& events,
                                   std::vector<std::int64_t>* ids) {
  if (ids) ids->clear();
  if (events.empty()) return OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  return internal::InWriteTransaction(*db_, [&]() -> Status {
    for (const AuditRecord& e : events) {
      Result<StatementRef> insert = db_->Cached(
          "INSERT INTO audit_events (at, actor_user_id, actor_key_id, action, "
          "target_type, target_id, ip, outcome, details, actor_org_id, target_org_id, "
          "target_owner_user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
          "?12) RETURNING id");
      RETURN_IF_ERROR(insert);
      (*insert)
          ->Bind(1, e.at)
          .Bind(2, e.actor_user_id)
          .Bind(3, e.actor_key_id)
          .Bind(4, e.action)
          .Bind(5, e.target_type)
          .Bind(6, e.target_id)
          .Bind(7, e.ip)
          .Bind(8, e.outcome)
          .Bind(9, e.details_json)
          .Bind(10, e.actor_org_id)
          .Bind(11, e.target_org_id)
          .Bind(12, e.target_owner_user_id);
      // RETURNING rather than a last-rowid call: both dialects have it.
      Result<bool> row = (*insert)->Step();
      RETURN_IF_ERROR(row);
      if (!*row) return Error::Internal("store: INSERT ... RETURNING id gave no row");
      if (ids) ids->push_back((*insert)->Int64(0));
      if (Status s = (*insert)->Run(); !s.ok()) return s;
    }
    return OkStatus();
  });
}

Status SqlStore::UpdateAuditDetails(
    const std::vector<std::pair<std::int64_t, std::string>>& updates) {
  if (updates.empty()) return OkStatus();
  std::lock_guard<std::mutex> lock(mu_);
  return internal::InWriteTransaction(*db_, [&]() -> Status {
    for (const auto& [id, details] : updates) {
      Result<StatementRef> update =
          db_->Cached("UPDATE audit_events SET details = ?2 WHERE id = ?1");
      RETURN_IF_ERROR(update);
      (*update)->Bind(1, id).Bind(2, details);
      if (Status s = (*update)->Run(); !s.ok()) return s;
    }
    return OkStatus();
  });
}

Result<std::int64_t> SqlStore::PruneAuditEvents(UnixSeconds before,
                                                std::int64_t max_rows) {
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t deleted = 0;
  Status s = internal::InWriteTransaction(*db_, [&]() -> Status {
    Result<StatementRef> del = db_->Cached(
        "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events "
        "WHERE at < ?1 ORDER BY id LIMIT ?2)");
    RETURN_IF_ERROR(del);
    (*del)->Bind(1, before).Bind(2, max_rows);
    if (Status r = (*del)->Run(); !r.ok()) return r;
    deleted = db_->Changes();
    return OkStatus();
  });
  RETURN_IF_ERROR(s);
  return deleted;
}

Result<Page<AuditRecord>> SqlStore::ListAuditEvents(const AuditFilter& f) {
  if (Status s = internal::CheckLimit(f.limit); !s.ok()) return s.error();
  // The filters vary per call, so the statement is built here; every value is a
  // bound parameter, never spliced into the SQL.
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_events WHERE 1 = 1";
  std::vector<std::string> texts;
  std::vector<std::int64_t> ints;
  std::vector<std::pair<bool, size_t>> order;  // (is_text, index) per parameter
  auto text = [&](const std::string& clause, const std::string& v) {
    texts.push_back(v);
    order.emplace_back(true, texts.size() - 1);
    sql += " AND " + clause;
  };
  auto integer = [&](const std::string& clause, std::int64_t v) {
    ints.push_back(v);
    order.emplace_back(false, ints.size() - 1);
    sql += " AND " + clause;
  };
  if (f.action) text("action = ?", *f.action);
  if (f.actor_user_id) text("actor_user_id = ?", *f.actor_user_id);
  if (f.target_id) text("target_id = ?", *f.target_id);
  if (f.since) integer("at >= ?", *f.since);
  if (f.until) integer("at <= ?", *f.until);
  if (f.before_id) integer("id < ?", *f.before_id);
  if (f.org_id) {
    texts.push_back(*f.org_id);
    order.emplace_back(true, texts.size() - 1);
    texts.push_back(*f.org_id);
    order.emplace_back(true, texts.size() - 1);
    sql += " AND (actor_org_id = ? OR target_org_id = ?)";
  }
  if (f.user_id) {
    texts.push_back(*f.user_id);
    order.emplace_back(true, texts.size() - 1);
    texts.push_back(*f.user_id);
    order.emplace_back(true, texts.size() - 1);
    sql +=
        " AND (actor_user_id = ? OR (target_type = 'key' AND target_owner_user_id = ?))";
  }
  sql += " ORDER BY id DESC LIMIT ?";
  std::lock_guard<std::mutex> lock(mu_);
  // One cached statement per combination of filters: a bounded set.
  Result<StatementRef> cached = db_->Cached(sql);
  RETURN_IF_ERROR(cached);
  SqlStatement* select = &**cached;
  int index = 1;
  for (const auto& [is_text, i] : order) {
    if (is_text) {
      select->Bind(index++, texts[i]);
    } else {
      select->Bind(index++, ints[i]);
    }
  }
  select->Bind(index, static_cast<std::int64_t>(f.limit) + 1);
  Page<AuditRecord> page;
  for (;;) {
    Result<bool> row = select->Step();
    RETURN_IF_ERROR(row);
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == f.limit) {
      page.next_after = page.items.back().id;
      break;
    }
    Result<AuditRecord> r = ReadAudit(*select);
    RETURN_IF_ERROR(r);
    page.items.push_back(std::move(r).value());
  }
  return page;
}

}  // namespace keyward::store
