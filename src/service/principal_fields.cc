#include "keyward/service/principal_fields.h"

#include <algorithm>

namespace keyward::service {
namespace {

bool IsUsernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
}

}  // namespace

bool IsUsername(const std::string& name) {
  return !name.empty() && name.size() <= 100 &&
         std::all_of(name.begin(), name.end(), IsUsernameChar);
}

std::vector<std::string> DefaultPermissions(Role role) {
  if (role == Role::kMember) return {};
  return {"*"};
}

}  // namespace keyward::service
