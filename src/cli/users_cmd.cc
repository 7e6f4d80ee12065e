// `keyward users set-password USERNAME`: the web console's password for a user,
// read from standard input (one line; a trailing newline is not part of it), so it
// never appears in argv, the shell history or the process list. Runs through the
// same UserService (rules, hashing, audit) as PUT /v1/users/{id}/password.
#include <sodium.h>
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <string>

#include "keyward/cli/cli.h"
#include "keyward/service/user_service.h"
#include "keyward/usage/audit_writer.h"

namespace keyward::cli {

int RunUsers(const config::Config& config, const Args& args) {
  const auto& pos = args.positional;
  if (pos.size() != 3 || pos[1] != "set-password") {
    std::cerr << "keyward: usage: keyward users set-password USERNAME "
                 "(the password on standard input)\n";
    return 2;
  }
  if (::isatty(STDIN_FILENO)) std::cerr << "Password (at least 12 characters): ";
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto app = service::App::Open(config);
  if (!app.ok()) {
    std::cerr << "keyward: " << app.error().message << "\n";
    return 1;
  }
  auto user = (*app)->store().FindUserByUsername(pos[2]);
  if (!user.ok() || !user->has_value() || (*user)->deleted) {
    sodium_memzero(password.data(), password.size());
    std::cerr << "keyward: no user named '" << pos[2] << "'\n";
    return 1;
  }
  service::Actor actor;
  actor.local_cli = true;
  usage::AuditWriter audit((*app)->store(), std::chrono::seconds(1));
  service::UserService users(**app, &audit);
  Status s = users.SetPassword(actor, (*user)->id, password);
  sodium_memzero(password.data(), password.size());
  if (!s.ok()) {
    std::cerr << "keyward: " << s.error().message;
    for (const auto& f : s.error().fields)
      std::cerr << " (" << f.field << ": " << f.message << ")";
    std::cerr << "\n";
    return s.error().kind == ErrorKind::kValidation ? 2 : 1;
  }
  std::cerr << "password set for " << pos[2] << "\n";
  return 0;
}

}  // namespace keyward::cli
