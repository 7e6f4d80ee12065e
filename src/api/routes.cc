#include "keyward/api/routes.h"

#include <vector>

#include "keyward/api/target.h"

namespace keyward::api {

std::span<const Route> Routes() {
  using A = Access;
  // clang-format off
  static const std::vector<Route> kRoutes = {
      // method  pattern                  access     scopes          audit   inline
      {"GET",    "/healthz",              A::kOpen,  {},             "route", true,  &Healthz},
      {"GET",    "/readyz",               A::kOpen,  {},             "route", true,  &Readyz},
      {"GET",    "/metrics",              A::kMetrics, {"metrics:read"}, "route", true, &MetricsText},
      {"POST",   "/v1/verify",            A::kOpen,  {},             "route", true,  &Verify},
      {"*",      "/v1/auth",              A::kOpen,  {},             "route", true,  &ForwardAuth},
      {"*",      "/v1/auth/{path}",       A::kOpen,  {},             "route", true,  &ForwardAuth},
      {"GET",    "/v1/me",                A::kKey,   {},             "route", false, nullptr, &Me},
      {"POST",   "/v1/keys",              A::kKey,   {"keys:write"}, "key",   false, nullptr, &CreateKey},
      {"GET",    "/v1/keys",              A::kKey,   {"keys:read"},  "key",   false, nullptr, &ListKeys},
      {"GET",    "/v1/keys/{id}",         A::kKey,   {"keys:read"},  "key",   false, nullptr, &GetKey},
      {"PATCH",  "/v1/keys/{id}",         A::kKey,   {"keys:write"}, "key",   false, nullptr, &PatchKey},
      {"DELETE", "/v1/keys/{id}",         A::kKey,   {"keys:write"}, "key",   false, nullptr, &RevokeKey},
      {"POST",   "/v1/keys/{id}/rotate",  A::kKey,   {"keys:write"}, "key",   false, nullptr, &RotateKey},
      {"GET",    "/v1/keys/{id}/usage",   A::kKey,   {"keys:read"},  "key",   false, nullptr, &KeyUsage},
      {"POST",   "/v1/orgs",              A::kKey,   {"orgs:write"}, "org",   false, nullptr, &CreateOrg},
      {"GET",    "/v1/orgs",              A::kKey,   {"orgs:read"},  "org",   false, nullptr, &ListOrgs},
      {"GET",    "/v1/orgs/{id}",         A::kKey,   {"orgs:read"},  "org",   false, nullptr, &GetOrg},
      {"PATCH",  "/v1/orgs/{id}",         A::kKey,   {"orgs:write"}, "org",   false, nullptr, &PatchOrg},
      {"DELETE", "/v1/orgs/{id}",         A::kKey,   {"orgs:write"}, "org",   false, nullptr, &DeleteOrg},
      {"POST",   "/v1/users",             A::kKey,   {"users:write"}, "user", false, nullptr, &CreateUser},
      {"GET",    "/v1/users",             A::kKey,   {"users:read"}, "user",  false, nullptr, &ListUsers},
      {"GET",    "/v1/users/{id}",        A::kKey,   {"users:read"}, "user",  false, nullptr, &GetUser},
      {"PATCH",  "/v1/users/{id}",        A::kKey,   {"users:write"}, "user", false, nullptr, &PatchUser},
      {"DELETE", "/v1/users/{id}",        A::kKey,   {"users:write"}, "user", false, nullptr, &DeleteUser},
      {"PUT",    "/v1/users/{id}/password", A::kKey, {"users:write"}, "user", false, nullptr, &SetUserPassword},
      {"GET",    "/v1/audit",             A::kKey,   {"audit:read"}, "route", false, nullptr, &ListAudit},
      // The web console: sign-in needs no key (it is how one gets a session), and
      // its files are public; the pages call the routes above with the cookie.
      {"POST",   "/console/session",      A::kOpen,  {},             "route", false, &SignIn},
      {"GET",    "/console/session",      A::kOpen,  {},             "route", false, &GetSession},
      {"DELETE", "/console/session",      A::kOpen,  {},             "route", false, &SignOut},
      {"GET",    "/console",              A::kOpen,  {},             "route", true,  &ConsoleRedirect},
      {"GET",    "/console/",             A::kOpen,  {},             "route", true,  &ConsoleAsset},
      {"GET",    "/console/{file}",       A::kOpen,  {},             "route", false, &ConsoleAsset},
  };
  // clang-format on
  return kRoutes;
}

bool MatchPattern(std::string_view pattern, std::string_view path, std::string& id) {
  while (!pattern.empty() && !path.empty()) {
    if (pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pe = pattern.find('/');
    const size_t se = path.find('/');
    std::string_view pseg = pattern.substr(0, pe);
    const std::string_view raw = path.substr(0, se);
    const bool param = pseg.size() > 2 && pseg.front() == '{' && pseg.back() == '}';
    if (raw.find('%') == std::string_view::npos) {
      // Nothing to decode (the common case): compared in place, without a copy.
      if (param ? raw.empty() : pseg != raw) return false;
      if (param) id.assign(raw);
    } else {
      const auto seg = PercentDecode(raw, false);
      if (!seg) return false;
      if (param) {
        if (seg->empty()) return false;
        id = *seg;
      } else if (pseg != *seg) {
        return false;
      }
    }
    pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view() : path.substr(se);
  }
  return pattern.empty() && path.empty();
}

}  // namespace keyward::api
