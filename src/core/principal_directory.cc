#include "keyward/core/principal_directory.h"

#include <mutex>
#include <utility>

namespace keyward::core {
namespace {

template <typename T, typename MapT>
void Upsert(std::shared_mutex& mutex, MapT& map, T record) {
  auto shared = std::make_shared<const T>(std::move(record));
  std::string key = shared->id;
  std::shared_ptr<const T> replaced;  // released after the lock is dropped
  std::unique_lock lock(mutex);
  auto [it, inserted] = map.try_emplace(std::move(key), nullptr);
  replaced = std::exchange(it->second, std::move(shared));
  lock.unlock();
}

template <typename MapT>
void Remove(std::shared_mutex& mutex, MapT& map, std::string_view id) {
  typename MapT::mapped_type removed;  // released after the lock is dropped
  std::unique_lock lock(mutex);
  const auto it = map.find(id);
  if (it == map.end()) return;
  removed = std::move(it->second);
  map.erase(it);
  lock.unlock();
}

template <typename MapT>
typename MapT::mapped_type Find(std::shared_mutex& mutex, const MapT& map,
                                std::string_view id) {
  std::shared_lock lock(mutex);
  const auto it = map.find(id);
  return it == map.end() ? nullptr : it->second;
}

}  // namespace

void PrincipalDirectory::UpsertUser(UserRecord user) {
  Upsert(users_mutex_, users_, std::move(user));
}

void PrincipalDirectory::UpsertOrg(OrgRecord org) {
  Upsert(orgs_mutex_, orgs_, std::move(org));
}

void PrincipalDirectory::RemoveUser(std::string_view id) {
  Remove(users_mutex_, users_, id);
}

void PrincipalDirectory::RemoveOrg(std::string_view id) {
  Remove(orgs_mutex_, orgs_, id);
}

std::shared_ptr<const UserRecord> PrincipalDirectory::FindUser(
    std::string_view id) const {
  return Find(users_mutex_, users_, id);
}

std::shared_ptr<const OrgRecord> PrincipalDirectory::FindOrg(std::string_view id) const {
  return Find(orgs_mutex_, orgs_, id);
}

}  // namespace keyward::core
