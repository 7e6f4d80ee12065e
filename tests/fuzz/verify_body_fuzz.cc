// Differential fuzzing of the /v1/verify body scanner (api::ScanVerifyBody) against
// the DOM path it short-cuts (ParseJsonBody, then ReadVerifyJson).
//
// Whenever the scanner reads a body, the bounded parser must accept it too (so no
// 400/422 is skipped), and the DOM must hold exactly the scanner's key, scopes and
// ip: checked on the DOM itself, not only through ReadVerifyJson, so a shared bug in
// the reader cannot hide a difference. A body the scanner leaves alone goes to the
// DOM path unchanged, which json_body_fuzz covers. The input is the body itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "keyward/api/json_body.h"
#include "keyward/api/verify_body.h"

namespace {

using keyward::api::VerifyFields;
using nlohmann::json;
using Type = VerifyFields::Type;

// The DOM member `name` against what the scanner found for it.
void CheckString(const json& dom, const char* name, Type type, std::string_view text) {
  if (type == Type::kAbsent) {
    FUZZ_CHECK(!dom.contains(name));
    return;
  }
  FUZZ_CHECK(type == Type::kString);
  FUZZ_CHECK(dom.contains(name) && dom[name].is_string());
  FUZZ_CHECK(dom[name].get_ref<const std::string&>() == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<VerifyFields> scanned = keyward::api::ScanVerifyBody(text);
  if (!scanned) return 0;
  FUZZ_CHECK(text.size() <= keyward::api::kMaxScannedVerifyBody);
  json dom;
  FUZZ_CHECK(keyward::api::ParseJsonBody(text, dom) ==
             keyward::api::JsonBodyError::kNone);
  FUZZ_CHECK(dom.is_object());
  FUZZ_CHECK(scanned->unknown.empty());
  std::size_t members = 0;
  CheckString(dom, "key", scanned->key, scanned->key_text);
  CheckString(dom, "ip", scanned->ip, scanned->ip_text);
  members += scanned->key != Type::kAbsent;
  members += scanned->ip != Type::kAbsent;
  if (scanned->scopes == Type::kAbsent) {
    FUZZ_CHECK(!dom.contains("scopes"));
  } else {
    ++members;
    FUZZ_CHECK(scanned->scopes == Type::kArray);
    const json& scopes = dom["scopes"];
    FUZZ_CHECK(scopes.is_array());
    FUZZ_CHECK(scopes.size() == scanned->scope_items.size());
    FUZZ_CHECK(scopes.size() <= keyward::api::kMaxScannedScopes);
    for (std::size_t i = 0; i < scopes.size(); ++i) {
      FUZZ_CHECK(scopes[i].is_string() && scanned->scope_items[i].has_value());
      FUZZ_CHECK(scopes[i].get_ref<const std::string&>() == *scanned->scope_items[i]);
    }
  }
  FUZZ_CHECK(dom.size() == members);  // nothing the scanner did not see
  FUZZ_CHECK(keyward::api::ReadVerifyJson(dom) == *scanned);
  return 0;
}
