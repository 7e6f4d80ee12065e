// `keyward keys seed`: fills a data dir with many keys, for benchmarks and load
// tests of large stores. The first key goes through KeyService::Create exactly as
// `keys create` does (validation, grant checks, audit); the others are copies of
// its record with fresh ids and secrets, written through Store::InsertKeys in
// batches of one transaction each, because per-key commits would take minutes.
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <unordered_set>

#include "keyward/api/key_fields.h"
#include "keyward/cli/cli.h"
#include "keyward/core/random.h"
#include "keyward/service/data_dir.h"
#include "keyward/service/key_service.h"
#include "keyward/usage/audit_writer.h"

namespace keyward::cli {
namespace {

constexpr std::size_t kBatch = 50'000;

int Fail(const Error& e) {
  std::cerr << "keyward: " << e.message << "\n";
  return 1;
}

// "1000000000/1" -> {limit, window_seconds}.
std::optional<nlohmann::json> ParseRateLimitArg(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    return nlohmann::json{{"limit", std::stoll(s.substr(0, slash))},
                          {"window_seconds", std::stoll(s.substr(slash + 1))}};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

int RunKeysSeed(service::App& app, const Args& args) {
  const auto count_arg = args.Get("count");
  const auto owner_name = args.Get("owner");
  if (!count_arg || !owner_name) {
    std::cerr << "keyward: keys seed needs --count N and --owner USERNAME\n";
    return 2;
  }
  std::size_t count = 0;
  try {
    count = std::stoull(*count_arg);
  } catch (const std::exception&) {
  }
  if (count == 0) {
    std::cerr << "keyward: --count must be a positive integer\n";
    return 2;
  }
  auto owner = app.store().FindUserByUsername(*owner_name);
  if (!owner.ok()) return Fail(owner.error());
  if (!owner->has_value() || (*owner)->deleted) {
    std::cerr << "keyward: no user named '" << *owner_name << "'\n";
    return 1;
  }
  nlohmann::json body{{"name", "seed"}, {"owner_user_id", (*owner)->id}};
  if (auto s = args.Get("scopes")) {
    std::vector<std::string> scopes;
    for (size_t start = 0; start <= s->size();) {
      size_t c = s->find(',', start);
      if (c == std::string::npos) c = s->size();
      if (c > start) scopes.push_back(s->substr(start, c - start));
      start = c + 1;
    }
    body["scopes"] = scopes;
  }
  if (auto rl = args.Get("rate-limit")) {
    auto parsed = ParseRateLimitArg(*rl);
    if (!parsed) {
      std::cerr << "keyward: --rate-limit must be LIMIT/WINDOW_SECONDS\n";
      return 2;
    }
    body["rate_limit"] = *parsed;
  }
  auto fields = api::ParseKeyFields(body, api::KeyFieldsMode::kCreate, app.clock().Now(),
                                    app.config().tiers);
  if (!fields.ok()) return Fail(fields.error());
  std::optional<service::SecretFile> out_file;
  if (auto out = args.Get("out")) {
    auto f = service::SecretFile::Create(*out);
    if (!f.ok()) return Fail(f.error());
    out_file.emplace(std::move(*f));
  }

  const auto start = std::chrono::steady_clock::now();
  service::Actor actor;
  actor.local_cli = true;
  usage::AuditWriter audit(app.store(), std::chrono::seconds(1));
  service::KeyService keys(app, &audit);
  auto first = keys.Create(actor, *fields);
  if (!first.ok()) return Fail(first.error());
  if (out_file) {
    std::string line = first->secret + "\n";
    Status s = out_file->Commit(line);
    sodium_memzero(line.data(), line.size());
    if (!s.ok()) return Fail(s.error());
  }
  sodium_memzero(first->secret.data(), first->secret.size());

  std::vector<KeyRecord> batch;
  batch.reserve(std::min(kBatch, count));
  std::unordered_set<std::string> prefixes;  // seeded so far: the index has the rest
  std::size_t written = 1;
  while (written < count) {
    KeyRecord k = first->record;
    std::string secret = service::AssignNewSecret(app, k);
    sodium_memzero(secret.data(), secret.size());  // nobody will present these
    if (app.index().Contains(k.display_prefix) ||
        !prefixes.insert(k.display_prefix).second) {
      continue;  // display prefixes are unique: draw again
    }
    k.id = core::RandomId(app.random(), "key_");
    k.name = "seed-" + std::to_string(written);
    batch.push_back(std::move(k));
    ++written;
    if (batch.size() == kBatch || written == count) {
      if (Status s = app.store().InsertKeys(batch); !s.ok()) return Fail(s.error());
      batch.clear();
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "seeded " << count << " keys in " << secs << " s\n";
  return 0;
}

}  // namespace keyward::cli
