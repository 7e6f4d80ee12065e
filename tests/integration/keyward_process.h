// KeywardProcess: runs the real `keyward` binary for integration tests.
//
// Start() launches `keyward serve` on 127.0.0.1:0 against a data dir, with stderr
// captured to a log file, and waits for the "listening on" line to learn the port.
// RunCli() runs one-shot commands (init, keys ..., version, config check).
#ifndef KEYWARD_TESTS_INTEGRATION_KEYWARD_PROCESS_H_
#define KEYWARD_TESTS_INTEGRATION_KEYWARD_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/https_client.h"

namespace keyward::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string ReadFile(const std::string& path);

// Replaces every `from` in `text`; false when there was none (e.g. a gateway config
// under docs/ no longer has the address a test rewrites).
bool ReplaceAll(std::string& text, const std::string& from, const std::string& to);

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `keyward args...` to completion with extra environment entries ("K=V").
CliResult RunCli(const std::vector<std::string>& args,
                 const std::vector<std::string>& env = {});

class KeywardProcess {
 public:
  struct Options {
    std::string data_dir;
    std::vector<std::string> args;  // extra `serve` flags
    std::vector<std::string> env;   // extra environment entries, "K=V"
    bool tls = true;
    // Start() returns once the key index is loaded (/readyz 200), not at listening.
    bool wait_ready = true;
  };

  explicit KeywardProcess(Options options);
  ~KeywardProcess();

  // Starts the server; false (with the log in `error`) if it did not come up in time
  // (listening, and with wait_ready its index loaded).
  bool Start(std::string* error = nullptr);
  // Sends `sig` and waits; returns the exit status (or 128+signal). When the server
  // already exited by itself (e.g. Start() failed), its exit status.
  int Stop(int sig = 15);
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  std::uint16_t port() const { return port_; }
  std::string log() const { return ReadFile(log_path_); }
  std::string BootstrapKey() const;  // the key in bootstrap-admin.key, no newline

  // A new client for this server; requests authenticate with `key` when non-empty.
  std::unique_ptr<HttpsClient> Client() const {
    return std::make_unique<HttpsClient>("127.0.0.1", port_, options_.tls);
  }

 private:
  Options options_;
  std::string log_path_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::uint16_t port_ = 0;
};

// Convenience for JSON APIs: Authorization header + JSON body.
ClientResponse Call(HttpsClient& client, const std::string& method,
                    const std::string& target, const std::string& key,
                    const nlohmann::json& body = nullptr, Headers extra = {});
nlohmann::json Json(const ClientResponse& r);

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_KEYWARD_PROCESS_H_
