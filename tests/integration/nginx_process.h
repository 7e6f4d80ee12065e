// NginxProcess: a real nginx for gateway tests, run as a child in the foreground
// (`daemon off`) with its prefix, config and error log in a test's temp dir.
#ifndef KEYWARD_TESTS_INTEGRATION_NGINX_PROCESS_H_
#define KEYWARD_TESTS_INTEGRATION_NGINX_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace keyward::testing {

// The nginx binary, or "" when none is installed.
std::string FindNginx();

// A loopback TCP port that was free a moment ago (bind to 0, then close).
std::uint16_t FreeLoopbackPort();

class NginxProcess {
 public:
  // `dir` is the prefix (-p); the config must already be written to `config`.
  NginxProcess(std::string binary, std::string dir, std::string config);
  ~NginxProcess();
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  // Starts nginx and waits until `port` accepts connections; false with the error
  // log in `error` otherwise.
  bool Start(std::uint16_t port, std::string* error);
  void Stop();
  std::string error_log() const;

 private:
  std::string binary_;
  std::string dir_;
  std::string config_;
  pid_t pid_ = -1;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_NGINX_PROCESS_H_
