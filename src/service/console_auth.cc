#include "keyward/service/console_auth.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "keyward/service/password.h"

namespace keyward::service {
namespace {

// 32 random bytes as unpadded base64url: 43 cookie-safe characters.
std::string RandomToken() {
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, 64> out{};
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw.data(), raw.size());
  return std::string(out.data());
}

// The per-user throttles are AuthThrottles keyed by an address: a username (and
// for one of them the client's address) maps to an IPv6 /64 made of a hash (the
// throttle counts IPv6 per /64), so the same fixed memory and eviction rules serve
// every count.
core::IpAddress UserSlot(std::string_view username, std::string_view ip) {
  std::string folded(username);
  folded.push_back('\0');  // no username holds NUL: "a" + "b" is not "ab" + ""
  folded.append(ip);
  std::transform(folded.begin(), folded.end(), folded.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  core::IpAddress a;
  std::array<unsigned char, 16> h{};
  crypto_generichash(h.data(), h.size(),
                     reinterpret_cast<const unsigned char*>(folded.data()), folded.size(),
                     nullptr, 0);
  std::copy(h.begin(), h.end(), a.bytes.begin());
  return a;
}

}  // namespace

std::string SessionIdFor(std::string_view token) {
  std::array<unsigned char, 32> h{};
  crypto_generichash(h.data(), h.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
  return std::string(hex.data());
}

ConsoleAuth::ConsoleAuth(App& app, AuditSink* audit)
    : app_(app),
      audit_(audit),
      per_user_from_ip_(app.config().failed_auth_per_minute, 60 * core::kNanosPerSecond,
                        app.mono_clock()),
      per_user_(kAddressesToLockOut * app.config().failed_auth_per_minute,
                60 * core::kNanosPerSecond, app.mono_clock()) {}

void ConsoleAuth::AuditSignIn(const UserRecord& user, const std::string& ip) {
  if (!audit_) return;
  AuditEvent e;
  e.at = app_.clock().Now();
  e.action = "console.sign_in";
  e.target_type = "user";
  e.target_id = user.id;
  e.actor_user_id = user.id;
  e.actor_org_id = user.org_id;
  e.target_org_id = user.org_id;
  e.ip = ip;
  e.outcome = "success";
  e.details["via"] = "console";
  audit_->Record(std::move(e));
}

Result<SignInResult> ConsoleAuth::SignIn(std::string_view username,
                                         std::string_view password,
                                         const std::string& ip) {
  SignInResult out;
  const core::IpAddress slot = UserSlot(username, "");
  const core::IpAddress from_ip = UserSlot(username, ip);
  if (const std::int64_t wait =
          std::max(per_user_.Blocked(slot), per_user_from_ip_.Blocked(from_ip));
      wait > 0) {
    out.status = SignInResult::Status::kThrottled;
    out.retry_after_seconds = wait;
    return out;
  }
  if (hashing_.fetch_add(1, std::memory_order_acq_rel) >= kMaxHashing) {
    hashing_.fetch_sub(1, std::memory_order_acq_rel);
    out.status = SignInResult::Status::kThrottled;
    out.retry_after_seconds = 1;
    return out;
  }
  struct Done {
    std::atomic<int>& n;
    ~Done() { n.fetch_sub(1, std::memory_order_acq_rel); }
  } done{hashing_};
  std::shared_ptr<const UserRecord> user;
  std::optional<std::string> stored;
  if (!username.empty() && username.size() <= 100) {
    ASSIGN_OR_RETURN(auto found, app_.store().FindUserByUsername(std::string(username)));
    if (found && !found->deleted) {
      user = app_.directory().FindUser(found->id);
      if (user) {
        ASSIGN_OR_RETURN(stored, app_.store().GetPasswordHash(user->id));
      }
    }
  }
  bool ok = false;
  if (stored) {
    ok = VerifyPassword(*stored, password);
  } else {
    VerifyAgainstDummy(password);  // same cost as a real check
  }
  const auto org = user ? app_.directory().FindOrg(user->org_id) : nullptr;
  const bool may_sign_in =
      user && user->enabled && !user->deleted && org && org->enabled && !org->deleted;
  if (!ok || !may_sign_in) {
    // Audited by the caller's 401 as auth.denied (code invalid_credentials), which
    // the audit trail coalesces per address, so failures cannot fill the disk; the
    // username is not recorded (people type passwords into that field).
    per_user_.RecordFailure(slot);
    per_user_from_ip_.RecordFailure(from_ip);
    out.status = SignInResult::Status::kInvalid;
    return out;
  }
  store::SessionRecord rec;
  out.token = RandomToken();
  rec.id = SessionIdFor(out.token);
  rec.user_id = user->id;
  rec.csrf_token = RandomToken();
  rec.created_at = rec.last_seen_at = app_.clock().Now();
  rec.ip = ip;
  RETURN_IF_ERROR(app_.store().InsertSession(rec));
  // Expired sessions are deleted when presented; those never presented again go
  // here, so the table stays as large as the sessions that could still be used.
  const auto& cfg = app_.config();
  RETURN_IF_ERROR(
      app_.store().PruneSessions(rec.created_at - cfg.console_idle_timeout_seconds,
                                 rec.created_at - cfg.console_absolute_timeout_seconds));
  AuditSignIn(*user, ip);
  out.status = SignInResult::Status::kSignedIn;
  out.session = {rec.id, user, rec.csrf_token, rec.created_at,
                 std::min(rec.created_at + cfg.console_idle_timeout_seconds,
                          rec.created_at + cfg.console_absolute_timeout_seconds)};
  return out;
}

Result<std::optional<ConsoleSession>> ConsoleAuth::Resolve(std::string_view token) {
  // Our tokens are 43 base64url characters; anything else is not worth a look-up.
  if (token.size() != 43) return std::optional<ConsoleSession>();
  const std::string id = SessionIdFor(token);
  ASSIGN_OR_RETURN(auto rec, app_.store().GetSession(id));
  if (!rec) return std::optional<ConsoleSession>();
  const auto& cfg = app_.config();
  const UnixSeconds now = app_.clock().Now();
  const UnixSeconds idle_end = rec->last_seen_at + cfg.console_idle_timeout_seconds;
  const UnixSeconds absolute_end = rec->created_at + cfg.console_absolute_timeout_seconds;
  if (now >= idle_end || now >= absolute_end) {
    RETURN_IF_ERROR(app_.store().DeleteSession(id));
    return std::optional<ConsoleSession>();
  }
  auto user = app_.directory().FindUser(rec->user_id);
  auto org = user ? app_.directory().FindOrg(user->org_id) : nullptr;
  if (!user || !user->enabled || user->deleted || !org || !org->enabled || org->deleted) {
    return std::optional<ConsoleSession>();
  }
  // Refresh the idle clock at most every minute (or half the idle timeout), so an
  // active console does not turn every read into a store write.
  const UnixSeconds step =
      std::min<UnixSeconds>(60, cfg.console_idle_timeout_seconds / 2);
  if (now - rec->last_seen_at >= std::max<UnixSeconds>(step, 1)) {
    RETURN_IF_ERROR(app_.store().TouchSession(id, now));
    rec->last_seen_at = now;
  }
  ConsoleSession s{
      id, std::move(user), rec->csrf_token, rec->created_at,
      std::min(rec->last_seen_at + cfg.console_idle_timeout_seconds, absolute_end)};
  return std::optional<ConsoleSession>(std::move(s));
}

Status ConsoleAuth::SignOut(const ConsoleSession& session, const Actor& actor) {
  RETURN_IF_ERROR(app_.store().DeleteSession(session.id));
  if (audit_) {
    AuditEvent e = WriteEvent(actor, app_.clock().Now(), "console.sign_out", "user",
                              session.user->id, session.user->org_id);
    e.ip = actor.ip;
    audit_->Record(std::move(e));
  }
  return OkStatus();
}

Actor ConsoleAuth::ActorFor(const ConsoleSession& session, std::string ip) {
  Actor a;
  a.user = session.user;
  a.key_scopes = session.user->permissions;
  a.ip = std::move(ip);
  a.console = true;
  return a;
}

}  // namespace keyward::service
