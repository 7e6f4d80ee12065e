#include "row_codec.h"

#include <algorithm>
#include <array>
#include <span>

#include <nlohmann/json.hpp>

namespace keyward::store::internal {
namespace {

// Column lists, seqno first: the index of a name here is both its SELECT column
// and its INSERT/UPDATE parameter number.
constexpr std::array<std::string_view, 8> kOrgColumnNames = {
    "seqno",      "id",         "name",      "enabled", "api_keys_enabled",
    "created_at", "updated_at", "deleted_at"};
constexpr std::array<std::string_view, 11> kUserColumnNames = {
    "seqno",      "id",          "username",  "org_id",
    "role",       "permissions", "enabled",   "api_keys_enabled",
    "created_at", "updated_at",  "deleted_at"};
constexpr std::array<std::string_view, 32> kKeyColumnNames = {"seqno",
                                                              "id",
                                                              "display_prefix",
                                                              "hash",
                                                              "name",
                                                              "description",
                                                              "kind",
                                                              "owner_user_id",
                                                              "org_id",
                                                              "scopes",
                                                              "read_only",
                                                              "enabled",
                                                              "expires_at",
                                                              "ip_allow",
                                                              "ip_deny",
                                                              "rate_limit",
                                                              "rate_window_seconds",
                                                              "tier",
                                                              "remaining_uses",
                                                              "tags",
                                                              "metadata",
                                                              "created_at",
                                                              "created_by",
                                                              "updated_at",
                                                              "last_used_at",
                                                              "last_used_ip",
                                                              "revoked_at",
                                                              "rotated_to",
                                                              "refill_amount",
                                                              "refill_interval",
                                                              "quota_epoch",
                                                              "quota_refilled_at"};

static_assert(kOrgColumnNames.size() == kOrgChangeSeqParam);
static_assert(kUserColumnNames.size() == kUserChangeSeqParam);
static_assert(kKeyColumnNames.size() == kKeyChangeSeqParam);

std::string Join(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string InsertSql(std::string_view table, std::span<const std::string_view> names) {
  std::span<const std::string_view> fields = names.subspan(1);  // seqno is assigned
  std::string sql = "INSERT INTO " + std::string(table) + " (" + Join(fields) +
                    ", change_seq) VALUES (";
  for (std::size_t i = 1; i <= fields.size() + 1; ++i) {
    if (i > 1) sql += ", ";
    sql += "?" + std::to_string(i);
  }
  return sql + ")";
}

std::int64_t Bool(bool value) { return value ? 1 : 0; }

Error Corrupt(std::string_view column, std::string_view why) {
  return Error::Internal("store: bad value in column " + std::string(column) + ": " +
                         std::string(why));
}

Result<Role> RoleColumn(const std::string& text) {
  if (auto role = keyward::ParseRole(text)) return *role;
  return Corrupt("users.role", text);
}

Result<RefillInterval> ParseInterval(const std::string& text) {
  if (text == "daily") return RefillInterval::kDaily;
  if (text == "monthly") return RefillInterval::kMonthly;
  return Corrupt("keys.refill_interval", text);
}

Result<KeyKind> ParseKind(const std::string& text) {
  if (text == "user") return KeyKind::kUser;
  if (text == "org") return KeyKind::kOrg;
  return Corrupt("keys.kind", text);
}

}  // namespace

const std::string& OrgColumns() {
  static const std::string kSql = Join(kOrgColumnNames);
  return kSql;
}
const std::string& UserColumns() {
  static const std::string kSql = Join(kUserColumnNames);
  return kSql;
}
const std::string& KeyColumns() {
  static const std::string kSql = Join(kKeyColumnNames);
  return kSql;
}

const std::string& InsertOrgSql() {
  static const std::string kSql = InsertSql("orgs", kOrgColumnNames);
  return kSql;
}
const std::string& InsertUserSql() {
  static const std::string kSql = InsertSql("users", kUserColumnNames);
  return kSql;
}
const std::string& InsertKeySql() {
  static const std::string kSql = InsertSql("keys", kKeyColumnNames);
  return kSql;
}

std::string_view IntervalName(RefillInterval interval) {
  return interval == RefillInterval::kMonthly ? "monthly" : "daily";
}

std::string EncodeStrings(const std::vector<std::string>& values) {
  // Replace, not throw, on invalid UTF-8: a write must not fail on a stray byte that
  // the api layer let through, and the stored value must stay valid JSON.
  return nlohmann::json(values).dump(-1, ' ', false,
                                     nlohmann::json::error_handler_t::replace);
}

Result<std::vector<std::string>> DecodeStrings(const std::string& json,
                                               std::string_view column) {
  nlohmann::json parsed =
      nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Corrupt(column, "not a JSON array");
  std::vector<std::string> out;
  out.reserve(parsed.size());
  for (const nlohmann::json& item : parsed) {
    if (!item.is_string()) return Corrupt(column, "array item is not a string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

void BindOrg(Statement& s, const OrgRecord& org, std::int64_t change_seq) {
  s.Bind(1, org.id)
      .Bind(2, org.name)
      .Bind(3, Bool(org.enabled))
      .Bind(4, Bool(org.api_keys_enabled))
      .Bind(5, org.created_at)
      .Bind(6, org.updated_at)
      .Bind(7, nullptr)  // deleted_at: only DeleteOrg sets it
      .Bind(kOrgChangeSeqParam, change_seq);
}

void BindUser(Statement& s, const UserRecord& user, std::int64_t change_seq) {
  s.Bind(1, user.id)
      .Bind(2, user.username)
      .Bind(3, user.org_id)
      .Bind(4, RoleName(user.role))
      .Bind(5, EncodeStrings(user.permissions))
      .Bind(6, Bool(user.enabled))
      .Bind(7, Bool(user.api_keys_enabled))
      .Bind(8, user.created_at)
      .Bind(9, user.updated_at)
      .Bind(10, nullptr)  // deleted_at: only DeleteUser sets it
      .Bind(kUserChangeSeqParam, change_seq);
}

void BindKey(Statement& s, const KeyRecord& key, std::int64_t change_seq) {
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> window;
  if (key.rate_limit) {
    limit = key.rate_limit->limit;
    window = key.rate_limit->window_seconds;
  }
  std::optional<std::int64_t> refill_amount;
  std::optional<std::string> refill_interval;
  if (key.refill) {
    refill_amount = key.refill->amount;
    refill_interval = std::string(IntervalName(key.refill->interval));
  }
  s.Bind(1, key.id)
      .Bind(2, key.display_prefix)
      .Bind(3, std::span<const std::uint8_t>(key.hash))
      .Bind(4, key.name)
      .Bind(5, key.description)
      .Bind(6, KindName(key.kind))
      .Bind(7, key.owner_user_id)
      .Bind(8, key.org_id)
      .Bind(9, EncodeStrings(key.scopes))
      .Bind(10, Bool(key.read_only))
      .Bind(11, Bool(key.enabled))
      .Bind(12, key.expires_at)
      .Bind(13, EncodeStrings(key.ip_allow))
      .Bind(14, EncodeStrings(key.ip_deny))
      .Bind(15, limit)
      .Bind(16, window)
      .Bind(17, key.tier)
      .Bind(18, key.remaining_uses)
      .Bind(19, EncodeStrings(key.tags))
      .Bind(20, key.metadata_json)
      .Bind(21, key.created_at)
      .Bind(22, key.created_by)
      .Bind(23, key.updated_at)
      .Bind(24, key.last_used_at)
      .Bind(25, key.last_used_ip)
      .Bind(26, key.revoked_at)
      .Bind(27, key.rotated_to)
      .Bind(28, refill_amount)
      .Bind(29, refill_interval)
      .Bind(30, key.quota_epoch)
      .Bind(31, key.quota_refilled_at)
      .Bind(kKeyChangeSeqParam, change_seq);
}

Result<OrgRecord> ReadOrg(const Statement& r) {
  OrgRecord org;
  org.id = r.Text(1);
  org.name = r.Text(2);
  org.enabled = r.Int64(3) != 0;
  org.api_keys_enabled = r.Int64(4) != 0;
  org.created_at = r.Int64(5);
  org.updated_at = r.Int64(6);
  org.deleted = !r.IsNull(7);
  return org;
}

Result<UserRecord> ReadUser(const Statement& r) {
  UserRecord user;
  user.id = r.Text(1);
  user.username = r.Text(2);
  user.org_id = r.Text(3);
  Result<Role> role = RoleColumn(r.Text(4));
  RETURN_IF_ERROR(role);
  user.role = *role;
  Result<std::vector<std::string>> permissions =
      DecodeStrings(r.Text(5), "users.permissions");
  RETURN_IF_ERROR(permissions);
  user.permissions = std::move(permissions).value();
  user.enabled = r.Int64(6) != 0;
  user.api_keys_enabled = r.Int64(7) != 0;
  user.created_at = r.Int64(8);
  user.updated_at = r.Int64(9);
  user.deleted = !r.IsNull(10);
  return user;
}

Result<KeyRecord> ReadKey(const Statement& r) {
  KeyRecord key;
  key.id = r.Text(1);
  key.display_prefix = r.Text(2);
  std::vector<std::uint8_t> hash = r.Blob(3);
  if (hash.size() != key.hash.size()) return Corrupt("keys.hash", "not 32 bytes");
  std::copy(hash.begin(), hash.end(), key.hash.begin());
  key.name = r.Text(4);
  key.description = r.Text(5);
  Result<KeyKind> kind = ParseKind(r.Text(6));
  RETURN_IF_ERROR(kind);
  key.kind = *kind;
  key.owner_user_id = r.OptionalText(7);
  key.org_id = r.Text(8);
  // The four JSON list columns, in column order.
  struct ListColumn {
    int column;
    std::string_view name;
    std::vector<std::string>* out;
  };
  const ListColumn lists[] = {{9, "keys.scopes", &key.scopes},
                              {13, "keys.ip_allow", &key.ip_allow},
                              {14, "keys.ip_deny", &key.ip_deny},
                              {19, "keys.tags", &key.tags}};
  for (const ListColumn& list : lists) {
    Result<std::vector<std::string>> values =
        DecodeStrings(r.Text(list.column), list.name);
    RETURN_IF_ERROR(values);
    *list.out = std::move(values).value();
  }
  key.read_only = r.Int64(10) != 0;
  key.enabled = r.Int64(11) != 0;
  key.expires_at = r.OptionalInt64(12);
  if (!r.IsNull(15)) key.rate_limit = RateLimit{r.Int64(15), r.Int64(16)};
  key.tier = r.Text(17);
  key.remaining_uses = r.OptionalInt64(18);
  key.metadata_json = r.Text(20);
  key.created_at = r.Int64(21);
  key.created_by = r.Text(22);
  key.updated_at = r.Int64(23);
  key.last_used_at = r.OptionalInt64(24);
  key.last_used_ip = r.OptionalText(25);
  key.revoked_at = r.OptionalInt64(26);
  key.rotated_to = r.OptionalText(27);
  if (r.IsNull(28) != r.IsNull(29)) {
    return Corrupt("keys.refill_amount", "set without refill_interval or the reverse");
  }
  if (!r.IsNull(28)) {
    Result<RefillInterval> interval = ParseInterval(r.Text(29));
    RETURN_IF_ERROR(interval);
    key.refill = QuotaRefill{r.Int64(28), *interval};
  }
  key.quota_epoch = r.Int64(30);
  key.quota_refilled_at = r.OptionalInt64(31);
  return key;
}

}  // namespace keyward::store::internal
