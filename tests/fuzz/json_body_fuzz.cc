// Fuzzes the JSON decoding of every admin body: api::ParseJsonBody (the bounded
// parse every request body goes through), then each body decoder on the result:
// ParseKeyFields (create and patch), ParseOrgFields and ParseUserFields (create and
// patch).
//
// The depth scan must agree with the DOM: a parsed body is exactly as deep as the
// scan said and at most kMaxJsonDepth deep, so the recursive walks that follow
// (dump(), ==, the decoders) are bounded. The input is the body itself.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "keyward/api/json_body.h"
#include "keyward/api/key_fields.h"
#include "keyward/api/principal_fields.h"
#include "keyward/core/scope.h"

namespace {

using keyward::api::JsonBodyError;
using nlohmann::json;

// Depth of `root` without recursion (0 for a scalar, 1 for [] or {}).
int DomDepth(const json& root) {
  int deepest = 0;
  std::vector<std::pair<const json*, int>> todo{{&root, 0}};
  while (!todo.empty()) {
    auto [v, depth] = todo.back();
    todo.pop_back();
    if (!v->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const json& child : *v) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

// True when some object in `text` (valid JSON) names a member twice; found with
// nlohmann's SAX interface, independently of ParseJsonBody's parse callback.
bool HasRepeatedMember(std::string_view text) {
  struct Sax : nlohmann::json_sax<json> {
    std::vector<std::set<std::string>> objects;
    bool repeated = false;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
      objects.emplace_back();
      return true;
    }
    bool key(string_t& name) override {
      repeated = repeated || !objects.back().insert(name).second;
      return true;
    }
    bool end_object() override {
      objects.pop_back();
      return true;
    }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&,
                     const nlohmann::detail::exception&) override {
      return false;
    }
  } sax;
  json::sax_parse(text, &sax);
  return sax.repeated;
}

void DecodeKeyBody(const json& body, keyward::api::KeyFieldsMode mode) {
  static const std::map<std::string, keyward::RateLimit> kTiers = {
      {"standard", {60, 60}}, {"high", {300, 60}}, {"admin", {6000, 60}}};
  constexpr keyward::UnixSeconds kNow = 1'800'000'000;
  auto f = keyward::api::ParseKeyFields(body, mode, kNow, kTiers);
  if (!f.ok()) {
    FUZZ_CHECK(!f.error().fields.empty());
    return;
  }
  FUZZ_CHECK(body.is_object());
  if (mode == keyward::api::KeyFieldsMode::kCreate) FUZZ_CHECK(f->name.has_value());
  if (f->name) FUZZ_CHECK(!f->name->empty() && f->name->size() <= 400);
  if (f->metadata_json) FUZZ_CHECK(f->metadata_json->size() <= 4096);
  if (f->scopes) {
    for (const auto& s : *f->scopes) FUZZ_CHECK(keyward::core::IsValidScope(s));
  }
  if (f->tier) FUZZ_CHECK(kTiers.count(*f->tier) == 1);
  if (f->expires_at && f->expires_at->has_value()) FUZZ_CHECK(**f->expires_at > kNow);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  json body;
  const JsonBodyError rc = keyward::api::ParseJsonBody(text, body);
  const bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  FUZZ_CHECK((rc == JsonBodyError::kEmpty) == blank);
  const int scanned = keyward::api::JsonNestingDepth(text, keyward::api::kMaxJsonDepth);
  FUZZ_CHECK(scanned >= 0 && scanned <= keyward::api::kMaxJsonDepth + 1);
  if (!blank && scanned > keyward::api::kMaxJsonDepth) {
    FUZZ_CHECK(rc == JsonBodyError::kTooDeep);
  }
  if (rc != JsonBodyError::kNone) {
    FUZZ_CHECK(body.is_null());
    // Malformed: not JSON, or JSON with a NUL (which nlohmann reads as the end) or a
    // repeated member name.
    if (rc == JsonBodyError::kMalformed && json::accept(text)) {
      FUZZ_CHECK(text.find('\0') != std::string_view::npos || HasRepeatedMember(text));
    }
    return 0;
  }
  FUZZ_CHECK(json::accept(text));
  FUZZ_CHECK(text.find('\0') == std::string_view::npos);  // nothing was cut off
  FUZZ_CHECK(!HasRepeatedMember(text));
  FUZZ_CHECK(DomDepth(body) == scanned);

  // Recursive walks on the bounded DOM: serialise, re-parse, compare.
  const std::string dumped = body.dump();
  json again;
  FUZZ_CHECK(keyward::api::ParseJsonBody(dumped, again) == JsonBodyError::kNone);
  FUZZ_CHECK(again == body);

  DecodeKeyBody(body, keyward::api::KeyFieldsMode::kCreate);
  DecodeKeyBody(body, keyward::api::KeyFieldsMode::kPatch);
  using keyward::api::PrincipalFieldsMode;
  for (auto mode : {PrincipalFieldsMode::kCreate, PrincipalFieldsMode::kPatch}) {
    auto org = keyward::api::ParseOrgFields(body, mode);
    if (org.ok() && mode == PrincipalFieldsMode::kCreate) {
      FUZZ_CHECK(org->name.has_value());
    }
    auto user = keyward::api::ParseUserFields(body, mode);
    if (user.ok()) {
      if (mode == PrincipalFieldsMode::kCreate) FUZZ_CHECK(user->username.has_value());
      if (user->permissions) {
        for (const auto& p : *user->permissions) {
          FUZZ_CHECK(keyward::core::IsValidScope(p));
        }
      }
    }
  }
  return 0;
}
