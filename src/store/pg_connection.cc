#include "pg_connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace keyward::store {
namespace {

// pg_advisory_xact_lock key held by every write transaction ("kwrt").
constexpr const char* kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(1803973236)";

// Parameter type OIDs (pg_type.h, stable across versions).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

ErrorCause CauseFor(std::string_view constraint) {
  auto has = [&](std::string_view s) {
    return constraint.find(s) != std::string_view::npos;
  };
  if (has("display_prefix")) return ErrorCause::kDuplicateDisplayPrefix;
  if (has("users_username_live")) return ErrorCause::kDuplicateUsername;
  if (has("orgs_name_live")) return ErrorCause::kDuplicateOrgName;
  if (constraint.ends_with("_id_key") || constraint.ends_with("_pkey")) {
    return ErrorCause::kDuplicateId;
  }
  return ErrorCause::kDuplicateOther;
}

ErrorKind KindFor(std::string_view state) {
  if (state == "23505") return ErrorKind::kConflict;
  if (state.starts_with("23") || state.starts_with("22")) {
    return ErrorKind::kInvalidArgument;
  }
  // Connection (08), resources (53), operator intervention (57: shutdown, statement
  // timeout), serialization failure or deadlock (40): the database cannot answer now.
  if (state.starts_with("08") || state.starts_with("53") || state.starts_with("57") ||
      state.starts_with("40")) {
    return ErrorKind::kUnavailable;
  }
  return ErrorKind::kInternal;
}

Error ResultError(pg_conn* conn, const PGresult* res, std::string_view what) {
  std::string message = "postgres: ";
  message.append(what);
  message.append(": ");
  if (res == nullptr) {
    message.append(PQerrorMessage(conn));
    return Error{
        ErrorKind::kUnavailable, std::move(message), {}, ErrorCause::kNone, true};
  }
  const char* state_field = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const std::string state = state_field != nullptr ? state_field : "";
  const char* constraint_field = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
  const std::string constraint = constraint_field != nullptr ? constraint_field : "";
  message.append(PQresultErrorMessage(res));
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (!state.empty()) message += " (SQLSTATE " + state + ")";
  ErrorKind kind = KindFor(state);
  if (state.empty() || PQstatus(conn) == CONNECTION_BAD) kind = ErrorKind::kUnavailable;
  ErrorCause cause = state == "23505" ? CauseFor(constraint) : ErrorCause::kNone;
  return Error{kind, std::move(message), {}, cause, /*internal_message=*/true};
}

void IgnoreNotice(void*, const char*) {}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PgParameters(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next = 1;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '?') {
      out += sql[i];
      continue;
    }
    out += '$';
    if (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') continue;
    out += std::to_string(next++);
  }
  return out;
}

// A statement with its parameters; runs on the first Step() and keeps the rows.
class PgStatement final : public SqlStatement {
 public:
  PgStatement(PgConnection* conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;
  ~PgStatement() override { Clear(); }

  using SqlStatement::Bind;
  SqlStatement& Bind(int index, std::int64_t value) override {
    return Set(index, std::to_string(value), kInt8Oid, 0);
  }
  SqlStatement& Bind(int index, std::string_view value) override {
    return Set(index, std::string(value), kTextOid, 0);
  }
  SqlStatement& Bind(int index, std::span<const std::uint8_t> blob) override {
    return Set(index, std::string(blob.begin(), blob.end()), kByteaOid, 1);
  }
  SqlStatement& BindNull(int index, SqlType type) override {
    Param& p = At(index);
    p.value.reset();
    p.type = type == SqlType::kInt    ? kInt8Oid
             : type == SqlType::kBlob ? kByteaOid
             : type == SqlType::kText ? kTextOid
                                      : Oid{0};  // inferred from the statement
    p.format = 0;
    return *this;
  }

  Result<bool> Step() override {
    if (result_ == nullptr) {
      Status ran = Execute();
      RETURN_IF_ERROR(ran);
    }
    ++row_;
    return row_ < PQntuples(result_);
  }

  bool IsNull(int column) const override {
    return PQgetisnull(result_, row_, column) != 0;
  }
  std::int64_t Int64(int column) const override {
    return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10);
  }
  std::string_view TextView(int column) const override {
    return std::string_view(PQgetvalue(result_, row_, column),
                            static_cast<std::size_t>(PQgetlength(result_, row_, column)));
  }
  // bytea comes back in the hex text form, "\x0a1b...".
  std::vector<std::uint8_t> Blob(int column) const override {
    const char* text = PQgetvalue(result_, row_, column);
    const std::size_t size = std::strlen(text);
    std::vector<std::uint8_t> out;
    if (size < 2 || text[0] != '\\' || text[1] != 'x') return out;
    for (std::size_t i = 2; i + 1 < size; i += 2) {
      int hi = HexValue(text[i]);
      int lo = HexValue(text[i + 1]);
      if (hi < 0 || lo < 0) return {};
      out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return out;
  }
  bool BlobInto(int column, std::span<std::uint8_t> out) const override {
    const std::string_view text = TextView(column);
    if (text.size() != 2 + 2 * out.size() || text[0] != '\\' || text[1] != 'x') {
      return false;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      const int hi = HexValue(text[2 + 2 * i]);
      const int lo = HexValue(text[3 + 2 * i]);
      if (hi < 0 || lo < 0) return false;
      out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return true;
  }

  void Reset() override {
    Clear();
    params_.clear();
  }

 private:
  struct Param {
    std::optional<std::string> value;
    Oid type = kTextOid;  // an unbound parameter is a text NULL
    int format = 0;       // 1: binary (bytea)
  };

  Param& At(int index) {
    if (static_cast<std::size_t>(index) > params_.size()) params_.resize(index);
    return params_[static_cast<std::size_t>(index) - 1];
  }
  SqlStatement& Set(int index, std::string value, Oid type, int format) {
    Param& p = At(index);
    p.value = std::move(value);
    p.type = type;
    p.format = format;
    return *this;
  }
  void Clear() {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    row_ = -1;
  }

  Status Execute() {
    Result<pg_conn*> conn = conn_->Live();
    RETURN_IF_ERROR(conn);
    std::vector<Oid> types;
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const Param& p : params_) {
      types.push_back(p.type);
      values.push_back(p.value ? p.value->data() : nullptr);
      lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
      formats.push_back(p.format);
    }
    result_ = PQexecParams(*conn, sql_.c_str(), static_cast<int>(params_.size()),
                           types.data(), values.data(), lengths.data(), formats.data(),
                           /*resultFormat=*/0);
    ExecStatusType status =
        result_ != nullptr ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Error error = ResultError(*conn, result_, "query");
      Clear();
      return error;
    }
    const char* tuples = PQcmdTuples(result_);
    conn_->SetChanges(tuples[0] != '\0' ? std::strtoll(tuples, nullptr, 10) : 0);
    row_ = -1;
    return OkStatus();
  }

  PgConnection* conn_;
  std::string sql_;
  std::vector<Param> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& url) {
  // Later keywords override earlier ones, so what the URL says wins.
  const char* keywords[] = {"connect_timeout", "options", "application_name", "dbname",
                            nullptr};
  const char* values[] = {"5",
                          "-c statement_timeout=10000 -c client_min_messages=warning",
                          "keyward", url.c_str(), nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Error::Unavailable("postgres: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host and port, never the password.
    Error error{ErrorKind::kUnavailable,
                std::string("postgres: connect: ") + PQerrorMessage(conn),
                {},
                ErrorCause::kNone,
                true};
    PQfinish(conn);
    return error;
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn, url));
}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(conn_);
}

Result<pg_conn*> PgConnection::Live() {
  if (PQstatus(conn_) == CONNECTION_OK) return conn_;
  if (in_transaction_) {
    return Error{ErrorKind::kUnavailable,
                 "postgres: connection lost in a transaction",
                 {},
                 ErrorCause::kNone,
                 true};
  }
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Error{ErrorKind::kUnavailable,
                 std::string("postgres: reconnect: ") + PQerrorMessage(conn_),
                 {},
                 ErrorCause::kNone,
                 true};
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  return conn_;
}

Result<StatementRef> PgConnection::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto statement = std::make_unique<PgStatement>(this, PgParameters(sql));
    it = cache_.emplace(sql, std::move(statement)).first;
  }
  return StatementRef(it->second.get());
}

Status PgConnection::Exec(const std::string& sql) {
  Result<pg_conn*> conn = Live();
  RETURN_IF_ERROR(conn);
  PGresult* res = PQexec(*conn, sql.c_str());
  ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Error error = ResultError(*conn, res, "exec");
    PQclear(res);
    return error;
  }
  // COMMIT of a transaction that had failed answers "ROLLBACK", not an error.
  const bool rolled_back =
      std::strcmp(PQcmdStatus(res), "ROLLBACK") == 0 && sql == "COMMIT";
  PQclear(res);
  if (rolled_back) {
    return Error{ErrorKind::kInternal,
                 "postgres: commit: the transaction had failed",
                 {},
                 ErrorCause::kNone,
                 true};
  }
  return OkStatus();
}

Status PgConnection::BeginTransaction(TxMode mode) {
  Status begun = Exec(mode == TxMode::kImmediate
                          ? kBeginWrite
                          : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!begun.ok()) {
    if (PQstatus(conn_) == CONNECTION_OK) (void)Exec("ROLLBACK");
    return begun;
  }
  in_transaction_ = true;
  return OkStatus();
}

Status PgConnection::CommitTransaction() {
  Status committed = Exec("COMMIT");
  in_transaction_ = false;
  return committed;
}

void PgConnection::RollbackTransaction() {
  in_transaction_ = false;
  if (PQstatus(conn_) == CONNECTION_OK) (void)Exec("ROLLBACK");
}

}  // namespace keyward::store
