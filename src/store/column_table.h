// Private to store/: a table's columns as data, and the SQL and bindings derived
// from it, so no statement numbers its parameters by hand.
//
// A table is an array of Column<Record>, in column order after seqno. From it:
//   SELECT list   "seqno, c1, ..., cN"           (row column i+1 is entry i)
//   INSERT        "(c1, ..., cN, change_seq) VALUES (?1, ..., ?N+1)"
//   UPDATE        "SET ci = ?i+1 ..., change_seq = ?N+1 WHERE <key> = ?1 AND ..."
// and Bind/Read walk the same array, so parameter i+1 always binds entry i. A new
// column is one entry (plus its migration).
//
// Stateless; thread-safe.
#ifndef KEYWARD_SRC_STORE_COLUMN_TABLE_H_
#define KEYWARD_SRC_STORE_COLUMN_TABLE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "keyward/core/result.h"
#include "keyward/store/sql_connection.h"

namespace keyward::store::internal {

// What an UPDATE does with a column.
enum class OnUpdate {
  kWrite,            // set from the record
  kKeep,             // never changed by an update (a separate statement moves it)
  kKey,              // the row's identity: "WHERE <column> = ?"
  kWriteOnNewEpoch,  // only when the record's quota_epoch differs from the row's
};

template <typename Record>
struct Column {
  std::string_view name;
  OnUpdate on_update;
  void (*bind)(SqlStatement& statement, int param, const Record& record);
  // Reads row column `column` into `record`; false (with `why`) when the stored
  // value is impossible (the database was edited by hand, or a bug wrote it).
  bool (*read)(const SqlStatement& row, int column, Record& record, std::string& why);
};

// The epoch column that kWriteOnNewEpoch compares with.
inline constexpr std::string_view kEpochColumn = "quota_epoch";

template <typename Record>
std::string SelectList(std::span<const Column<Record>> columns) {
  std::string out = "seqno";
  for (const Column<Record>& c : columns) out += ", " + std::string(c.name);
  return out;
}

template <typename Record>
std::string InsertSql(std::string_view table, std::span<const Column<Record>> columns) {
  std::string names, params;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names += std::string(columns[i].name) + ", ";
    params += "?" + std::to_string(i + 1) + ", ";
  }
  return "INSERT INTO " + std::string(table) + " (" + names + "change_seq) VALUES (" +
         params + "?" + std::to_string(columns.size() + 1) + ")";
}

// `condition` is ANDed to the key match, e.g. "revoked_at IS NULL".
template <typename Record>
std::string UpdateSql(std::string_view table, std::span<const Column<Record>> columns,
                      std::string_view condition) {
  std::string epoch_param, where, set;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == kEpochColumn) epoch_param = "?" + std::to_string(i + 1);
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string name(columns[i].name);
    const std::string param = "?" + std::to_string(i + 1);
    switch (columns[i].on_update) {
      case OnUpdate::kWrite:
        set += name + " = " + param + ", ";
        break;
      case OnUpdate::kWriteOnNewEpoch:
        // Under the same epoch the stored value may be newer than the caller's copy
        // (batched quota writes) and must not be rolled back.
        set += name + " = CASE WHEN " + std::string(kEpochColumn) + " = " + epoch_param +
               " THEN " + name + " ELSE " + param + " END, ";
        break;
      case OnUpdate::kKey:
        where += name + " = " + param;
        break;
      case OnUpdate::kKeep:
        break;
    }
  }
  return "UPDATE " + std::string(table) + " SET " + set + "change_seq = ?" +
         std::to_string(columns.size() + 1) + " WHERE " + where + " AND " +
         std::string(condition);
}

template <typename Record>
void BindColumns(SqlStatement& s, std::span<const Column<Record>> columns,
                 const Record& record, std::int64_t change_seq) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    columns[i].bind(s, static_cast<int>(i + 1), record);
  }
  s.Bind(static_cast<int>(columns.size() + 1), change_seq);
}

// `record` must be default-constructed: a read may leave a member as it finds it
// (a NULL rate_limit, say).
template <typename Record>
Status ReadColumnsInto(const SqlStatement& row, std::string_view table,
                       std::span<const Column<Record>> columns, Record& record) {
  std::string why;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].read(row, static_cast<int>(i + 1), record, why)) {
      return Error::Internal("store: bad value in column " + std::string(table) + "." +
                             std::string(columns[i].name) + ": " + why);
    }
  }
  return OkStatus();
}

template <typename Record>
Result<Record> ReadColumns(const SqlStatement& row, std::string_view table,
                           std::span<const Column<Record>> columns) {
  Record record;
  Status read = ReadColumnsInto(row, table, columns, record);
  RETURN_IF_ERROR(read);
  return record;
}

// ---- Column shapes shared by the tables: bind and read one record member. ----

template <typename Record, auto kMember>
void BindValue(SqlStatement& s, int param, const Record& r) {
  s.Bind(param, r.*kMember);
}
template <typename Record, auto kMember>
void BindBool(SqlStatement& s, int param, const Record& r) {
  s.Bind(param, std::int64_t{(r.*kMember) ? 1 : 0});
}
// Text is assigned from the statement's own bytes (TextView): no temporary string,
// and a member's existing buffer is reused.
template <typename Record, auto kMember>
bool ReadText(const SqlStatement& row, int column, Record& r, std::string&) {
  (r.*kMember).assign(row.TextView(column));
  return true;
}
template <typename Record, auto kMember>
bool ReadOptionalText(const SqlStatement& row, int column, Record& r, std::string&) {
  if (row.IsNull(column)) {
    (r.*kMember).reset();
  } else {
    (r.*kMember).emplace(row.TextView(column));
  }
  return true;
}
template <typename Record, auto kMember>
bool ReadInt(const SqlStatement& row, int column, Record& r, std::string&) {
  r.*kMember = row.Int64(column);
  return true;
}
template <typename Record, auto kMember>
bool ReadOptionalInt(const SqlStatement& row, int column, Record& r, std::string&) {
  r.*kMember = row.OptionalInt64(column);
  return true;
}
template <typename Record, auto kMember>
bool ReadBool(const SqlStatement& row, int column, Record& r, std::string&) {
  r.*kMember = row.Int64(column) != 0;
  return true;
}

}  // namespace keyward::store::internal

#endif  // KEYWARD_SRC_STORE_COLUMN_TABLE_H_
