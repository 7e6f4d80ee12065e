// Schema migrations: migrations/NNNN_name.sql (SQLite) and migrations/postgres/
// NNNN_name.sql (PostgreSQL, the same changes in its dialect, the same numbers),
// compiled into the binary by CMake.
//
// Migrations are append-only. They are applied in name order, each in its own
// transaction; the number applied is kept in PRAGMA user_version (SQLite) or the
// keyward_schema table (PostgreSQL).
#ifndef KEYWARD_STORE_MIGRATIONS_H_
#define KEYWARD_STORE_MIGRATIONS_H_

#include <string_view>
#include <vector>

namespace keyward::store {

struct Migration {
  std::string_view name;  // file name, e.g. "0001_init.sql"
  std::string_view sql;   // the whole file
};

// Every migration shipped with this binary, sorted by name. Defined in a file that
// CMake generates from migrations/*.sql.
const std::vector<Migration>& EmbeddedMigrations();
// The same for PostgreSQL.
const std::vector<Migration>& EmbeddedPostgresMigrations();

}  // namespace keyward::store

#endif  // KEYWARD_STORE_MIGRATIONS_H_
