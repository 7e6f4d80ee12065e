#include "keyward/cli/cli.h"

#include "keyward/cli/log_format.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace keyward::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  keyward serve   [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--insecure-http]
  keyward init    [--config FILE] [--data-dir DIR]
  keyward keys create --owner USERNAME --name NAME [--scopes a:b,c:d] [--expires-in 30d]
                      [--out FILE] [--data-dir DIR]
  keyward keys list   [--data-dir DIR] [--json]
  keyward keys revoke ID [--data-dir DIR]
  keyward users set-password USERNAME [--data-dir DIR]   (password on stdin)
  keyward keys seed --count N --owner USERNAME [--scopes a:b] [--rate-limit L/W] [--out FILE]
  keyward config check FILE
  keyward health  [--url URL] [--config FILE] [--cacert FILE] [--insecure] [--timeout S]
  keyward version
)";

int Usage(const std::string& error) {
  if (!error.empty()) std::cerr << "keyward: " << error << "\n";
  std::cerr << kUsage;
  return 2;
}

std::optional<config::Config> LoadConfig(const Args& args) {
  config::Flags flags;
  flags.config_file = args.Get("config");
  flags.data_dir = args.Get("data-dir");
  flags.listen = args.Get("listen");
  flags.insecure_http = args.Has("insecure-http");
  auto cfg = config::Load(flags);
  if (!cfg.ok()) {
    std::cerr << "keyward: " << config::Describe(cfg.error()) << "\n";
    return std::nullopt;
  }
  return std::move(*cfg);
}

int ConfigCheck(const std::vector<std::string>& positional) {
  if (positional.size() != 3) return Usage("config check needs exactly one FILE");
  auto cfg = config::ApplyFile(positional[2], config::Config::Defaults());
  if (cfg.ok()) cfg = config::Validate(std::move(*cfg));
  if (!cfg.ok()) {
    std::cerr << "keyward: " << config::Describe(cfg.error()) << "\n";
    return 2;
  }
  std::cout << "config OK: " << positional[2] << "\n";
  return 0;
}

}  // namespace

std::optional<std::string> Args::Get(const std::string& name) const {
  for (const auto& [k, v] : options) {
    if (k == name) return v;
  }
  return std::nullopt;
}

bool Args::Has(const std::string& name) const {
  return std::find(switches.begin(), switches.end(), name) != switches.end();
}

std::optional<Args> ParseArgs(const std::vector<std::string>& argv,
                              const std::vector<std::string>& value_options,
                              const std::vector<std::string>& switch_options,
                              std::string& error) {
  Args args;
  auto known = [](const std::vector<std::string>& list, const std::string& n) {
    return std::find(list.begin(), list.end(), n) != list.end();
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a.size() == 2) {
      args.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (known(switch_options, name) && !value) {
      args.switches.push_back(name);
    } else if (known(value_options, name)) {
      if (!value) {
        if (i + 1 >= argv.size()) {
          error = "option --" + name + " needs a value";
          return std::nullopt;
        }
        value = argv[++i];
      }
      args.options.emplace_back(name, *value);
    } else {
      error = "unknown option --" + name;
      return std::nullopt;
    }
  }
  return args;
}

void SetupLogging(const config::Config& config) {
  auto logger = spdlog::stderr_logger_mt("keyward");
  logger->set_level(spdlog::level::from_str(config.log_level));
  logger->set_formatter(MakeLogFormatter(config.log_format == "json" ? LogFormat::kJson
                                                                     : LogFormat::kText));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

int Main(int argc, char** argv) {
  // Everything keyward creates (db, WAL, pepper, keys, certs) is private to its user.
  ::umask(077);
  std::vector<std::string> raw(argv + 1, argv + argc);
  std::string error;
  auto args =
      ParseArgs(raw,
                {"config", "data-dir", "listen", "owner", "name", "scopes", "expires-in",
                 "out", "url", "cacert", "timeout", "count", "rate-limit"},
                {"insecure-http", "json", "help", "insecure"}, error);
  // A HEALTHCHECK must never see exit code 2 (Docker reserves it): health says 1.
  const bool health = !raw.empty() && raw[0] == "health";
  if (!args) {
    const int code = Usage(error);
    return health ? 1 : code;
  }
  const auto& pos = args->positional;
  if (pos.empty() || args->Has("help"))
    return Usage(pos.empty() ? "missing command" : "");
  const std::string& cmd = pos[0];
  if (cmd == "version") {
    std::cout << "keyward " << KEYWARD_VERSION << "\n";
    return 0;
  }
  if (cmd == "config" && pos.size() >= 2 && pos[1] == "check") return ConfigCheck(pos);
  if (cmd == "health") return RunHealth(*args);
  if (cmd != "serve" && cmd != "init" && cmd != "keys" && cmd != "users")
    return Usage("unknown command " + cmd);
  auto cfg = LoadConfig(*args);
  if (!cfg) return 2;
  SetupLogging(*cfg);
  if (cmd == "serve")
    return pos.size() == 1 ? RunServe(*cfg) : Usage("serve takes no arguments");
  if (cmd == "init")
    return pos.size() == 1 ? RunInit(*cfg) : Usage("init takes no arguments");
  if (cmd == "users") return RunUsers(*cfg, *args);
  return RunKeys(*cfg, *args);
}

}  // namespace keyward::cli
