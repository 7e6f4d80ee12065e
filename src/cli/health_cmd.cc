// `keyward health [--url URL] [--config FILE] [--cacert FILE] [--insecure]
// [--timeout SECONDS]`: exit 0 when the server answers 200, 1 otherwise (never 2:
// Docker reserves that code in HEALTHCHECK, so usage errors are 1 here too).
//
// Without --url the address is the one `keyward serve` would listen on with the
// same config file and environment (KEYWARD_LISTEN, KEYWARD_INSECURE_HTTP), so a
// container started with another port stays healthy without a new HEALTHCHECK.
#include <charconv>
#include <iostream>

#include "keyward/cli/cli.h"
#include "keyward/http/health_client.h"

namespace keyward::cli {
namespace {

int Fail(const std::string& what) {
  std::cerr << "keyward health: " << what << "\n";
  return 1;
}

// The loopback URL of the server that `config` describes.
std::string DefaultUrl(const config::Config& config) {
  std::string host = config.listen_host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(config.insecure_http ? "http" : "https") + "://" + host + ":" +
         std::to_string(config.listen_port) + "/healthz";
}

}  // namespace

int RunHealth(const Args& args) {
  if (args.positional.size() != 1) return Fail("takes no arguments");
  http::HealthCheckOptions options;
  if (auto url = args.Get("url")) {
    options.url = *url;
  } else {
    config::Flags flags;
    flags.config_file = args.Get("config");
    auto cfg = config::Load(flags);
    if (!cfg.ok()) return Fail(config::Describe(cfg.error()));
    if (cfg->listen_port == 0) return Fail("listen port is 0; give --url");
    options.url = DefaultUrl(*cfg);
  }
  options.insecure = args.Has("insecure");
  options.ca_file = args.Get("cacert").value_or("");
  if (auto t = args.Get("timeout")) {
    int seconds = 0;
    auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), seconds);
    if (ec != std::errc() || end != t->data() + t->size() || seconds < 1 ||
        seconds > 300) {
      return Fail("--timeout must be 1 to 300 seconds");
    }
    options.timeout_seconds = seconds;
  }
  const http::HealthCheckResult r = http::CheckHealth(options);
  if (r.status == 200) return 0;
  if (r.status == 0) return Fail(options.url + ": " + r.error);
  return Fail(options.url + " answered " + std::to_string(r.status));
}

}  // namespace keyward::cli
