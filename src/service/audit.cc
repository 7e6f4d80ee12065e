#include "keyward/service/audit.h"

#include <spdlog/spdlog.h>

namespace keyward::service {
namespace {

// A secret-looking run keeps this many characters: a display prefix shows the
// key prefix, '_' and 9 characters of the random part.
constexpr size_t kShownRunChars = 9;
constexpr size_t kSecretRunChars = 40;

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

void Bound(std::string& s) {
  std::string out;
  out.reserve(std::min(s.size(), kMaxAuditFieldChars + 3));
  for (size_t i = 0; i < s.size();) {
    size_t run = 0;
    while (i + run < s.size() && IsBase62(s[i + run])) ++run;
    if (run >= kSecretRunChars) {
      out.append(s, i, kShownRunChars);
      out += "...";
      i += run;
    } else if (run > 0) {
      out.append(s, i, run);
      i += run;
    } else {
      out += s[i++];
    }
  }
  if (out.size() > kMaxAuditFieldChars) {
    out.resize(kMaxAuditFieldChars - 3);
    out += "...";
  }
  s = std::move(out);
}

}  // namespace

void BoundAuditEvent(AuditEvent& e) {
  Bound(e.target_id);
  Bound(e.ip);
  for (auto& [k, v] : e.details) Bound(v);
}

namespace {

// A value in a "key=value" log line: spaces and '=' percent-encoded, so a value
// from a request can never pose as another field (the formatter escapes the rest).
std::string LogValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == ' ') {
      out += "%20";
    } else if (c == '=') {
      out += "%3D";
    } else if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void LogAuditSink::Write(const AuditEvent& e) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  std::string details;
  for (const auto& [k, v] : e.details) details += " " + k + "=" + LogValue(v);
  spdlog::debug("audit {} outcome={} actor_user={} actor_key={} target={}:{} ip={}{}",
                e.action, e.outcome, LogValue(e.actor_user_id.value_or("-")),
                LogValue(e.actor_key_id.value_or("-")), e.target_type,
                LogValue(e.target_id), LogValue(e.ip), details);
}

AuditEvent DeniedEvent(const Actor& actor, UnixSeconds at, std::string target_type,
                       std::string target_id, std::string reason) {
  AuditEvent e;
  e.at = at;
  // An organization key acts for nobody in particular, not for its creator.
  if (const UserRecord* self = actor.Self()) e.actor_user_id = self->id;
  if (actor.key) e.actor_key_id = actor.key->id;
  if (actor.user) e.actor_org_id = actor.user->org_id;
  e.action = kAuthDenied;
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.ip = actor.ip;
  e.outcome = "denied";
  e.details["reason"] = std::move(reason);
  return e;
}

AuditEvent WriteEvent(const Actor& actor, UnixSeconds at, std::string action,
                      std::string target_type, std::string target_id,
                      std::optional<std::string> target_org_id) {
  AuditEvent e;
  e.at = at;
  if (const UserRecord* self = actor.Self()) e.actor_user_id = self->id;
  if (actor.key) e.actor_key_id = actor.key->id;
  if (actor.user) e.actor_org_id = actor.user->org_id;
  if (actor.local_cli) e.details["via"] = "cli";
  if (actor.console) e.details["via"] = "console";
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.target_org_id = std::move(target_org_id);
  e.ip = actor.ip;
  e.outcome = "success";
  return e;
}

}  // namespace keyward::service
