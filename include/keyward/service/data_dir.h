// The data directory: its layout and the secret files in it.
//
//   <data_dir>/              0700
//     keyward.db             0600  SQLite (WAL: -wal and -shm beside it, same mode)
//     pepper                 0600  32 random bytes, the BLAKE2b key for key hashes
//     bootstrap-admin.key    0600  written once, at first start
//     tls/cert.pem, key.pem  0600  self-signed, only when no certificate is configured
//     serve.lock             0600  flock()ed by the one server on this data dir
//
// Functions here touch the file system only; call them from one thread at start-up.
#ifndef KEYWARD_SERVICE_DATA_DIR_H_
#define KEYWARD_SERVICE_DATA_DIR_H_

#include <memory>
#include <string>
#include <utility>

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
  std::string lock_path() const { return root + "/serve.lock"; }
  std::string cert_path() const { return tls_dir() + "/cert.pem"; }
  std::string key_path() const { return tls_dir() + "/key.pem"; }
};

// Creates `dir` (and parents) with mode 0700 when missing; an existing `dir` whose
// mode lets group or others in is tightened to 0700 (and logged).
Status EnsurePrivateDir(const std::string& dir);

// The exclusive hold `keyward serve` keeps on its data dir for its whole life, so a
// second server cannot count quotas, rate limits and throttles beside it. An
// advisory flock(): the kernel drops it when the process dies, so a crash never
// leaves a stale lock. The local CLI does not take it.
class DataDirLock {
 public:
  // kConflict, naming the data dir and the holder's pid, when another process
  // holds it.
  static Result<std::unique_ptr<DataDirLock>> Acquire(const DataDir& dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

// Reads the pepper, or creates it from `random` when the file does not exist.
// A pepper of the wrong size is an error: silently replacing it would invalidate
// every key.
Result<Digest> LoadOrCreatePepper(const std::string& path, core::RandomSource& random);

// A new file with mode 0600, created before the secret it will hold exists (so a
// path that cannot be written is found out before a key is minted for it). Removed
// again unless Commit() succeeds.
class SecretFile {
 public:
  // Fails if the file exists or cannot be created.
  static Result<SecretFile> Create(const std::string& path);
  SecretFile(SecretFile&& other) noexcept
      : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}
  SecretFile& operator=(SecretFile&&) = delete;
  ~SecretFile();
  // Writes `contents`, syncs and closes; the file then stays.
  Status Commit(const std::string& contents);

 private:
  SecretFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

// Writes `contents` to a new file with mode 0600; fails if the file exists.
Status WriteSecretFile(const std::string& path, const std::string& contents);

bool FileExists(const std::string& path);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_DATA_DIR_H_
