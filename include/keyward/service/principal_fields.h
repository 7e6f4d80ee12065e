// OrgFields and UserFields: the settable members of an organization or a user, as a
// create or patch request names them. A member that is absent stays unchanged (or
// takes its default on create). Plain values; thread-compatible.
#ifndef KEYWARD_SERVICE_PRINCIPAL_FIELDS_H_
#define KEYWARD_SERVICE_PRINCIPAL_FIELDS_H_

#include <optional>
#include <string>
#include <vector>

#include "keyward/core/records.h"

namespace keyward::service {

struct OrgFields {
  std::optional<std::string> name;
  std::optional<bool> enabled;
  std::optional<bool> api_keys_enabled;
};

struct UserFields {
  std::optional<std::string> username;
  std::optional<std::string> org_id;  // create only
  std::optional<Role> role;
  std::optional<std::vector<std::string>> permissions;
  std::optional<bool> enabled;
  std::optional<bool> api_keys_enabled;
};

// A username: 1 to 100 of A-Z a-z 0-9 . _ - @ + (no spaces, no look-alikes).
bool IsUsername(const std::string& name);

// What a user holds when nobody says otherwise: ["*"] for admins, [] for members.
std::vector<std::string> DefaultPermissions(Role role);

}  // namespace keyward::service

#endif  // KEYWARD_SERVICE_PRINCIPAL_FIELDS_H_
