// Private to store/: how OrgRecord, UserRecord and KeyRecord map to table rows.
//
// Each table has one column list used by every SELECT (seqno first, then the record's
// fields) and one parameter layout used by both INSERT and UPDATE: parameter ?N binds
// the field that column N holds, and the last parameter is change_seq. Keeping the two
// aligned means a new column is added in exactly one place per table.
//
// Stateless functions: thread-safe.
#ifndef KEYWARD_SRC_STORE_ROW_CODEC_H_
#define KEYWARD_SRC_STORE_ROW_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/core/records.h"
#include "keyward/core/result.h"
#include "keyward/store/sqlite.h"

namespace keyward::store::internal {

// "seqno, id, ..." for SELECT; callers prefix nothing, so use them with one table.
const std::string& OrgColumns();
const std::string& UserColumns();
const std::string& KeyColumns();

// "INSERT INTO <table> (...) VALUES (?1, ..., ?N)" with change_seq last.
const std::string& InsertOrgSql();
const std::string& InsertUserSql();
const std::string& InsertKeySql();

// Parameter number of change_seq in the INSERT/UPDATE layouts above.
inline constexpr int kOrgChangeSeqParam = 8;
inline constexpr int kUserChangeSeqParam = 11;
inline constexpr int kKeyChangeSeqParam = 32;

void BindOrg(Statement& statement, const OrgRecord& org, std::int64_t change_seq);
void BindUser(Statement& statement, const UserRecord& user, std::int64_t change_seq);
void BindKey(Statement& statement, const KeyRecord& key, std::int64_t change_seq);

// Decode the current row, selected with the matching *Columns() list.
Result<OrgRecord> ReadOrg(const Statement& row);
Result<UserRecord> ReadUser(const Statement& row);
Result<KeyRecord> ReadKey(const Statement& row);

std::string_view IntervalName(RefillInterval interval);

// JSON array of strings <-> vector. A stored value that is not such an array is
// kInternal (the database was edited by hand, or a bug wrote it).
std::string EncodeStrings(const std::vector<std::string>& values);
Result<std::vector<std::string>> DecodeStrings(const std::string& json,
                                               std::string_view column);

}  // namespace keyward::store::internal

#endif  // KEYWARD_SRC_STORE_ROW_CODEC_H_
