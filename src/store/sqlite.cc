#include "keyward/store/sqlite.h"

#include <sqlite3.h>

#include <cctype>
#include <cstring>
#include <utility>

namespace keyward::store {
namespace {

ErrorKind KindFor(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ErrorKind::kConflict;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return ErrorKind::kInvalidArgument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return ErrorKind::kUnavailable;
    default:
      return ErrorKind::kInternal;
  }
}

// The store is the one place that knows its constraint names; callers get a cause.
// SQLite names the columns ("UNIQUE constraint failed: users.username") or, for an
// expression index, the index ("... failed: index 'users_username_live'").
ErrorCause CauseFor(int rc, std::string_view detail) {
  if (rc != SQLITE_CONSTRAINT_UNIQUE && rc != SQLITE_CONSTRAINT_PRIMARYKEY) {
    return ErrorCause::kNone;
  }
  auto has = [&](std::string_view s) { return detail.find(s) != std::string_view::npos; };
  if (has("display_prefix")) return ErrorCause::kDuplicateDisplayPrefix;
  if (has("users.username") || has("users_username_live")) {
    return ErrorCause::kDuplicateUsername;
  }
  if (has("orgs.name") || has("orgs_name_live")) return ErrorCause::kDuplicateOrgName;
  if (has(".id")) return ErrorCause::kDuplicateId;
  return ErrorCause::kDuplicateOther;
}

Error MakeError(int rc, std::string_view what, std::string_view detail) {
  std::string message = "sqlite: ";
  message.append(what);
  message.append(": ");
  message.append(detail);
  message.append(" (");
  message.append(sqlite3_errstr(rc));
  message.append(")");
  return Error{KindFor(rc),
               std::move(message),
               {},
               CauseFor(rc, detail),
               /*internal_message=*/true};
}

Error DbError(sqlite3* db, int rc, std::string_view what) {
  return MakeError(rc, what, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

bool OnlyWhitespace(const char* p) {
  for (; p != nullptr && *p != '\0'; ++p) {
    if (std::isspace(static_cast<unsigned char>(*p)) == 0) return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- Statement

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::move(other.bind_error_)),
      values_(std::move(other.values_)),
      row_columns_(std::exchange(other.row_columns_, 0)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::move(other.bind_error_);
    values_ = std::move(other.values_);
    row_columns_ = std::exchange(other.row_columns_, 0);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::RecordBindError(int rc, int index) {
  if (rc != SQLITE_OK && !bind_error_) {
    bind_error_ = DbError(db_, rc, "bind parameter " + std::to_string(index));
  }
}

SqlStatement& Statement::Bind(int index, std::int64_t value) {
  RecordBindError(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

SqlStatement& Statement::Bind(int index, std::string_view value) {
  // data() of an empty view may be null, which SQLite would store as NULL.
  const char* data = value.data() != nullptr ? value.data() : "";
  RecordBindError(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT,
                                      SQLITE_UTF8),
                  index);
  return *this;
}

SqlStatement& Statement::Bind(int index, std::span<const std::uint8_t> blob) {
  // A zero-length blob with a null pointer would bind NULL; zeroblob keeps it a blob.
  int rc = blob.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                        : sqlite3_bind_blob64(stmt_, index, blob.data(), blob.size(),
                                              SQLITE_TRANSIENT);
  RecordBindError(rc, index);
  return *this;
}

SqlStatement& Statement::BindNull(int index, SqlType /*type*/) {
  RecordBindError(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_) return *bind_error_;
  row_columns_ = 0;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    row_columns_ = sqlite3_column_count(stmt_);
    values_.assign(static_cast<std::size_t>(row_columns_), nullptr);
    return true;
  }
  if (rc == SQLITE_DONE) return false;
  return DbError(db_, rc, "step");
}

sqlite3_value* Statement::Value(int column) const {
  // Out of range (or no row): sqlite3_column_value answers with a NULL, as the
  // sqlite3_column_* getters do; it is not kept.
  if (column < 0 || column >= row_columns_) return sqlite3_column_value(stmt_, column);
  sqlite3_value*& value = values_[static_cast<std::size_t>(column)];
  if (value == nullptr) value = sqlite3_column_value(stmt_, column);
  return value;
}

bool Statement::IsNull(int column) const {
  return sqlite3_value_type(Value(column)) == SQLITE_NULL;
}

std::int64_t Statement::Int64(int column) const {
  return sqlite3_value_int64(Value(column));
}

std::string_view Statement::TextView(int column) const {
  sqlite3_value* value = Value(column);
  const unsigned char* text = sqlite3_value_text(value);
  if (text == nullptr) return {};
  // Ask for the size after the text: the conversion may change it.
  int size = sqlite3_value_bytes(value);
  return std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::vector<std::uint8_t> Statement::Blob(int column) const {
  sqlite3_value* value = Value(column);
  const void* data = sqlite3_value_blob(value);
  int size = sqlite3_value_bytes(value);
  if (data == nullptr || size <= 0) return {};
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  return std::vector<std::uint8_t>(bytes, bytes + size);
}

bool Statement::BlobInto(int column, std::span<std::uint8_t> out) const {
  sqlite3_value* value = Value(column);
  const void* data = sqlite3_value_blob(value);
  // As Blob(): a NULL or empty value is zero bytes.
  const std::size_t size =
      data == nullptr ? 0 : static_cast<std::size_t>(sqlite3_value_bytes(value));
  if (size != out.size()) return false;
  if (size > 0) std::memcpy(out.data(), data, size);
  return true;
}

void Statement::Reset() {
  row_columns_ = 0;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.reset();
}

// ---------------------------------------------------------------- Database

Result<Database> Database::Open(const std::string& path, bool create) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = DbError(raw, rc, "open " + path);
    sqlite3_close_v2(raw);
    return error;
  }
  Database db(raw);
  sqlite3_extended_result_codes(raw, 1);
  // Another process (the local CLI) may hold the write lock briefly; wait for it
  // rather than failing the admin call.
  sqlite3_busy_timeout(raw, 5000);

  {
    // Scoped so the statement is finalized before the next pragmas run.
    Result<Statement> journal = db.Prepare("PRAGMA journal_mode=WAL");
    RETURN_IF_ERROR(journal);
    Result<bool> row = journal->Step();
    RETURN_IF_ERROR(row);
    if (!*row || journal->Text(0) != "wal") {
      return Error::Unavailable("sqlite: cannot switch " + path + " to WAL mode");
    }
  }

  Status pragmas = db.Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  RETURN_IF_ERROR(pragmas);
  return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {
  other.cache_.clear();
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    other.cache_.clear();
  }
  return *this;
}

Database::~Database() { Close(); }

void Database::Close() {
  cache_.clear();  // statements must be finalized before the connection closes
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status Database::Exec(std::string_view sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return OkStatus();
  Error error = MakeError(rc, "exec", message != nullptr ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return error;
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc =
      sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, &tail);
  if (rc != SQLITE_OK) return DbError(db_, rc, "prepare");
  Statement statement(db_, stmt);
  if (stmt == nullptr) return Error::Internal("sqlite: prepare: empty statement");
  // A second statement in the text would be silently ignored; refuse it instead.
  const char* end = sql.data() + sql.size();
  if (tail != nullptr && tail < end && !OnlyWhitespace(std::string(tail, end).c_str())) {
    return Error::Internal("sqlite: prepare: more than one statement");
  }
  return statement;
}

Result<StatementRef> Database::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    Result<Statement> statement = Prepare(sql);
    RETURN_IF_ERROR(statement);
    auto owned = std::make_unique<Statement>(std::move(statement).value());
    it = cache_.emplace(sql, std::move(owned)).first;
  }
  return StatementRef(it->second.get());
}

std::int64_t Database::Changes() const { return sqlite3_changes64(db_); }

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

// ---------------------------------------------------------------- transactions

Status Database::BeginTransaction(TxMode mode) {
  Result<StatementRef> begin =
      Cached(mode == TxMode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  RETURN_IF_ERROR(begin);
  return (*begin)->Run();
}

Status Database::CommitTransaction() {
  Result<StatementRef> commit = Cached("COMMIT");
  RETURN_IF_ERROR(commit);
  return (*commit)->Run();
}

void Database::RollbackTransaction() {
  // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
  Result<StatementRef> rollback = Cached("ROLLBACK");
  if (rollback.ok()) (void)(*rollback)->Run();
}

}  // namespace keyward::store
