// The handlers of the REST surface (contract sections 3–6), as free functions.
//
// A handler for an authenticated route takes the Actor the dispatcher authenticated
// for the route's scope (routes.cc): it cannot be called without one, so it cannot
// skip authentication. Open routes take none: health and readiness need no key, and
// /v1/verify and forward auth verify the key they are asked about through the Gate.
// Handlers never touch sockets and never throw on bad input.
#ifndef KEYWARD_API_HANDLERS_H_
#define KEYWARD_API_HANDLERS_H_

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "keyward/api/call.h"
#include "keyward/api/reply.h"
#include "keyward/core/records.h"
#include "keyward/service/actor.h"

namespace keyward::api {

using OpenHandler = Reply (*)(Call&, Services&);
using KeyHandler = Reply (*)(Call&, const service::Actor&, Services&);

// The key object (encode.h's KeyJson) with its live remaining_uses.
nlohmann::json KeyObject(const KeyRecord& key, UnixSeconds now, service::App& app);

// The parsed request body, or the 400 to answer when the request had none.
const nlohmann::json* RequireBody(const Call& call, Reply& error);

// system_handlers.cc
Reply Healthz(Call& call, Services& s);
Reply Readyz(Call& call, Services& s);
Reply MetricsText(Call& call, Services& s);
Reply Verify(Call& call, Services& s);
Reply Me(Call& call, const service::Actor& who, Services& s);

// forward_auth.cc: any method on /v1/auth and every path below it.
bool IsForwardAuthPath(std::string_view path);
Reply ForwardAuth(Call& call, Services& s);

// key_handlers.cc
Reply CreateKey(Call& call, const service::Actor& who, Services& s);
Reply ListKeys(Call& call, const service::Actor& who, Services& s);
Reply GetKey(Call& call, const service::Actor& who, Services& s);
Reply PatchKey(Call& call, const service::Actor& who, Services& s);
Reply RevokeKey(Call& call, const service::Actor& who, Services& s);
Reply RotateKey(Call& call, const service::Actor& who, Services& s);
Reply KeyUsage(Call& call, const service::Actor& who, Services& s);

// org_handlers.cc
Reply CreateOrg(Call& call, const service::Actor& who, Services& s);
Reply ListOrgs(Call& call, const service::Actor& who, Services& s);
Reply GetOrg(Call& call, const service::Actor& who, Services& s);
Reply PatchOrg(Call& call, const service::Actor& who, Services& s);
Reply DeleteOrg(Call& call, const service::Actor& who, Services& s);

// user_handlers.cc
Reply CreateUser(Call& call, const service::Actor& who, Services& s);
Reply ListUsers(Call& call, const service::Actor& who, Services& s);
Reply GetUser(Call& call, const service::Actor& who, Services& s);
Reply PatchUser(Call& call, const service::Actor& who, Services& s);
Reply DeleteUser(Call& call, const service::Actor& who, Services& s);
// PUT /v1/users/{id}/password: {"password": "..."} -> 204.
Reply SetUserPassword(Call& call, const service::Actor& who, Services& s);

// console_handlers.cc: the web console's files and its session endpoints.
Reply ConsoleRedirect(Call& call, Services& s);
Reply ConsoleAsset(Call& call, Services& s);
Reply SignIn(Call& call, Services& s);
Reply GetSession(Call& call, Services& s);
Reply SignOut(Call& call, Services& s);

// audit_handlers.cc
Reply ListAudit(Call& call, const service::Actor& who, Services& s);

}  // namespace keyward::api

#endif  // KEYWARD_API_HANDLERS_H_
