// `keyward keys create|list|revoke`: local administration on the data dir, through
// the same KeyService the REST API uses. A running server picks the change up via
// its ChangePoller.
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

#include "keyward/api/encode.h"
#include "keyward/cli/cli.h"
#include "keyward/service/data_dir.h"
#include "keyward/service/key_rules.h"
#include "keyward/service/key_schema.h"
#include "keyward/service/key_service.h"
#include "keyward/usage/audit_writer.h"

namespace keyward::cli {
namespace {

using nlohmann::json;

int Fail(const Error& e) {
  std::cerr << "keyward: " << e.message;
  for (const auto& f : e.fields) std::cerr << " (" << f.field << ": " << f.message << ")";
  std::cerr << "\n";
  return 1;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t c = s.find(',', start);
    if (c == std::string::npos) c = s.size();
    if (c > start) out.push_back(s.substr(start, c - start));
    start = c + 1;
  }
  return out;
}

int Create(service::App& app, const Args& args) {
  auto owner_name = args.Get("owner");
  auto name = args.Get("name");
  if (!owner_name || !name) {
    std::cerr << "keyward: keys create needs --owner USERNAME and --name NAME\n";
    return 2;
  }
  auto owner = app.store().FindUserByUsername(*owner_name);
  if (!owner.ok()) return Fail(owner.error());
  if (!owner->has_value() || (*owner)->deleted) {
    std::cerr << "keyward: no user named '" << *owner_name << "'\n";
    return 1;
  }
  // The same fields and the same domain rules (service/key_schema.h) as a REST body.
  service::KeyFields fields;
  fields.name = *name;
  fields.owner_user_id = std::optional<std::string>((*owner)->id);
  if (auto s = args.Get("scopes")) fields.scopes = SplitComma(*s);
  if (auto e = args.Get("expires-in")) {
    auto at = service::ExpiryIn(*e, app.clock().Now());
    if (!at.ok()) return Fail(at.error());
    fields.expires_at = std::optional<UnixSeconds>(*at);
  }
  Status valid = service::ValidateKeyFields(
      fields, {service::KeyFieldsMode::kCreate, app.clock().Now(), &app.config().tiers});
  if (!valid.ok()) return Fail(valid.error());
  // The output file first: if it cannot be created, no key is minted whose secret
  // nobody would ever see.
  std::optional<service::SecretFile> out_file;
  const auto out = args.Get("out");
  if (out) {
    auto f = service::SecretFile::Create(*out);
    if (!f.ok()) return Fail(f.error());
    out_file.emplace(std::move(*f));
  }
  service::Actor actor;
  actor.local_cli = true;
  // Writes are audited synchronously (actor: the CLI); nothing is ever queued here.
  usage::AuditWriter audit(app.store(), std::chrono::seconds(1));
  service::KeyService keys(app, &audit);
  auto created = keys.Create(actor, fields);
  if (!created.ok()) return Fail(created.error());
  int rc = 0;
  if (out) {
    std::string line = created->secret + "\n";
    Status s = out_file->Commit(line);
    sodium_memzero(line.data(), line.size());
    if (!s.ok()) {
      // The secret could not be saved: revoke the key rather than leave an active
      // key nobody holds.
      rc = Fail(s.error());
      if (auto r = keys.Revoke(actor, created->record.id); !r.ok()) Fail(r.error());
    } else {
      std::cout << "created " << created->record.id << " ("
                << created->record.display_prefix << "); key written to " << *out << "\n";
    }
  } else {
    std::cout << created->secret << "\n";
    std::cerr << "created " << created->record.id
              << "; the key above is shown only once\n";
  }
  sodium_memzero(created->secret.data(), created->secret.size());
  return rc;
}

int List(service::App& app, const Args& args) {
  service::Actor actor;
  actor.local_cli = true;
  service::KeyService keys(app);
  service::KeyListQuery q;
  q.limit = 500;
  const bool as_json = args.Has("json");
  json all = json::array();
  const UnixSeconds now = app.clock().Now();
  while (true) {
    auto page = keys.List(actor, q);
    if (!page.ok()) return Fail(page.error());
    for (const auto& k : page->items) {
      if (as_json) {
        all.push_back(api::KeyJson(k, now, app.policies().table().tiers()));
      } else {
        std::cout << k.id << "  " << k.display_prefix << "  " << api::KeyStatus(k, now)
                  << "  " << k.name << "\n";
      }
    }
    if (!page->next_after) break;
    q.after = *page->next_after;
  }
  if (as_json) std::cout << all.dump(2) << "\n";
  return 0;
}

int Revoke(service::App& app, const Args& args) {
  if (args.positional.size() != 3) {
    std::cerr << "keyward: keys revoke needs exactly one key ID\n";
    return 2;
  }
  service::Actor actor;
  actor.local_cli = true;
  usage::AuditWriter audit(app.store(), std::chrono::seconds(1));
  service::KeyService keys(app, &audit);
  if (auto s = keys.Revoke(actor, args.positional[2]); !s.ok()) return Fail(s.error());
  std::cout << "revoked " << args.positional[2] << "\n";
  return 0;
}

}  // namespace

int RunKeys(const config::Config& config, const Args& args) {
  if (args.positional.size() < 2) {
    std::cerr << "keyward: keys needs a subcommand: create, list, revoke or seed\n";
    return 2;
  }
  const std::string& sub = args.positional[1];
  if (sub != "create" && sub != "list" && sub != "revoke" && sub != "seed") {
    std::cerr << "keyward: unknown keys subcommand '" << sub << "'\n";
    return 2;
  }
  auto app = service::App::Open(config);
  if (!app.ok()) return Fail(app.error());
  if (sub == "create") return Create(**app, args);
  if (sub == "list") return List(**app, args);
  if (sub == "seed") return RunKeysSeed(**app, args);
  return Revoke(**app, args);
}

}  // namespace keyward::cli
