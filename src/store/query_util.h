// Private to store/: small templates shared by the Store method files — run a body in
// a write transaction, and read one row, all rows (collected or streamed), or a
// seqno-keyed page.
//
// Thread-safety: as for SqlConnection; callers hold SqlStore::mu_.
#ifndef KEYWARD_SRC_STORE_QUERY_UTIL_H_
#define KEYWARD_SRC_STORE_QUERY_UTIL_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "keyward/core/result.h"
#include "keyward/store/sql_connection.h"
#include "keyward/store/store_types.h"

namespace keyward::store::internal {

// Runs `body` (returning Status or Result<T>) between BEGIN IMMEDIATE and COMMIT;
// any error from it rolls everything back.
template <typename Body>
auto InWriteTransaction(SqlConnection& db, Body&& body) -> decltype(body()) {
  Result<Transaction> tx = Transaction::Begin(db, Transaction::Mode::kImmediate);
  RETURN_IF_ERROR(tx);
  auto result = body();
  if (!result.ok()) return result;
  Status committed = tx->Commit();
  RETURN_IF_ERROR(committed);
  return result;
}

// Steps once: nullopt when there is no row, else read(statement).
template <typename T, typename Read>
Result<std::optional<T>> ReadOptional(SqlStatement& statement, Read read) {
  Result<bool> row = statement.Step();
  RETURN_IF_ERROR(row);
  if (!*row) return std::optional<T>();
  Result<T> value = read(statement);
  RETURN_IF_ERROR(value);
  return std::optional<T>(std::move(value).value());
}

// Hands every row, decoded by `read`, to `each` by move, without collecting them.
template <typename T, typename Read, typename Each>
Status ForEachRow(SqlStatement& statement, Read read, const Each& each) {
  for (;;) {
    Result<bool> row = statement.Step();
    RETURN_IF_ERROR(row);
    if (!*row) return OkStatus();
    Result<T> value = read(statement);
    RETURN_IF_ERROR(value);
    each(std::move(value).value());
  }
}

template <typename T, typename Read>
Result<std::vector<T>> ReadAll(SqlStatement& statement, Read read) {
  std::vector<T> out;
  for (;;) {
    Result<bool> row = statement.Step();
    RETURN_IF_ERROR(row);
    if (!*row) return out;
    Result<T> value = read(statement);
    RETURN_IF_ERROR(value);
    out.push_back(std::move(value).value());
  }
}

// Reads a page from a statement that selected seqno as column 0, ordered by seqno,
// with LIMIT limit + 1: the extra row only tells that another page exists.
template <typename T, typename Read>
Result<Page<T>> ReadPage(SqlStatement& statement, int limit, Read read) {
  Page<T> page;
  std::int64_t last_seqno = 0;
  for (;;) {
    Result<bool> row = statement.Step();
    RETURN_IF_ERROR(row);
    if (!*row) return page;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_after = last_seqno;
      return page;
    }
    Result<T> value = read(statement);
    RETURN_IF_ERROR(value);
    page.items.push_back(std::move(value).value());
    last_seqno = statement.Int64(0);
  }
}

inline Status CheckLimit(int limit) {
  if (limit >= 1) return OkStatus();
  return Error{ErrorKind::kInvalidArgument, "store: page limit must be at least 1", {}};
}

}  // namespace keyward::store::internal

#endif  // KEYWARD_SRC_STORE_QUERY_UTIL_H_
