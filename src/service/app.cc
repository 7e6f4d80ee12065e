#include "keyward/service/app.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sodium.h>
#include <spdlog/spdlog.h>

namespace keyward::service {

App::App(const config::Config& config)
    : config_(config),
      dir_{config.data_dir},
      clock_(std::make_unique<core::SystemClock>()),
      mono_clock_(std::make_unique<core::SteadyClock>()),
      format_(config.key_prefix) {}

App::~App() = default;

Result<std::unique_ptr<App>> App::Open(const config::Config& config, IndexLoad load) {
  std::unique_ptr<App> app(new App(config));
  RETURN_IF_ERROR(EnsurePrivateDir(app->dir_.root));
  const std::string pepper_path =
      config.pepper_file.empty() ? app->dir_.pepper_path() : config.pepper_file;
  auto pepper = LoadOrCreatePepper(pepper_path, app->random_);
  RETURN_IF_ERROR(pepper);
  app->hasher_ = std::make_unique<core::Hasher>(*pepper);
  sodium_memzero(pepper->data(), pepper->size());
  auto store = store::Store::Open(config.store_url, app->dir_.db_path());
  RETURN_IF_ERROR(store);
  app->store_ = std::move(*store);
  // A shared database keeps a value derived from the pepper, never the pepper: a
  // replica with another one would write hashes no other replica can verify.
  const Digest check = app->hasher_->Hash("keyward pepper check v1");
  RETURN_IF_ERROR(app->store_->CheckPepper(check));
  app->policies_ = std::make_unique<core::KeyPolicies>(
      app->index_, core::Tiers{config.tiers, config.default_tier}, *app->clock_,
      *app->mono_clock_);
  app->verifier_ = std::make_unique<core::Verifier>(
      app->format_, *app->hasher_, app->index_, app->directory_, *app->clock_,
      app->policies_->policies());
  {
    // Replicas starting together on an empty database: one bootstraps, the others
    // wait here and then find its rows.
    auto first_start = app->store_->LockFirstStart();
    RETURN_IF_ERROR(first_start);
    RETURN_IF_ERROR(app->Bootstrap());
  }
  if (load == IndexLoad::kAtOpen) RETURN_IF_ERROR(app->SyncFromStore());
  return app;
}

Status App::SyncFromStore() {
  std::lock_guard lock(write_mu_);
  return PublishCommitted();
}

Status App::PublishCommitted() {
  // A rotation made on another replica arrives as two rows of one transaction. Met
  // here first, the old key and its successor must draw on one count, as on the
  // replica that rotated, and that count must not exceed what this replica still
  // counts for the old key: otherwise the grace period adds the successor's uses to
  // the old key's here (attack review: 15 uses of a 5-use key over two replicas).
  // Rows go from the store's cursor into the allocation the index keeps: a full load
  // never holds a second copy of every key, only the pointers, so that the index takes
  // them shard by shard (KeyIndex::UpsertAll) rather than each at a random place of a
  // 10^6-entry table. Rows of one read have distinct prefixes, so none of them hides
  // another from the rotation check's Find.
  std::vector<std::shared_ptr<const KeyRecord>> keys;
  store::ChangeSink sink;
  sink.expect_keys = [this, &keys](std::size_t n) {
    if (n > 0) index_.Reserve(index_.Size() + n);
    keys.reserve(n);
  };
  sink.org = [this](OrgRecord&& org) { Publish(org); };
  sink.user = [this](UserRecord&& user) { Publish(user); };
  sink.key = [this, &keys](std::shared_ptr<KeyRecord> key) {
    if (key->rotated_to) {
      auto known = index_.Find(key->display_prefix);
      if (known && known->id == key->id && !known->rotated_to) {
        pending_rotations_.push_back({key->display_prefix, key->id, *key->rotated_to});
      }
    }
    keys.push_back(std::move(key));
  };
  Result<std::int64_t> max_seq = store_->StreamChangesSince(synced_seq_, sink);
  // A successor that came in this read is linked before it is published: once in
  // the index it can be verified, and until linked it drew on a count of its own
  // beside the old key's (a replica admitted 10 uses of a 5-use key while the link
  // waited on a store round trip).
  std::erase_if(pending_rotations_, [&](const PendingRotation& r) {
    for (const std::shared_ptr<const KeyRecord>& key : keys) {
      if (key->id == r.successor_id) return LinkRotation(r, key);
    }
    return false;
  });
  // Also after a failed read: the rows handed over so far are published, as before.
  // Index first, as in PublishRecord.
  index_.UpsertAll(keys);
  for (const std::shared_ptr<const KeyRecord>& key : keys) policies_->Publish(key);
  RETURN_IF_ERROR(max_seq);
  LinkRotations();
  if (*max_seq > synced_seq_) synced_seq_ = *max_seq;
  ready_.store(true, std::memory_order_release);
  return OkStatus();
}

void App::LinkRotations() {
  std::erase_if(pending_rotations_, [this](PendingRotation& r) {
    auto predecessor = index_.Find(r.old_prefix);
    if (!predecessor || predecessor->id != r.old_id) return true;  // gone
    Result<KeyRecord> next = store_->GetKey(r.successor_id);
    auto successor = next.ok() ? index_.Find(next->display_prefix) : nullptr;
    if (!successor || successor->id != r.successor_id) {
      // Not here yet (or the store is away): try with the next read, for a while.
      return ++r.attempts > 1000 ||
             (!next.ok() && next.error().kind == ErrorKind::kNotFound);
    }
    return LinkRotation(r, successor);
  });
}

bool App::LinkRotation(const PendingRotation& r,
                       const std::shared_ptr<const KeyRecord>& successor) {
  auto predecessor = index_.Find(r.old_prefix);
  if (!predecessor || predecessor->id != r.old_id) return true;  // gone
  // Both keys were usable here since they were published, each on its own count:
  // what is left for the pair is the old key's count now, less the successor's
  // uses so far (its record holds the count at rotation; none before it is
  // published).
  std::optional<std::int64_t> at_most;
  const auto old_left = policies_->LiveRemaining(*predecessor);
  const auto new_left = policies_->LiveRemaining(*successor);
  if (old_left && new_left && successor->remaining_uses) {
    const std::int64_t new_used =
        std::max<std::int64_t>(0, *successor->remaining_uses - *new_left);
    at_most = std::max<std::int64_t>(0, *old_left - new_used);
  }
  policies_->table().ShareCounters(predecessor, successor, at_most);
  return true;
}

void App::Publish(const KeyRecord& key) { Publish(KeyRecord(key)); }

void App::Publish(KeyRecord&& key) {
  PublishRecord(std::make_shared<const KeyRecord>(std::move(key)));
}

void App::PublishRecord(std::shared_ptr<const KeyRecord> record) {
  // Index first: a runtime compiled meanwhile reads the index, so it is already the
  // new record (see KeyRuntimeTable).
  index_.Upsert(record);
  policies_->Publish(record);
}
void App::Publish(const UserRecord& user) { directory_.UpsertUser(user); }
void App::Publish(const OrgRecord& org) { directory_.UpsertOrg(org); }

}  // namespace keyward::service
