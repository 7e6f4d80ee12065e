#include "keyward/service/app.h"

#include <map>
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

Result<std::unique_ptr<App>> App::Open(const config::Config& config) {
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
  RETURN_IF_ERROR(app->SyncFromStore());
  // Never the URL itself: it may carry a password.
  const bool sqlite = config.store_url.empty() || config.store_url == "sqlite:";
  spdlog::info("loaded {} keys from {}", app->index_.Size(),
               sqlite ? app->dir_.db_path() : std::string("PostgreSQL (store.url)"));
  return app;
}

Status App::SyncFromStore() {
  std::lock_guard lock(write_mu_);
  return PublishCommitted();
}

Status App::PublishCommitted() {
  auto changes = store_->ChangesSince(synced_seq_);
  RETURN_IF_ERROR(changes);
  return ApplyChanges(*changes);
}

Status App::ApplyChanges(const store::ChangeSet& changes) {
  if (changes.keys.size() > index_.Size()) index_.Reserve(changes.keys.size());
  for (const auto& org : changes.orgs) Publish(org);
  for (const auto& user : changes.users) Publish(user);
  // A rotation made on another replica: its key and successor arrive together (one
  // transaction). Seen here first, the two must draw on one count as they do on the
  // replica that rotated, and that count must not exceed what this replica still
  // counts for the old key: otherwise the grace period adds the successor's uses to
  // the old key's here (attack review: 15 uses of a 5-use key over two replicas).
  std::vector<std::pair<const KeyRecord*, const KeyRecord*>> rotations;
  std::map<const KeyRecord*, std::int64_t> lowered;  // successor -> live count here
  for (const auto& key : changes.keys) {
    if (!key.rotated_to) continue;
    const auto known = index_.Find(key.display_prefix);
    if (!known || known->id != key.id || known->rotated_to) continue;  // new or linked
    for (const auto& next : changes.keys) {
      if (next.id != *key.rotated_to) continue;
      rotations.emplace_back(&key, &next);
      const auto live = policies_->LiveRemaining(*known);
      if (live && next.remaining_uses && *live < *next.remaining_uses)
        lowered[&next] = *live;
    }
  }
  for (const auto& key : changes.keys) {
    const auto it = lowered.find(&key);
    if (it == lowered.end()) {
      Publish(key);
      continue;
    }
    KeyRecord successor = key;
    successor.remaining_uses = it->second;
    Publish(successor);
  }
  for (const auto& [old_key, next] : rotations) {
    auto predecessor = index_.Find(old_key->display_prefix);
    auto successor = index_.Find(next->display_prefix);
    if (predecessor && successor && predecessor->id == old_key->id &&
        successor->id == next->id) {
      policies_->table().ShareCounters(predecessor, successor);
    }
  }
  if (changes.max_seq > synced_seq_) synced_seq_ = changes.max_seq;
  return OkStatus();
}

void App::Publish(const KeyRecord& key) {
  auto record = std::make_shared<const KeyRecord>(key);
  // Index first: a runtime compiled meanwhile reads the index, so it is already the
  // new record (see KeyRuntimeTable).
  index_.Upsert(record);
  policies_->Publish(record);
}
void App::Publish(const UserRecord& user) { directory_.UpsertUser(user); }
void App::Publish(const OrgRecord& org) { directory_.UpsertOrg(org); }

}  // namespace keyward::service
