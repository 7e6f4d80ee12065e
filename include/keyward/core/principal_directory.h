// PrincipalDirectory: the in-memory users and organizations that verification
// consults for the owner check (OWNER_DISABLED) and for a user's current
// permissions (effective scopes).
//
// Like KeyIndex it is filled by the store at start-up and updated after each
// committed write, and it hands out immutable records. Thread-safe: many readers,
// one writer at a time (a reader-writer lock per map; writes are rare admin calls).
#ifndef KEYWARD_CORE_PRINCIPAL_DIRECTORY_H_
#define KEYWARD_CORE_PRINCIPAL_DIRECTORY_H_

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "keyward/core/records.h"

namespace keyward::core {

class PrincipalDirectory {
 public:
  PrincipalDirectory() = default;
  PrincipalDirectory(const PrincipalDirectory&) = delete;
  PrincipalDirectory& operator=(const PrincipalDirectory&) = delete;

  // Inserts or replaces the record with the same id.
  void UpsertUser(UserRecord user);
  void UpsertOrg(OrgRecord org);

  // Forgets a record (a soft-deleted one may instead be upserted with deleted=true;
  // either way the owner check fails closed).
  void RemoveUser(std::string_view id);
  void RemoveOrg(std::string_view id);

  // The record with this id, or null.
  std::shared_ptr<const UserRecord> FindUser(std::string_view id) const;
  std::shared_ptr<const OrgRecord> FindOrg(std::string_view id) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  template <typename T>
  using Map =
      std::unordered_map<std::string, std::shared_ptr<const T>, Hash, std::equal_to<>>;

  mutable std::shared_mutex users_mutex_;
  Map<UserRecord> users_;
  mutable std::shared_mutex orgs_mutex_;
  Map<OrgRecord> orgs_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_PRINCIPAL_DIRECTORY_H_
