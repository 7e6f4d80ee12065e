// First-start bootstrap: org "default", user "admin" (platform_admin) and one key
// with scope "*" and tier "admin", written only to <data_dir>/bootstrap-admin.key.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "keyward/service/app.h"
#include "keyward/service/key_service.h"

namespace keyward::service {

Status App::Bootstrap() {
  // The default org is created exactly once, in the same start that writes the key
  // file. Any committed row marks the data dir as initialised, so a later start
  // never writes the file again — not even once "default" has been renamed or
  // deleted through the API.
  auto seq = store_->CurrentChangeSeq();
  RETURN_IF_ERROR(seq);
  if (*seq > 0) return OkStatus();

  const UnixSeconds now = clock_->Now();
  OrgRecord org;
  org.id = core::RandomId(random_, "org_");
  org.name = "default";
  org.created_at = org.updated_at = now;

  UserRecord admin;
  admin.id = core::RandomId(random_, "usr_");
  admin.username = "admin";
  admin.org_id = org.id;
  admin.role = Role::kPlatformAdmin;
  admin.permissions = {"*"};
  admin.created_at = admin.updated_at = now;

  KeyRecord key;
  key.id = core::RandomId(random_, "key_");
  key.name = "bootstrap admin";
  key.description = "created at first start";
  key.owner_user_id = admin.id;
  key.org_id = org.id;
  key.scopes = {"*"};
  key.tier = "admin";
  key.created_at = key.updated_at = now;
  key.created_by = admin.id;
  std::string secret = AssignNewSecret(*this, key);

  // The file first: if it cannot be written, nothing is stored and the next start
  // tries again. A leftover file from a start that died before the store commit
  // holds a key that was never stored, so it is replaced.
  const std::string path = dir_.bootstrap_key_path();
  std::remove(path.c_str());
  Status written = WriteSecretFile(path, secret + "\n");
  sodium_memzero(secret.data(), secret.size());
  RETURN_IF_ERROR(written);

  std::lock_guard lock(write_mu_);
  Status s = store_->InsertOrg(org);
  if (s.ok()) s = store_->InsertUser(admin);
  if (s.ok()) s = store_->InsertKey(key);
  if (!s.ok()) {
    std::remove(path.c_str());
    return s.error();
  }
  wrote_bootstrap_key_ = true;
  spdlog::info(
      "first start: created org 'default', user 'admin' and a bootstrap admin key in {}",
      path);
  return OkStatus();
}

}  // namespace keyward::service
