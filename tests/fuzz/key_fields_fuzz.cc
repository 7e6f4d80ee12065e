// Fuzzes the key-object body readers: the bytes go through the bounded body parser
// (json_body.h), then ParseKeyFields (create and patch) and ParseRotateOptions, all
// driven by the one strict reader and the key field table. A refusal names a field;
// an accepted body holds only values the rules allow.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "keyward/api/json_body.h"
#include "keyward/api/key_fields.h"
#include "keyward/core/scope.h"

namespace {

constexpr keyward::UnixSeconds kNow = 1'800'000'000;

void CheckRefusal(const keyward::Error& e) {
  FUZZ_CHECK(e.kind == keyward::ErrorKind::kValidation ||
             e.kind == keyward::ErrorKind::kInvalidArgument);
  if (e.kind == keyward::ErrorKind::kValidation) FUZZ_CHECK(!e.fields.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json body;
  if (keyward::api::ParseJsonBody(text, body) != keyward::api::JsonBodyError::kNone) {
    return 0;
  }
  const std::map<std::string, keyward::RateLimit> tier_names = {
      {"free", keyward::RateLimit{60, 60}}};
  const keyward::core::Tiers tiers{tier_names, "free"};
  for (auto mode :
       {keyward::api::KeyFieldsMode::kCreate, keyward::api::KeyFieldsMode::kPatch}) {
    auto f = keyward::api::ParseKeyFields(body, mode, kNow, tier_names);
    if (!f.ok()) {
      CheckRefusal(f.error());
      continue;
    }
    FUZZ_CHECK(body.is_object());
    if (f->scopes) {
      for (const auto& s : *f->scopes) FUZZ_CHECK(keyward::core::IsValidScope(s));
    }
    if (f->expires_at && *f->expires_at) FUZZ_CHECK(**f->expires_at > kNow);
    if (f->tier) FUZZ_CHECK(tier_names.count(*f->tier) == 1);
    if (f->metadata_json) FUZZ_CHECK(nlohmann::json::accept(*f->metadata_json));
  }
  auto rotate = keyward::api::ParseRotateOptions(body, kNow, tiers);
  if (!rotate.ok()) {
    CheckRefusal(rotate.error());
  } else if (rotate->expires_at) {
    FUZZ_CHECK(*rotate->expires_at > kNow);
  }
  return 0;
}
