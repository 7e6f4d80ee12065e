// Applies schema migrations to a Database and tracks them in PRAGMA user_version.
//
// user_version counts the migrations applied so far: migration i (0-based, in the
// order given) is applied when user_version <= i. Each one runs in its own
// BEGIN IMMEDIATE transaction that also sets user_version, so a crash or a failing
// migration leaves the database at the previous version, and two processes starting
// at once (server and CLI) apply each migration exactly once.
//
// Thread-safety: as for Database (one thread at a time per connection).
#ifndef KEYWARD_STORE_MIGRATOR_H_
#define KEYWARD_STORE_MIGRATOR_H_

#include <cstdint>
#include <vector>

#include "keyward/core/result.h"
#include "keyward/store/migrations.h"
#include "keyward/store/sqlite.h"

namespace keyward::store {

// Brings `db` up to date with `migrations`. Errors: kInternal when the database's
// user_version is newer than `migrations` knows (a newer binary wrote it: refusing
// is safer than running old code on a new schema) or when a migration's SQL fails;
// kUnavailable when the database is locked or unwritable.
Status ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

// The schema version stored in the database (PRAGMA user_version).
Result<std::int64_t> SchemaVersion(Database& db);

}  // namespace keyward::store

#endif  // KEYWARD_STORE_MIGRATOR_H_
