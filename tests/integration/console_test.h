// ConsoleTest: a configured server with helpers for the web console — setting a
// password with the real CLI (on stdin) and signing in over real HTTPS.
#ifndef KEYWARD_TESTS_INTEGRATION_CONSOLE_TEST_H_
#define KEYWARD_TESTS_INTEGRATION_CONSOLE_TEST_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "configured_server_test.h"

namespace keyward::testing {

inline constexpr char kPassword[] = "correct horse battery";

struct ConsoleLogin {
  int status = 0;
  std::string cookie;      // "__Host-keyward_session=..." for a Cookie field
  std::string set_cookie;  // the whole Set-Cookie value
  std::string csrf;
  nlohmann::json body;
};

class ConsoleTest : public ConfiguredServerTest {
 protected:
  // `keyward users set-password USER` with `password` on stdin; its exit code.
  int SetPassword(const std::string& user, const std::string& password) {
    const std::string cmd = std::string(KEYWARD_BINARY) + " users set-password '" + user +
                            "' --data-dir '" + data_dir() + "' 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "w");
    if (!p) return -1;
    std::fputs((password + "\n").c_str(), p);
    const int st = ::pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }

  ConsoleLogin SignIn(const std::string& user, const std::string& password,
                      Headers extra = {}) {
    auto r = Do("POST", "/console/session", "",
                {{"username", user}, {"password", password}}, std::move(extra));
    ConsoleLogin out;
    out.status = r.status;
    out.body = Json(r);
    out.set_cookie = r.Header("Set-Cookie");
    out.cookie = out.set_cookie.substr(0, out.set_cookie.find(';'));
    if (out.body.is_object() && out.body.contains("csrf_token")) {
      out.csrf = out.body["csrf_token"];
    }
    return out;
  }

  // A request made with the session cookie (and the CSRF token when `csrf`).
  ClientResponse AsConsole(const ConsoleLogin& s, const std::string& method,
                           const std::string& target,
                           const nlohmann::json& body = nullptr, bool csrf = true,
                           Headers extra = {}) {
    extra.emplace_back("Cookie", s.cookie);
    if (csrf) extra.emplace_back("X-CSRF-Token", s.csrf);
    return Do(method, target, "", body, std::move(extra));
  }

  // Creates a user with the admin key and sets their console password.
  std::string MakeUser(const std::string& name, const std::string& role,
                       nlohmann::json permissions) {
    auto r = Do("POST", "/v1/users", admin_key_,
                {{"username", name}, {"role", role}, {"permissions", permissions}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(SetPassword(name, kPassword), 0);
    return Json(r)["id"];
  }
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_CONSOLE_TEST_H_
