// Direct JSON writers for the two answers on the verification hot path: the body of
// POST /v1/verify (with its ~900-byte key object) and the 200 body of /v1/auth.
//
// They append text to a std::string instead of building an nlohmann DOM (a map node
// and a string per member), and produce exactly the bytes today's DOM path does:
// members in nlohmann's (sorted) order, its escaping with ensure_ascii off, and its
// U+FFFD replacement of invalid UTF-8 (such strings are handed to nlohmann itself).
// tests/api/fast_json_test.cc compares the two over varied keys. Pure functions
// apart from per-thread caches (canonicalised metadata, and the record-only parts of
// recently answered key objects); thread-safe.
#ifndef KEYWARD_API_FAST_JSON_H_
#define KEYWARD_API_FAST_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keyward/core/key_runtime.h"
#include "keyward/core/records.h"
#include "keyward/core/verifier.h"
#include "keyward/http/message.h"

namespace keyward::api::fast_json {

// The /v1/auth answer for a valid key, as JsonResponse({"valid": true, "code":
// "VALID"}) writes it.
inline constexpr std::string_view kAuthValidBody = R"({"code":"VALID","valid":true})";

// The /healthz answer, as JsonResponse({"status": "ok"}) writes it.
inline constexpr std::string_view kHealthyBody = R"({"status":"ok"})";

// A response with Content-Type application/json and `body` (already JSON), as
// JsonResponse(status, dom) would build it.
http::Response RawJson(int status, std::string body);

// Appends `s` as a JSON string literal.
void AppendString(std::string& out, std::string_view s);

// Appends the key object of KeyJson(key, now, tiers), with "remaining_uses" set to
// `remaining_uses` when given (callers pass the live count they would have stored
// into the DOM), else to the record's as KeyJson has it.
void AppendKeyObject(std::string& out, const KeyRecord& key, UnixSeconds now,
                     const core::Tiers& tiers,
                     std::optional<std::int64_t> remaining_uses);

// The /v1/verify body for `d`: {"code", "effective_scopes", "key" (when d.key),
// "missing_scope" (when set), "ratelimit" (when set), "valid"}.
std::string VerifyAnswer(const core::Decision& d, UnixSeconds now,
                         const core::Tiers& tiers,
                         std::optional<std::int64_t> remaining_uses);

}  // namespace keyward::api::fast_json

#endif  // KEYWARD_API_FAST_JSON_H_
