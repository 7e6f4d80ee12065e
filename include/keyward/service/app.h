// App: the state one keyward process works on — the data directory, the store, the
// in-memory index and directory, and the verifier — built from one Config.
//
// The server and the local CLI both open an App, so `keyward keys create` runs the
// very code the REST API runs. Thread-safety: accessors may be used from any
// thread; every store write that must be mirrored in memory happens under
// write_mutex(), which SyncFromStore() also holds, so a poll of the store can never
// re-publish a row older than one a request thread just wrote.
#ifndef KEYWARD_SERVICE_APP_H_
#define KEYWARD_SERVICE_APP_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "keyward/config/config.h"
#include "keyward/core/clock.h"
#include "keyward/core/hasher.h"
#include "keyward/core/key_format.h"
#include "keyward/core/key_index.h"
#include "keyward/core/key_policies.h"
#include "keyward/core/monotonic_clock.h"
#include "keyward/core/principal_directory.h"
#include "keyward/core/random.h"
#include "keyward/core/verifier.h"
#include "keyward/service/data_dir.h"
#include "keyward/store/store.h"

namespace keyward::service {

// When Open loads the store's keys, users and orgs into memory.
enum class IndexLoad {
  kAtOpen,    // before Open returns: the CLI, which acts at once
  kDeferred,  // by the first SyncFromStore: the server, which listens meanwhile
};

class App {
 public:
  // Creates the data dir, pepper and database when missing, applies migrations,
  // performs first-start bootstrap (org "default", user "admin", the bootstrap key
  // file), and (with kAtOpen) loads every key, user and org into memory.
  static Result<std::unique_ptr<App>> Open(const config::Config& config,
                                           IndexLoad load = IndexLoad::kAtOpen);

  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Applies rows that another process (the local CLI) committed since the last call.
  // The first successful call is the full load and makes ready() true.
  Status SyncFromStore();

  // True once the index holds every row committed before some SyncFromStore began:
  // until then a verification could refuse a valid key, so the server answers 503.
  bool ready() const { return ready_.load(std::memory_order_acquire); }

  // Publishes every row committed to the store since the last sync, this process's
  // and others' alike: for writes that change many rows in one transaction
  // (deleting a user revokes their keys). Call with write_mutex() held.
  Status PublishCommitted();

  // Publishes records this process just committed. Call with write_mutex() held.
  void Publish(const KeyRecord& key);
  void Publish(KeyRecord&& key);  // the same, without copying the record
  void Publish(const UserRecord& user);
  void Publish(const OrgRecord& org);

  const config::Config& config() const { return config_; }
  const DataDir& data_dir() const { return dir_; }
  store::Store& store() { return *store_; }
  const core::KeyIndex& index() const { return index_; }
  const core::PrincipalDirectory& directory() const { return directory_; }
  const core::Verifier& verifier() const { return *verifier_; }
  const core::KeyFormat& format() const { return format_; }
  const core::Hasher& hasher() const { return *hasher_; }
  const core::Clock& clock() const { return *clock_; }
  const core::MonotonicClock& mono_clock() const { return *mono_clock_; }
  // IP lists, rate limits and quotas: the verifier's policies and their live state.
  core::KeyPolicies& policies() { return *policies_; }
  const core::KeyPolicies& policies() const { return *policies_; }
  core::RandomSource& random() { return random_; }
  std::mutex& write_mutex() { return write_mu_; }

  // True when this Open created the data dir's bootstrap key file.
  bool wrote_bootstrap_key() const { return wrote_bootstrap_key_; }

 private:
  // Links the pending rotations whose two keys are both in the index. write_mu_ held.
  void LinkRotations();
  // Publish(KeyRecord&&) once the record is allocated. write_mu_ held.
  void PublishRecord(std::shared_ptr<const KeyRecord> record);
  explicit App(const config::Config& config);
  Status Bootstrap();

  config::Config config_;
  DataDir dir_;
  core::SodiumRandom random_;
  std::unique_ptr<core::Clock> clock_;
  std::unique_ptr<core::MonotonicClock> mono_clock_;
  core::KeyFormat format_;
  std::unique_ptr<core::Hasher> hasher_;
  std::unique_ptr<store::Store> store_;
  core::KeyIndex index_;
  core::PrincipalDirectory directory_;
  std::unique_ptr<core::KeyPolicies> policies_;
  std::unique_ptr<core::Verifier> verifier_;
  std::mutex write_mu_;
  std::int64_t synced_seq_ = 0;
  // Rotations learnt from the change feed whose old key and successor are not yet
  // linked to one count (PublishCommitted): kept until both are in the index, since
  // the two rows may reach this replica in different reads. Guarded by write_mu_.
  struct PendingRotation {
    std::string old_prefix, old_id, successor_id;
    int attempts = 0;
  };
  std::vector<PendingRotation> pending_rotations_;
  // Makes `r`'s old key draw on its successor's counters; true when done (or the
  // old key is gone).
  bool LinkRotation(const PendingRotation& r,
                    const std::shared_ptr<const KeyRecord>& successor);
  std::atomic<bool> ready_{false};
  bool wrote_bootstrap_key_ = false;
};

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_APP_H_
