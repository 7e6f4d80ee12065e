// Store::Open: the one place that maps store.url to an implementation.
#include "keyward/store/store.h"
#include "keyward/store/store_url.h"
#include "sql_store.h"

namespace keyward::store {

Result<StoreBackend> StoreBackendFor(std::string_view url) {
  if (url.empty() || url == "sqlite:") return StoreBackend::kSqlite;
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return StoreBackend::kPostgres;
  }
  return Error{ErrorKind::kInvalidArgument,
               "store.url: expected \"sqlite:\", \"postgres://...\" or "
               "\"postgresql://...\"",
               {}};
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  Result<std::unique_ptr<SqlStore>> sqlite = SqlStore::OpenSqlite(path);
  RETURN_IF_ERROR(sqlite);
  return std::unique_ptr<Store>(std::move(sqlite).value());
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& url,
                                           const std::string& sqlite_path) {
  Result<StoreBackend> backend = StoreBackendFor(url);
  RETURN_IF_ERROR(backend);
  switch (*backend) {
    case StoreBackend::kSqlite:
      return Open(sqlite_path);
    case StoreBackend::kPostgres:
      break;
  }
  Result<std::unique_ptr<SqlStore>> pg = SqlStore::OpenPostgres(url);
  RETURN_IF_ERROR(pg);
  return std::unique_ptr<Store>(std::move(pg).value());
}

}  // namespace keyward::store
