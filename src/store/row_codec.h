// Private to store/: how OrgRecord, UserRecord and KeyRecord map to table rows.
//
// Each table's columns are one array of Column entries (column_table.h; the keys
// table is in key_columns.cc, orgs and users in row_codec.cc). The SELECT list, the
// INSERT and UPDATE statements and the bind order are all generated from it: parameter
// ?N binds the field that column N holds, and the last parameter is change_seq.
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
#include "keyward/store/sql_connection.h"

namespace keyward::store::internal {

// "seqno, id, ..." for SELECT; callers prefix nothing, so use them with one table.
const std::string& OrgColumns();
const std::string& UserColumns();
const std::string& KeyColumns();

// "INSERT INTO <table> (...) VALUES (?1, ..., ?N)" with change_seq last.
const std::string& InsertOrgSql();
const std::string& InsertUserSql();
const std::string& InsertKeySql();

// "UPDATE <table> SET ... WHERE id = ?1 AND <still live>", bound like the INSERT.
// Orgs and users: not when deleted; created_at and deleted_at stay. Keys: not when
// revoked; display_prefix, hash, created_at/by and last-used stay, and the quota
// count only moves with a new quota_epoch.
const std::string& UpdateOrgSql();
const std::string& UpdateUserSql();
const std::string& UpdateKeySql();

void BindOrg(SqlStatement& statement, const OrgRecord& org, std::int64_t change_seq);
void BindUser(SqlStatement& statement, const UserRecord& user, std::int64_t change_seq);
void BindKey(SqlStatement& statement, const KeyRecord& key, std::int64_t change_seq);

// Decode the current row, selected with the matching *Columns() list.
Result<OrgRecord> ReadOrg(const SqlStatement& row);
Result<UserRecord> ReadUser(const SqlStatement& row);
Result<KeyRecord> ReadKey(const SqlStatement& row);
// Into a default-constructed `key`, for a caller that allocated it already.
Status ReadKeyInto(const SqlStatement& row, KeyRecord& key);

std::string_view IntervalName(RefillInterval interval);

// JSON array of strings <-> vector. A stored value that is not such an array is
// false with `why` (the database was edited by hand, or a bug wrote it).
std::string EncodeStrings(const std::vector<std::string>& values);
bool DecodeStringsInto(std::string_view json, std::vector<std::string>& out,
                       std::string& why);

}  // namespace keyward::store::internal

#endif  // KEYWARD_SRC_STORE_ROW_CODEC_H_
