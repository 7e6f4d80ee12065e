// CaddyProcess: a real Caddy for gateway tests, run as a child (`caddy run`) with
// its config, HOME and XDG dirs in a test's temp dir, so it never touches the
// system's Caddy state.
#ifndef KEYWARD_TESTS_INTEGRATION_CADDY_PROCESS_H_
#define KEYWARD_TESTS_INTEGRATION_CADDY_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace keyward::testing {

// The caddy binary, or "" when none is installed.
std::string FindCaddy();

class CaddyProcess {
 public:
  // `dir` holds Caddy's state; `caddyfile` must already be written.
  CaddyProcess(std::string binary, std::string dir, std::string caddyfile);
  ~CaddyProcess();
  CaddyProcess(const CaddyProcess&) = delete;
  CaddyProcess& operator=(const CaddyProcess&) = delete;

  // Starts Caddy and waits until every port in `ports` accepts connections; false
  // with Caddy's log in `error` otherwise.
  bool Start(std::initializer_list<std::uint16_t> ports, std::string* error);
  void Stop();
  std::string log() const;

 private:
  std::string binary_;
  std::string dir_;
  std::string caddyfile_;
  pid_t pid_ = -1;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_CADDY_PROCESS_H_
