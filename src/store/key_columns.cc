// The keys table, one entry per column (column_table.h). The service's key field
// table (service/key_schema.h) names these columns; tests/service/key_schema_test.cc
// round-trips a record with every field set through both.
#include "column_table.h"
#include "row_codec.h"

namespace keyward::store::internal {
namespace {

using K = KeyRecord;

void BindHash(SqlStatement& s, int param, const K& k) {
  s.Bind(param, std::span<const std::uint8_t>(k.hash));
}
// Straight into the record: no std::vector per key on a full load.
bool ReadHash(const SqlStatement& row, int column, K& k, std::string& why) {
  if (!row.BlobInto(column, k.hash)) {
    why = "not 32 bytes";
    return false;
  }
  return true;
}

void BindKind(SqlStatement& s, int param, const K& k) { s.Bind(param, KindName(k.kind)); }
bool ReadKind(const SqlStatement& row, int column, K& k, std::string& why) {
  const std::string_view text = row.TextView(column);
  if (text == "user") {
    k.kind = KeyKind::kUser;
  } else if (text == "org") {
    k.kind = KeyKind::kOrg;
  } else {
    why = std::string(text);
    return false;
  }
  return true;
}

// Sets of strings, stored as JSON arrays.
template <auto kMember>
void BindList(SqlStatement& s, int param, const K& k) {
  s.Bind(param, EncodeStrings(k.*kMember));
}
template <auto kMember>
bool ReadList(const SqlStatement& row, int column, K& k, std::string& why) {
  return DecodeStringsInto(row.TextView(column), k.*kMember, why);
}

// rate_limit is two columns, both NULL without a per-key limit; the window column
// follows the limit column, so it completes what that one started.
void BindRateLimit(SqlStatement& s, int param, const K& k) {
  s.Bind(param,
         k.rate_limit ? std::optional<std::int64_t>(k.rate_limit->limit) : std::nullopt);
}
bool ReadRateLimit(const SqlStatement& row, int column, K& k, std::string&) {
  if (!row.IsNull(column)) k.rate_limit = RateLimit{row.Int64(column), 0};
  return true;
}
void BindRateWindow(SqlStatement& s, int param, const K& k) {
  s.Bind(param, k.rate_limit ? std::optional<std::int64_t>(k.rate_limit->window_seconds)
                             : std::nullopt);
}
bool ReadRateWindow(const SqlStatement& row, int column, K& k, std::string&) {
  if (k.rate_limit) k.rate_limit->window_seconds = row.Int64(column);
  return true;
}

// refill likewise: amount, then interval; both or neither.
void BindRefillAmount(SqlStatement& s, int param, const K& k) {
  s.Bind(param, k.refill ? std::optional<std::int64_t>(k.refill->amount) : std::nullopt);
}
bool ReadRefillAmount(const SqlStatement& row, int column, K& k, std::string&) {
  if (!row.IsNull(column)) k.refill = QuotaRefill{row.Int64(column)};
  return true;
}
void BindRefillInterval(SqlStatement& s, int param, const K& k) {
  s.Bind(param, k.refill ? std::optional<std::string>(IntervalName(k.refill->interval))
                         : std::nullopt);
}
bool ReadRefillInterval(const SqlStatement& row, int column, K& k, std::string& why) {
  if (row.IsNull(column) != !k.refill) {
    why = "set without refill_amount or the reverse";
    return false;
  }
  if (!k.refill) return true;
  const std::string_view text = row.TextView(column);
  if (text == "daily") {
    k.refill->interval = RefillInterval::kDaily;
  } else if (text == "monthly") {
    k.refill->interval = RefillInterval::kMonthly;
  } else {
    why = std::string(text);
    return false;
  }
  return true;
}

constexpr Column<K> kKeyTable[] = {
    {"id", OnUpdate::kKey, BindValue<K, &K::id>, ReadText<K, &K::id>},
    {"display_prefix", OnUpdate::kKeep, BindValue<K, &K::display_prefix>,
     ReadText<K, &K::display_prefix>},
    {"hash", OnUpdate::kKeep, BindHash, ReadHash},
    {"name", OnUpdate::kWrite, BindValue<K, &K::name>, ReadText<K, &K::name>},
    {"description", OnUpdate::kWrite, BindValue<K, &K::description>,
     ReadText<K, &K::description>},
    {"kind", OnUpdate::kWrite, BindKind, ReadKind},
    {"owner_user_id", OnUpdate::kWrite, BindValue<K, &K::owner_user_id>,
     ReadOptionalText<K, &K::owner_user_id>},
    {"org_id", OnUpdate::kWrite, BindValue<K, &K::org_id>, ReadText<K, &K::org_id>},
    {"scopes", OnUpdate::kWrite, BindList<&K::scopes>, ReadList<&K::scopes>},
    {"read_only", OnUpdate::kWrite, BindBool<K, &K::read_only>,
     ReadBool<K, &K::read_only>},
    {"enabled", OnUpdate::kWrite, BindBool<K, &K::enabled>, ReadBool<K, &K::enabled>},
    {"expires_at", OnUpdate::kWrite, BindValue<K, &K::expires_at>,
     ReadOptionalInt<K, &K::expires_at>},
    {"ip_allow", OnUpdate::kWrite, BindList<&K::ip_allow>, ReadList<&K::ip_allow>},
    {"ip_deny", OnUpdate::kWrite, BindList<&K::ip_deny>, ReadList<&K::ip_deny>},
    {"rate_limit", OnUpdate::kWrite, BindRateLimit, ReadRateLimit},
    {"rate_window_seconds", OnUpdate::kWrite, BindRateWindow, ReadRateWindow},
    {"tier", OnUpdate::kWrite, BindValue<K, &K::tier>, ReadText<K, &K::tier>},
    {"remaining_uses", OnUpdate::kWriteOnNewEpoch, BindValue<K, &K::remaining_uses>,
     ReadOptionalInt<K, &K::remaining_uses>},
    {"tags", OnUpdate::kWrite, BindList<&K::tags>, ReadList<&K::tags>},
    {"metadata", OnUpdate::kWrite, BindValue<K, &K::metadata_json>,
     ReadText<K, &K::metadata_json>},
    {"created_at", OnUpdate::kKeep, BindValue<K, &K::created_at>,
     ReadInt<K, &K::created_at>},
    {"created_by", OnUpdate::kKeep, BindValue<K, &K::created_by>,
     ReadText<K, &K::created_by>},
    {"updated_at", OnUpdate::kWrite, BindValue<K, &K::updated_at>,
     ReadInt<K, &K::updated_at>},
    // Only ApplyUsage moves these forward.
    {"last_used_at", OnUpdate::kKeep, BindValue<K, &K::last_used_at>,
     ReadOptionalInt<K, &K::last_used_at>},
    {"last_used_ip", OnUpdate::kKeep, BindValue<K, &K::last_used_ip>,
     ReadOptionalText<K, &K::last_used_ip>},
    {"revoked_at", OnUpdate::kWrite, BindValue<K, &K::revoked_at>,
     ReadOptionalInt<K, &K::revoked_at>},
    {"rotated_to", OnUpdate::kWrite, BindValue<K, &K::rotated_to>,
     ReadOptionalText<K, &K::rotated_to>},
    {"refill_amount", OnUpdate::kWrite, BindRefillAmount, ReadRefillAmount},
    {"refill_interval", OnUpdate::kWrite, BindRefillInterval, ReadRefillInterval},
    {"quota_epoch", OnUpdate::kWrite, BindValue<K, &K::quota_epoch>,
     ReadInt<K, &K::quota_epoch>},
    {"quota_refilled_at", OnUpdate::kWriteOnNewEpoch, BindValue<K, &K::quota_refilled_at>,
     ReadOptionalInt<K, &K::quota_refilled_at>},
};

constexpr std::span<const Column<K>> kKeys(kKeyTable);

}  // namespace

const std::string& KeyColumns() {
  static const std::string kSql = SelectList(kKeys);
  return kSql;
}
const std::string& InsertKeySql() {
  static const std::string kSql = InsertSql("keys", kKeys);
  return kSql;
}
// "revoked_at IS NULL" makes revocation final even against a racing update.
const std::string& UpdateKeySql() {
  static const std::string kSql = UpdateSql("keys", kKeys, "revoked_at IS NULL");
  return kSql;
}
void BindKey(SqlStatement& s, const KeyRecord& key, std::int64_t change_seq) {
  BindColumns(s, kKeys, key, change_seq);
}
Result<KeyRecord> ReadKey(const SqlStatement& row) {
  return ReadColumns(row, "keys", kKeys);
}
Status ReadKeyInto(const SqlStatement& row, KeyRecord& key) {
  return ReadColumnsInto(row, "keys", kKeys, key);
}

}  // namespace keyward::store::internal
