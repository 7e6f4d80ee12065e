// Which Store implementation a store.url names (contract section 7).
//
// Pure; thread-safe.
#ifndef KEYWARD_STORE_STORE_URL_H_
#define KEYWARD_STORE_STORE_URL_H_

#include <string_view>

#include "keyward/core/result.h"

namespace keyward::store {

enum class StoreBackend {
  kSqlite,    // "" or "sqlite:": the embedded file in the data dir
  kPostgres,  // "postgres://..." or "postgresql://...": a libpq connection URI
};

// kInvalidArgument for any other scheme; the message names the accepted ones and
// never repeats the URL (it may carry a password).
Result<StoreBackend> StoreBackendFor(std::string_view url);

}  // namespace keyward::store

#endif  // KEYWARD_STORE_STORE_URL_H_
