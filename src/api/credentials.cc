#include "keyward/api/credentials.h"

namespace keyward::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void Offer(Credential& out, std::string_view key, bool from_query) {
  if (key.empty()) return;
  if (!out.present) {
    out.key = key;
    out.present = true;
    out.from_query = from_query;
  } else if (out.key != key) {
    out.conflict = true;
  }
}

}  // namespace

void ExtractCredential(const http::Request& req, const Target& target, bool allow_query,
                       Credential& out) {
  for (const auto& [name, value] : req.headers) {
    if (!http::HeaderNameEquals(name, "Authorization")) continue;
    std::string_view v = Trim(value);
    if (v.size() > 7 && http::HeaderNameEquals(v.substr(0, 6), "Bearer") && v[6] == ' ') {
      Offer(out, Trim(v.substr(7)), false);
    }
  }
  for (const auto& [name, value] : req.headers) {
    if (http::HeaderNameEquals(name, "X-API-Key")) Offer(out, Trim(value), false);
  }
  if (allow_query) {
    for (const auto& [k, v] : target.query) {
      if (k == "api_key" || k == "rest_api_key") Offer(out, v, true);
    }
  }
}

}  // namespace keyward::api
