#include "keyward/api/key_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "keyward/core/cidr.h"
#include "keyward/core/quota.h"
#include "keyward/core/scope.h"
#include "keyward/core/time_util.h"

namespace keyward::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxListEntries = 100;
constexpr size_t kMaxTagChars = 64;
constexpr size_t kMaxMetadataBytes = 4096;

// Collects every field problem of one body.
class Checker {
 public:
  void Fail(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }
  bool failed() const { return !errors_.empty(); }
  Error ToError() const {
    return Error{ErrorKind::kValidation, "validation failed", errors_};
  }

 private:
  std::vector<FieldError> errors_;
};

std::optional<std::vector<std::string>> StringList(const json& v,
                                                   const std::string& field, Checker& c) {
  if (!v.is_array()) {
    c.Fail(field, "must be an array of strings");
    return std::nullopt;
  }
  if (v.size() > kMaxListEntries) {
    c.Fail(field, "must have at most " + std::to_string(kMaxListEntries) + " entries");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) {
      c.Fail(field + "[" + std::to_string(i) + "]", "must be a string");
      return std::nullopt;
    }
    std::string s = v[i].get<std::string>();
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

void ParseIpList(const json& v, const char* field,
                 std::optional<std::vector<std::string>>& out, Checker& c) {
  auto list = StringList(v, field, c);
  if (!list) return;
  for (size_t i = 0; i < list->size(); ++i) {
    auto cidr = core::Cidr::Parse((*list)[i]);
    if (!cidr) {
      c.Fail(std::string(field) + "[" + std::to_string(i) + "]",
             "'" + (*list)[i] + "' is not a valid IP address or CIDR range");
      return;
    }
    (*list)[i] = cidr->ToString();  // canonical form, e.g. "10.0.0.0/8"
  }
  out = std::move(list);
}

std::optional<RateLimit> ParseRateLimit(const json& v, Checker& c) {
  if (!v.is_object()) {
    c.Fail("rate_limit", "must be an object {\"limit\", \"window_seconds\"} or null");
    return std::nullopt;
  }
  RateLimit rl;
  bool ok = true;
  for (const auto& [k, val] : v.items()) {
    if (k != "limit" && k != "window_seconds") {
      c.Fail("rate_limit." + k, "unknown field");
      ok = false;
      continue;
    }
    if (!val.is_number_integer() || val.get<std::int64_t>() <= 0 ||
        val.get<std::int64_t>() > 1'000'000'000) {
      c.Fail("rate_limit." + k, "must be a positive integer");
      ok = false;
      continue;
    }
    (k == "limit" ? rl.limit : rl.window_seconds) = val.get<std::int64_t>();
  }
  if (ok && (rl.limit == 0 || rl.window_seconds == 0)) {
    c.Fail("rate_limit", "needs both limit and window_seconds");
    ok = false;
  }
  return ok ? std::optional<RateLimit>(rl) : std::nullopt;
}

bool IsQuotaCount(const json& v) {
  return v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
         v.get<std::int64_t>() <= core::kMaxQuota;
}

const std::string& QuotaCountMessage() {
  static const std::string kMessage =
      "must be an integer from 0 to " + std::to_string(core::kMaxQuota);
  return kMessage;
}

std::optional<QuotaRefill> ParseRefill(const json& v, Checker& c) {
  if (!v.is_object()) {
    c.Fail("refill", "must be an object {\"amount\", \"interval\"} or null");
    return std::nullopt;
  }
  QuotaRefill refill;
  bool ok = true, has_amount = false, has_interval = false;
  for (const auto& [k, val] : v.items()) {
    if (k == "amount") {
      has_amount = true;
      if (!IsQuotaCount(val)) {
        c.Fail("refill.amount", QuotaCountMessage());
        ok = false;
      } else {
        refill.amount = val.get<std::int64_t>();
      }
    } else if (k == "interval") {
      has_interval = true;
      if (val == "daily") {
        refill.interval = RefillInterval::kDaily;
      } else if (val == "monthly") {
        refill.interval = RefillInterval::kMonthly;
      } else {
        c.Fail("refill.interval", "must be \"daily\" or \"monthly\"");
        ok = false;
      }
    } else {
      c.Fail("refill." + k, "unknown field");
      ok = false;
    }
  }
  if (ok && !has_amount) {
    c.Fail("refill.amount", "is required");
    ok = false;
  }
  if (ok && !has_interval) {
    c.Fail("refill.interval", "is required");
    ok = false;
  }
  return ok ? std::optional<QuotaRefill>(refill) : std::nullopt;
}

void ParseExpiry(const json& body, KeyFieldsMode mode, UnixSeconds now, KeyFields& f,
                 Checker& c) {
  const bool has_at = body.contains("expires_at");
  const bool has_in = body.contains("expires_in");
  if (has_at && has_in) {
    c.Fail("expires_in", "cannot be combined with expires_at");
    return;
  }
  if (has_at) {
    const json& v = body["expires_at"];
    if (v.is_null()) {
      f.expires_at = std::optional<UnixSeconds>();
    } else if (!v.is_string()) {
      c.Fail("expires_at", "must be an RFC 3339 timestamp or null");
    } else if (auto t = core::ParseRfc3339(v.get<std::string>()); !t) {
      c.Fail("expires_at", "must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z");
    } else if (*t <= now) {
      c.Fail("expires_at", "must be in the future");
    } else {
      f.expires_at = std::optional<UnixSeconds>(*t);
    }
  } else if (has_in) {
    const json& v = body["expires_in"];
    std::optional<std::int64_t> secs;
    if (v.is_number_integer()) {
      if (v.get<std::int64_t>() > 0) secs = v.get<std::int64_t>();
    } else if (v.is_string()) {
      secs = core::ParseDuration(v.get<std::string>());
    } else if (v.is_null() && mode == KeyFieldsMode::kPatch) {
      f.expires_at = std::optional<UnixSeconds>();
      return;
    }
    constexpr std::int64_t kHundredYears = 100LL * 366 * 86400;
    if (!secs || *secs > kHundredYears) {
      c.Fail("expires_in",
             "must be a positive duration such as \"90d\", \"12h\" or seconds");
    } else {
      f.expires_at = std::optional<UnixSeconds>(now + *secs);
    }
  }
}

}  // namespace

std::optional<std::string> CheckText(const std::string& text, size_t min_chars,
                                     size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = b;
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (len > 1 && i + len <= text.size()) {
      cp = b & (0x7F >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      return "must not contain control characters";
    }
    i += len;
    ++chars;
  }
  if (chars < min_chars || chars > max_chars) {
    return "must be " + std::to_string(min_chars) + " to " + std::to_string(max_chars) +
           " characters";
  }
  return std::nullopt;
}

Result<KeyFields> ParseKeyFields(const json& body, KeyFieldsMode mode, UnixSeconds now,
                                 const std::map<std::string, RateLimit>& tiers) {
  if (!body.is_object()) {
    return Error::Validation("(body)", "must be a JSON object");
  }
  Checker c;
  KeyFields f;
  static const char* const kKnown[] = {
      "name",       "description",    "scopes",   "read_only", "enabled",
      "expires_at", "expires_in",     "ip_allow", "ip_deny",   "rate_limit",
      "tier",       "remaining_uses", "tags",     "metadata",  "owner_user_id",
      "kind",       "refill",         "org_id"};
  // A named reference rather than a structured binding: clang 14 (the fuzz build)
  // cannot capture a structured binding in a lambda.
  for (const auto& item : body.items()) {
    const std::string& k = item.key();
    if (std::none_of(std::begin(kKnown), std::end(kKnown),
                     [&](const char* n) { return k == n; })) {
      c.Fail(k, "unknown field");
    }
  }
  const bool create = mode == KeyFieldsMode::kCreate;
  if (body.contains("name")) {
    const json& v = body["name"];
    if (!v.is_string()) {
      c.Fail("name", "must be a string");
    } else if (auto err = CheckText(v.get<std::string>(), 1, 100)) {
      c.Fail("name", *err);
    } else {
      f.name = v.get<std::string>();
    }
  } else if (create) {
    c.Fail("name", "is required");
  }
  if (body.contains("description")) {
    const json& v = body["description"];
    if (v.is_null()) {
      f.description = "";
    } else if (!v.is_string()) {
      c.Fail("description", "must be a string");
    } else if (auto err = CheckText(v.get<std::string>(), 0, 1000)) {
      c.Fail("description", *err);
    } else {
      f.description = v.get<std::string>();
    }
  }
  if (body.contains("scopes")) {
    if (auto list = StringList(body["scopes"], "scopes", c)) {
      for (size_t i = 0; i < list->size(); ++i) {
        if (!core::IsValidScope((*list)[i])) {
          c.Fail("scopes[" + std::to_string(i) + "]",
                 "'" + (*list)[i] + "' is not a scope (resource:action, * allowed)");
        }
      }
      f.scopes = std::move(list);
    }
  }
  for (const char* name : {"read_only", "enabled"}) {
    if (!body.contains(name)) continue;
    if (!body[name].is_boolean()) {
      c.Fail(name, "must be a boolean");
    } else {
      (std::string_view(name) == "read_only" ? f.read_only : f.enabled) =
          body[name].get<bool>();
    }
  }
  ParseExpiry(body, mode, now, f, c);
  if (body.contains("ip_allow")) ParseIpList(body["ip_allow"], "ip_allow", f.ip_allow, c);
  if (body.contains("ip_deny")) ParseIpList(body["ip_deny"], "ip_deny", f.ip_deny, c);
  if (body.contains("rate_limit")) {
    if (body["rate_limit"].is_null()) {
      f.rate_limit = std::optional<RateLimit>();
    } else if (auto rl = ParseRateLimit(body["rate_limit"], c)) {
      f.rate_limit = std::optional<RateLimit>(*rl);
    }
  }
  if (body.contains("tier")) {
    const json& v = body["tier"];
    if (!v.is_string() || !tiers.count(v.get<std::string>())) {
      std::string names;
      for (const auto& [n, rl] : tiers) names += (names.empty() ? "" : ", ") + n;
      c.Fail("tier", "must name a configured tier (" + names + ")");
    } else {
      f.tier = v.get<std::string>();
    }
  }
  if (body.contains("remaining_uses")) {
    const json& v = body["remaining_uses"];
    if (v.is_null()) {
      f.remaining_uses = std::optional<std::int64_t>();
    } else if (!IsQuotaCount(v)) {
      c.Fail("remaining_uses", QuotaCountMessage() + ", or null");
    } else {
      f.remaining_uses = std::optional<std::int64_t>(v.get<std::int64_t>());
    }
  }
  if (body.contains("refill")) {
    if (body["refill"].is_null()) {
      f.refill = std::optional<QuotaRefill>();
    } else if (auto refill = ParseRefill(body["refill"], c)) {
      f.refill = std::optional<QuotaRefill>(*refill);
    }
  }
  if (body.contains("tags")) {
    if (auto list = StringList(body["tags"], "tags", c)) {
      for (size_t i = 0; i < list->size(); ++i) {
        if (auto err = CheckText((*list)[i], 1, kMaxTagChars)) {
          c.Fail("tags[" + std::to_string(i) + "]", *err);
        }
      }
      f.tags = std::move(list);
    }
  }
  if (body.contains("metadata")) {
    const json& v = body["metadata"];
    if (!v.is_object()) {
      c.Fail("metadata", "must be a JSON object");
    } else if (std::string dumped = v.dump(); dumped.size() > kMaxMetadataBytes) {
      c.Fail("metadata", "must be at most 4096 bytes when serialized");
    } else {
      f.metadata_json = std::move(dumped);
    }
  }
  if (body.contains("owner_user_id")) {
    const json& v = body["owner_user_id"];
    if (!create) {
      c.Fail("owner_user_id", "cannot be changed; create a new key instead");
    } else if (v.is_null()) {
      f.owner_user_id = std::optional<std::string>();
    } else if (!v.is_string()) {
      c.Fail("owner_user_id", "must be a string");
    } else {
      f.owner_user_id = std::optional<std::string>(v.get<std::string>());
    }
  }
  if (body.contains("org_id")) {
    const json& v = body["org_id"];
    if (!create) {
      c.Fail("org_id", "cannot be changed; create a new key instead");
    } else if (!v.is_string() || v.get<std::string>().empty()) {
      c.Fail("org_id", "must be an organization id");
    } else {
      f.org_id = v.get<std::string>();
    }
  }
  if (body.contains("kind")) {
    const json& v = body["kind"];
    if (!create) {
      c.Fail("kind", "cannot be changed; create a new key instead");
    } else if (v == "user") {
      f.kind = KeyKind::kUser;
    } else if (v == "org") {
      f.kind = KeyKind::kOrg;
    } else {
      c.Fail("kind", "must be \"user\" or \"org\"");
    }
  }
  if (c.failed()) return c.ToError();
  return f;
}

}  // namespace keyward::api
