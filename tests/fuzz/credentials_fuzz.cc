// Fuzzes credential extraction (contract section 3): api::ParseTarget on the
// request-target, then api::ExtractCredential over Authorization / X-API-Key / the
// api_key and rest_api_key query parameters.
//
// Input: byte 0 bit 0 = allow_query_keys; the rest split on '\n': the first piece
// is the request-target, each further piece is a header whose name is picked by its
// first byte and whose value is the remainder.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "keyward/api/credentials.h"
#include "keyward/api/target.h"
#include "keyward/http/message.h"

namespace {

using keyward::http::HeaderNameEquals;

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

std::string_view TrimSpaceTab(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The token of a valid "Bearer <token>" value (scheme case-insensitive), or "".
std::string_view BearerToken(std::string_view value) {
  const std::string_view v = TrimSpaceTab(value);
  if (v.size() <= 7 || !HeaderNameEquals(v.substr(0, 6), "Bearer") || v[6] != ' ') {
    return {};
  }
  return TrimSpaceTab(v.substr(7));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool allow_query = data[0] & 1;
  const std::vector<std::string_view> pieces =
      Split(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), '\n');

  static constexpr std::string_view kNames[] = {
      "Authorization", "authorization", "X-API-Key", "x-api-key",
      "AUTHORIZATION", "X-Api-Key",     "Cookie",    "X-API-Keys"};
  keyward::http::Request req;
  req.method = "GET";
  req.target = std::string(pieces[0]);
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    if (pieces[i].empty()) continue;
    req.headers.emplace_back(
        std::string(kNames[static_cast<std::uint8_t>(pieces[i][0]) % std::size(kNames)]),
        std::string(pieces[i].substr(1)));
  }

  keyward::api::Target target;
  if (auto parsed = keyward::api::ParseTarget(req.target)) {
    FUZZ_CHECK(!req.target.empty() && req.target[0] == '/');
    FUZZ_CHECK(parsed->path.size() <= req.target.size());
    target = std::move(*parsed);
  }

  keyward::api::Credential cred;
  keyward::api::ExtractCredential(req, target, allow_query, cred);

  // The first non-empty candidate in precedence order wins; any other different
  // candidate is a conflict.
  std::vector<std::string_view> candidates;
  for (const auto& [name, value] : req.headers) {
    if (HeaderNameEquals(name, "Authorization") && !BearerToken(value).empty()) {
      candidates.push_back(BearerToken(value));
    }
  }
  for (const auto& [name, value] : req.headers) {
    if (HeaderNameEquals(name, "X-API-Key") && !TrimSpaceTab(value).empty()) {
      candidates.push_back(TrimSpaceTab(value));
    }
  }
  const std::size_t header_candidates = candidates.size();
  if (allow_query) {
    for (const auto& [k, v] : target.query) {
      if ((k == "api_key" || k == "rest_api_key") && !v.empty()) candidates.push_back(v);
    }
  }

  FUZZ_CHECK(cred.present == !candidates.empty());
  if (!cred.present) {
    FUZZ_CHECK(!cred.conflict && !cred.from_query && cred.key.empty());
    return 0;
  }
  FUZZ_CHECK(!cred.key.empty());
  FUZZ_CHECK(cred.key == candidates[0]);
  FUZZ_CHECK(cred.from_query == (header_candidates == 0));
  FUZZ_CHECK(!cred.from_query || allow_query);
  bool differs = false;
  for (std::string_view c : candidates) differs = differs || c != candidates[0];
  FUZZ_CHECK(cred.conflict == differs);
  return 0;
}
