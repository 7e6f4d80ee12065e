// The keyward command line (contract section 1): serve, init, keys create|list|revoke,
// config check, health, version. Main() returns the process exit code: 0 success, 1
// runtime failure, 2 usage or configuration error.
#ifndef KEYWARD_CLI_CLI_H_
#define KEYWARD_CLI_CLI_H_

#include <optional>
#include <string>
#include <vector>

#include "keyward/config/config.h"

namespace keyward::service {
class App;
}  // namespace keyward::service

namespace keyward::cli {

int Main(int argc, char** argv);

// Parsed "--name value" / "--name=value" options; bare words are positional.
struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // name without "--"
  std::vector<std::string> switches;                         // flags without value

  std::optional<std::string> Get(const std::string& name) const;
  bool Has(const std::string& name) const;
};

// `value_options` take a value; `switch_options` do not; anything else is an error
// reported in `error`.
std::optional<Args> ParseArgs(const std::vector<std::string>& argv,
                              const std::vector<std::string>& value_options,
                              const std::vector<std::string>& switch_options,
                              std::string& error);

int RunServe(const config::Config& config);
int RunInit(const config::Config& config);
int RunKeys(const config::Config& config, const Args& args);
// `keyward users set-password USERNAME`: the password comes from standard input.
int RunUsers(const config::Config& config, const Args& args);
// `keyward keys seed --count N --owner USERNAME [--scopes a:b] [--rate-limit L/W]
// [--out FILE]`: adds N keys in bulk (benchmarks); --out receives the first key.
int RunKeysSeed(service::App& app, const Args& args);
// `keyward health`: takes its own options (it must work without a data dir).
int RunHealth(const Args& args);

// Sets up spdlog on stderr with the configured level and format.
void SetupLogging(const config::Config& config);

}  // namespace keyward::cli

#endif  // KEYWARD_CLI_CLI_H_
