#include "keyward/api/fast_json.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "keyward/api/encode.h"
#include "keyward/core/key_runtime.h"
#include "keyward/core/last_use_cell.h"
#include "keyward/core/outcome.h"
#include "keyward/core/time_util.h"

namespace keyward::api::fast_json {
namespace {

using nlohmann::json;

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

void AppendBool(std::string& out, bool v) { out += v ? "true" : "false"; }

void Member(std::string& out, std::string_view name) {
  // Member names here are fixed ASCII identifiers: no escaping needed.
  out += '"';
  out += name;
  out += "\":";
}

void AppendOptString(std::string& out, const std::optional<std::string>& s) {
  if (s) {
    AppendString(out, *s);
  } else {
    out += "null";
  }
}

void AppendTime(std::string& out, UnixSeconds t) {
  out += '"';
  core::AppendRfc3339(out, t);
  out += '"';
}

void AppendOptTime(std::string& out, const std::optional<UnixSeconds>& t) {
  if (t) {
    AppendTime(out, *t);
  } else {
    out += "null";
  }
}

void AppendStringArray(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    AppendString(out, items[i]);
  }
  out += ']';
}

std::string CanonicalMetadata(const std::string& raw) {
  json metadata = json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object()) metadata = json::object();
  return metadata.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The metadata object as KeyJson renders it (parse, then dump). Stored metadata is
// nearly always "{}" or one of a few documents per hot key, so the rendering is
// memoised per thread, keyed by the stored text itself (never by a record's
// address, which a new record may reuse).
void AppendMetadata(std::string& out, const std::string& raw) {
  if (raw == "{}") {
    out += "{}";
    return;
  }
  struct Entry {
    std::string raw, canonical;
  };
  constexpr std::size_t kEntries = 64;
  thread_local std::array<Entry, kEntries> cache;
  Entry& e = cache[std::hash<std::string_view>{}(raw) % kEntries];
  if (e.raw != raw || e.canonical.empty()) {
    e.canonical = CanonicalMetadata(raw);
    e.raw = raw;
  }
  out += e.canonical;
}

}  // namespace

http::Response RawJson(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

namespace {

// The key object is written as five runs that depend on the record alone, between
// the members that do not: "last_used_at" and "last_used_ip" (the live last use),
// "rate_limit" (the tiers in force), "remaining_uses" (the live count) and "status"
// (the time). Members in byte order of their names,
// as nlohmann's std::map-backed objects print them.

// {"created_at" ... "kind":"...","last_used_at":
void AppendRun1(std::string& out, const KeyRecord& k) {
  out += '{';
  Member(out, "created_at");
  AppendTime(out, k.created_at);
  out += ',';
  Member(out, "created_by");
  AppendString(out, k.created_by);
  out += ',';
  Member(out, "description");
  AppendString(out, k.description);
  out += ',';
  Member(out, "enabled");
  AppendBool(out, k.enabled);
  out += ',';
  Member(out, "expires_at");
  AppendOptTime(out, k.expires_at);
  out += ',';
  Member(out, "id");
  AppendString(out, k.id);
  out += ',';
  Member(out, "ip_allow");
  AppendStringArray(out, k.ip_allow);
  out += ',';
  Member(out, "ip_deny");
  AppendStringArray(out, k.ip_deny);
  out += ',';
  Member(out, "kind");
  AppendString(out, KindName(k.kind));
  out += ',';
  Member(out, "last_used_at");
}

// (last_used_at) ,"last_used_ip":
void AppendRun1b(std::string& out) {
  out += ',';
  Member(out, "last_used_ip");
}

// (last_used_ip) ,"metadata":... "prefix":"...","rate_limit":
void AppendRun1c(std::string& out, const KeyRecord& k) {
  out += ',';
  Member(out, "metadata");
  AppendMetadata(out, k.metadata_json);
  out += ',';
  Member(out, "name");
  AppendString(out, k.name);
  out += ',';
  Member(out, "org_id");
  AppendString(out, k.org_id);
  out += ',';
  Member(out, "owner_user_id");
  AppendOptString(out, k.owner_user_id);
  out += ',';
  Member(out, "prefix");
  AppendString(out, k.display_prefix);
  out += ',';
  Member(out, "rate_limit");
}

// ,"read_only":...,"refill":...,"remaining_uses":
void AppendRun2(std::string& out, const KeyRecord& k) {
  out += ',';
  Member(out, "read_only");
  AppendBool(out, k.read_only);
  out += ',';
  Member(out, "refill");
  if (k.refill) {
    out += "{\"amount\":";
    AppendInt(out, k.refill->amount);
    out += k.refill->interval == RefillInterval::kMonthly ? ",\"interval\":\"monthly\"}"
                                                          : ",\"interval\":\"daily\"}";
  } else {
    out += "null";
  }
  out += ',';
  Member(out, "remaining_uses");
}

// ,"revoked_at":...,"rotated_to":...,"scopes":[...],"status":
void AppendRun3(std::string& out, const KeyRecord& k) {
  out += ',';
  Member(out, "revoked_at");
  AppendOptTime(out, k.revoked_at);
  out += ',';
  Member(out, "rotated_to");
  AppendOptString(out, k.rotated_to);
  out += ',';
  Member(out, "scopes");
  AppendStringArray(out, k.scopes);
  out += ',';
  Member(out, "status");
}

// ,"tags":[...],"tier":"...","updated_at":"..."}
void AppendRun4(std::string& out, const KeyRecord& k) {
  out += ',';
  Member(out, "tags");
  AppendStringArray(out, k.tags);
  out += ',';
  Member(out, "tier");
  AppendString(out, k.tier);
  out += ',';
  Member(out, "updated_at");
  AppendTime(out, k.updated_at);
  out += '}';
}

void AppendRateLimit(std::string& out, const KeyRecord& k, const core::Tiers& tiers) {
  const RateLimit in_force = tiers.Resolve(k);
  out += "{\"limit\":";
  AppendInt(out, in_force.limit);
  out += ",\"window_seconds\":";
  AppendInt(out, in_force.window_seconds);
  out += '}';
}

// The "last_used_at" and "last_used_ip" values (with the member between them):
// the record's, or the use the server noted live when it is at least as recent.
void AppendLastUse(std::string& out, const KeyRecord& k,
                   const core::LastUseCell::Snapshot* live) {
  if (live != nullptr && (!k.last_used_at || live->at >= *k.last_used_at)) {
    // A busy key's last use is this second: formatted once a second, per thread.
    struct Formatted {
      UnixSeconds at = -1;
      std::string text;
    };
    thread_local Formatted last;
    if (last.at != live->at || last.text.empty()) {
      last.text.clear();
      AppendTime(last.text, live->at);
      last.at = live->at;
    }
    out += last.text;
    AppendRun1b(out);
    AppendString(out, live->ip());
    return;
  }
  AppendOptTime(out, k.last_used_at);
  AppendRun1b(out);
  AppendOptString(out, k.last_used_ip);
}

void AppendRemaining(std::string& out, const KeyRecord& k,
                     std::optional<std::int64_t> remaining_uses) {
  if (!remaining_uses) remaining_uses = k.remaining_uses;
  if (remaining_uses) {
    AppendInt(out, *remaining_uses);
  } else {
    out += "null";
  }
}

// The record-only runs of recently answered keys, per thread. An entry holds
// its record, so while it is cached no other record can take its address: a hit is
// the very same immutable record (records.h), never a changed key at an old address.
// A changed key is a new record, and misses.
struct CachedRuns {
  std::shared_ptr<const KeyRecord> record;
  std::string run1, run1c, run2, run3, run4;
};

const CachedRuns& RunsFor(const std::shared_ptr<const KeyRecord>& key) {
  constexpr std::size_t kEntries = 64;
  thread_local std::array<CachedRuns, kEntries> cache;
  const auto slot =
      (reinterpret_cast<std::uintptr_t>(key.get()) / alignof(KeyRecord)) % kEntries;
  CachedRuns& e = cache[slot];
  if (e.record != key) {
    e.record.reset();  // until all the runs are rebuilt, should one of them throw
    const KeyRecord& k = *key;
    e.run1.clear();
    AppendRun1(e.run1, k);
    e.run1c.clear();
    AppendRun1c(e.run1c, k);
    e.run2.clear();
    AppendRun2(e.run2, k);
    e.run3.clear();
    AppendRun3(e.run3, k);
    e.run4.clear();
    AppendRun4(e.run4, k);
    e.record = key;
  }
  return e;
}

}  // namespace

void AppendKeyObject(std::string& out, const KeyRecord& k, UnixSeconds now,
                     const core::Tiers& tiers,
                     std::optional<std::int64_t> remaining_uses) {
  AppendRun1(out, k);
  AppendLastUse(out, k, nullptr);
  AppendRun1c(out, k);
  AppendRateLimit(out, k, tiers);
  AppendRun2(out, k);
  AppendRemaining(out, k, remaining_uses);
  AppendRun3(out, k);
  AppendString(out, KeyStatus(k, now));
  AppendRun4(out, k);
}

std::string VerifyAnswer(const core::Decision& d, UnixSeconds now,
                         const core::Tiers& tiers,
                         std::optional<std::int64_t> remaining_uses) {
  std::string out;
  out.reserve(d.key ? 1024 : 128);
  out += '{';
  Member(out, "code");
  AppendString(out, core::OutcomeName(d.outcome));
  out += ',';
  Member(out, "effective_scopes");
  AppendStringArray(out, d.effective_scopes);
  if (d.key) {
    out += ',';
    Member(out, "key");
    // AppendKeyObject's bytes, with the record-only runs from the cache.
    const CachedRuns& runs = RunsFor(d.key);
    const KeyRecord& k = *d.key;
    out += runs.run1;
    std::optional<core::LastUseCell::Snapshot> live;
    if (d.runtime && d.runtime->last_use) live = d.runtime->last_use->Load();
    AppendLastUse(out, k, live ? &*live : nullptr);
    out += runs.run1c;
    AppendRateLimit(out, k, tiers);
    out += runs.run2;
    AppendRemaining(out, k, remaining_uses);
    out += runs.run3;
    AppendString(out, KeyStatus(k, now));
    out += runs.run4;
  }
  if (!d.missing_scope.empty()) {
    out += ',';
    Member(out, "missing_scope");
    AppendString(out, d.missing_scope);
  }
  if (d.ratelimit) {
    out += ',';
    Member(out, "ratelimit");
    out += "{\"limit\":";
    AppendInt(out, d.ratelimit->limit);
    out += ",\"remaining\":";
    AppendInt(out, d.ratelimit->remaining);
    out += ",\"reset_seconds\":";
    AppendInt(out, d.ratelimit->reset_seconds);
    out += '}';
  }
  out += ',';
  Member(out, "valid");
  AppendBool(out, d.outcome == core::Outcome::kValid);
  out += '}';
  return out;
}

}  // namespace keyward::api::fast_json
