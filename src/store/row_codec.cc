#include "row_codec.h"

#include <nlohmann/json.hpp>

#include "column_table.h"

namespace keyward::store::internal {
namespace {

using O = OrgRecord;
using U = UserRecord;

// deleted_at: only DeleteOrg/DeleteUser set it, with their own statement.
template <typename Record>
void BindNotDeleted(SqlStatement& s, int param, const Record&) {
  // Typed: an UPDATE leaves this parameter unused, and PostgreSQL cannot infer the
  // type of an unused one.
  s.BindNull(param, SqlType::kInt);
}
template <typename Record>
bool ReadDeleted(const SqlStatement& row, int column, Record& r, std::string&) {
  r.deleted = !row.IsNull(column);
  return true;
}

void BindRole(SqlStatement& s, int param, const U& u) { s.Bind(param, RoleName(u.role)); }
bool ReadRole(const SqlStatement& row, int column, U& u, std::string& why) {
  const std::string_view text = row.TextView(column);
  auto role = ParseRole(text);
  if (!role) {
    why = std::string(text);
    return false;
  }
  u.role = *role;
  return true;
}

void BindPermissions(SqlStatement& s, int param, const U& u) {
  s.Bind(param, EncodeStrings(u.permissions));
}
bool ReadPermissions(const SqlStatement& row, int column, U& u, std::string& why) {
  return DecodeStringsInto(row.TextView(column), u.permissions, why);
}

constexpr Column<O> kOrgTable[] = {
    {"id", OnUpdate::kKey, BindValue<O, &O::id>, ReadText<O, &O::id>},
    {"name", OnUpdate::kWrite, BindValue<O, &O::name>, ReadText<O, &O::name>},
    {"enabled", OnUpdate::kWrite, BindBool<O, &O::enabled>, ReadBool<O, &O::enabled>},
    {"api_keys_enabled", OnUpdate::kWrite, BindBool<O, &O::api_keys_enabled>,
     ReadBool<O, &O::api_keys_enabled>},
    {"created_at", OnUpdate::kKeep, BindValue<O, &O::created_at>,
     ReadInt<O, &O::created_at>},
    {"updated_at", OnUpdate::kWrite, BindValue<O, &O::updated_at>,
     ReadInt<O, &O::updated_at>},
    {"deleted_at", OnUpdate::kKeep, BindNotDeleted<O>, ReadDeleted<O>},
};

constexpr Column<U> kUserTable[] = {
    {"id", OnUpdate::kKey, BindValue<U, &U::id>, ReadText<U, &U::id>},
    {"username", OnUpdate::kWrite, BindValue<U, &U::username>, ReadText<U, &U::username>},
    {"org_id", OnUpdate::kWrite, BindValue<U, &U::org_id>, ReadText<U, &U::org_id>},
    {"role", OnUpdate::kWrite, BindRole, ReadRole},
    {"permissions", OnUpdate::kWrite, BindPermissions, ReadPermissions},
    {"enabled", OnUpdate::kWrite, BindBool<U, &U::enabled>, ReadBool<U, &U::enabled>},
    {"api_keys_enabled", OnUpdate::kWrite, BindBool<U, &U::api_keys_enabled>,
     ReadBool<U, &U::api_keys_enabled>},
    {"created_at", OnUpdate::kKeep, BindValue<U, &U::created_at>,
     ReadInt<U, &U::created_at>},
    {"updated_at", OnUpdate::kWrite, BindValue<U, &U::updated_at>,
     ReadInt<U, &U::updated_at>},
    {"deleted_at", OnUpdate::kKeep, BindNotDeleted<U>, ReadDeleted<U>},
};

constexpr std::span<const Column<O>> kOrgs(kOrgTable);
constexpr std::span<const Column<U>> kUsers(kUserTable);

}  // namespace

const std::string& OrgColumns() {
  static const std::string kSql = SelectList(kOrgs);
  return kSql;
}
const std::string& UserColumns() {
  static const std::string kSql = SelectList(kUsers);
  return kSql;
}
const std::string& InsertOrgSql() {
  static const std::string kSql = InsertSql("orgs", kOrgs);
  return kSql;
}
const std::string& InsertUserSql() {
  static const std::string kSql = InsertSql("users", kUsers);
  return kSql;
}
const std::string& UpdateOrgSql() {
  static const std::string kSql = UpdateSql("orgs", kOrgs, "deleted_at IS NULL");
  return kSql;
}
const std::string& UpdateUserSql() {
  static const std::string kSql = UpdateSql("users", kUsers, "deleted_at IS NULL");
  return kSql;
}

void BindOrg(SqlStatement& s, const OrgRecord& org, std::int64_t change_seq) {
  BindColumns(s, kOrgs, org, change_seq);
}
void BindUser(SqlStatement& s, const UserRecord& user, std::int64_t change_seq) {
  BindColumns(s, kUsers, user, change_seq);
}
Result<OrgRecord> ReadOrg(const SqlStatement& row) {
  return ReadColumns(row, "orgs", kOrgs);
}
Result<UserRecord> ReadUser(const SqlStatement& row) {
  return ReadColumns(row, "users", kUsers);
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

namespace {

// The shape EncodeStrings writes for plain values — [] or ["a","b"], printable ASCII
// without escapes — decoded without a DOM: a full load decodes three such columns
// per key. Anything else (escapes, UTF-8, spaces) is left to nlohmann; false then.
bool DecodePlainStrings(std::string_view json, std::vector<std::string>& out) {
  if (json.size() < 2 || json.front() != '[' || json.back() != ']') return false;
  out.clear();
  std::string_view rest = json.substr(1, json.size() - 2);
  if (rest.empty()) return true;
  for (;;) {
    if (rest.size() < 2 || rest.front() != '"') return false;
    std::size_t end = 1;
    while (end < rest.size() && rest[end] != '"') {
      const unsigned char c = static_cast<unsigned char>(rest[end]);
      if (c < 0x20 || c >= 0x7f || c == '\\') return false;
      ++end;
    }
    if (end == rest.size()) return false;
    out.emplace_back(rest.substr(1, end - 1));
    rest.remove_prefix(end + 1);
    if (rest.empty()) return true;
    if (rest.front() != ',') return false;
    rest.remove_prefix(1);
  }
}

}  // namespace

bool DecodeStringsInto(std::string_view json, std::vector<std::string>& out,
                       std::string& why) {
  if (DecodePlainStrings(json, out)) return true;
  nlohmann::json parsed =
      nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) {
    why = "not a JSON array";
    return false;
  }
  out.clear();
  out.reserve(parsed.size());
  for (const nlohmann::json& item : parsed) {
    if (!item.is_string()) {
      why = "array item is not a string";
      return false;
    }
    out.push_back(item.get<std::string>());
  }
  return true;
}

}  // namespace keyward::store::internal
