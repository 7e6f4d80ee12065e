// The data directory: its layout and the secret files in it.
//
//   <data_dir>/              0700
//     keyward.db             0600  SQLite (WAL: -wal and -shm beside it, same mode)
//     pepper                 0600  32 random bytes, the BLAKE2b key for key hashes
//     bootstrap-admin.key    0600  written once, at first start
//     tls/cert.pem, key.pem  0600  self-signed, only when no certificate is configured
//
// Functions here touch the file system only; call them from one thread at start-up.
#ifndef KEYWARD_SERVICE_DATA_DIR_H_
#define KEYWARD_SERVICE_DATA_DIR_H_

#include <string>

#include "keyward/core/random.h"
#include "keyward/core/records.h"
#include "keyward/core/result.h"

namespace keyward::service {

struct DataDir {
  std::string root;
  std::string db_path() const { return root + "/keyward.db"; }
  std::string pepper_path() const { return root + "/pepper"; }
  std::string bootstrap_key_path() const { return root + "/bootstrap-admin.key"; }
  std::string tls_dir() const { return root + "/tls"; }
  std::string cert_path() const { return tls_dir() + "/cert.pem"; }
  std::string key_path() const { return tls_dir() + "/key.pem"; }
};

// Creates `dir` (and parents) with mode 0700 when missing.
Status EnsurePrivateDir(const std::string& dir);

// Reads the pepper, or creates it from `random` when the file does not exist.
// A pepper of the wrong size is an error: silently replacing it would invalidate
// every key.
Result<Digest> LoadOrCreatePepper(const std::string& path, core::RandomSource& random);

// Writes `contents` to a new file with mode 0600; fails if the file exists.
Status WriteSecretFile(const std::string& path, const std::string& contents);

bool FileExists(const std::string& path);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_DATA_DIR_H_
