#include "keyward/service/principal_fields.h"

namespace keyward::service {

std::vector<std::string> DefaultPermissions(Role role) {
  if (role == Role::kMember) return {};
  return {"*"};
}

}  // namespace keyward::service
