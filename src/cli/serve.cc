// `keyward serve` and `keyward init`: open the data dir, prepare TLS, run the server
// until SIGTERM/SIGINT, then flush usage and exit 0.
#include <spdlog/spdlog.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "keyward/api/api.h"
#include "keyward/cli/cli.h"
#include "keyward/core/redis_url.h"
#include "keyward/http/server.h"
#include "keyward/limits/redis_limiter.h"
#include "keyward/metrics/metrics.h"
#include "keyward/service/app.h"
#include "keyward/service/change_poller.h"
#include "keyward/service/data_dir.h"
#include "keyward/store/change_listener.h"
#include "keyward/tls/self_signed.h"
#include "keyward/usage/audit_writer.h"
#include "keyward/usage/quota_flusher.h"
#include "keyward/usage/usage_writer.h"

namespace keyward::cli {
namespace {

constexpr auto kSyncInterval = std::chrono::milliseconds(250);
// Live quota counts reach the store this often: the most uses a crash can forget.
constexpr auto kQuotaFlushInterval = std::chrono::seconds(1);
// Queued auth.denied events reach the store this often (write events: at once).
constexpr auto kAuditFlushInterval = std::chrono::seconds(1);

// On failure returns null with `exit_code` set: 2 for a pepper that the shared
// database does not accept (a configuration error, like a held data dir), else 1.
std::unique_ptr<service::App> OpenApp(const config::Config& config, int* exit_code,
                                      service::IndexLoad load) {
  auto app = service::App::Open(config, load);
  if (!app.ok()) {
    spdlog::critical("cannot open data dir '{}': {}", config.data_dir,
                     app.error().message);
    // Only a configuration the database refuses (a pepper_file that does not
    // match a shared database's) is kValidation here.
    *exit_code = app.error().kind == ErrorKind::kValidation ? 2 : 1;
    return nullptr;
  }
  if ((*app)->wrote_bootstrap_key()) {
    spdlog::info("bootstrap admin key written to {} (mode 0600; shown nowhere else)",
                 (*app)->data_dir().bootstrap_key_path());
  }
  return std::move(*app);
}

// Fills cert/key paths: the configured pair, or a self-signed pair in <data>/tls/.
bool PrepareTls(const config::Config& config, const service::DataDir& dir,
                http::ServerOptions& options) {
  options.cert_file = config.tls_cert_file;
  options.key_file = config.tls_key_file;
  if (options.cert_file.empty()) {
    options.cert_file = dir.cert_path();
    options.key_file = dir.key_path();
    if (!service::FileExists(options.cert_file) ||
        !service::FileExists(options.key_file)) {
      if (auto s = service::EnsurePrivateDir(dir.tls_dir()); !s.ok()) {
        spdlog::critical("{}", s.error().message);
        return false;
      }
      std::remove(options.cert_file.c_str());
      std::remove(options.key_file.c_str());
      if (auto s = tls::GenerateSelfSigned(options.cert_file, options.key_file);
          !s.ok()) {
        spdlog::critical("cannot create a self-signed certificate: {}",
                         s.error().message);
        return false;
      }
      spdlog::info("created a self-signed certificate in {}", dir.tls_dir());
    }
  }
  auto fp = tls::CertificateFingerprintSha256(options.cert_file);
  if (!fp.ok()) {
    spdlog::critical("cannot read certificate {}: {}", options.cert_file,
                     fp.error().message);
    return false;
  }
  spdlog::info("TLS certificate {} SHA-256 fingerprint {}", options.cert_file, *fp);
  return true;
}

// While alive, glibc makes each new heap of a thread's malloc arena writable in one
// go. The loader is not the main thread, so its ~1 GB for 10^6 keys comes from such
// heaps, which glibc otherwise grows a page at a time with an mprotect() per page
// (~250 000 calls, ~10 % of the load's CPU in a profile). The pad is virtual address
// space: pages still cost only once touched. Restored to glibc's default afterwards,
// so freed memory is trimmed as before; setting it also stops glibc adapting its mmap
// threshold, which then stays at its 128 KiB default.
class LoadMallocPad {
 public:
#if defined(__GLIBC__)
  LoadMallocPad() { mallopt(M_TOP_PAD, 64 << 20); }  // a whole arena heap
  ~LoadMallocPad() { mallopt(M_TOP_PAD, 128 << 10); }
#else
  LoadMallocPad() = default;
#endif
  LoadMallocPad(const LoadMallocPad&) = delete;
  LoadMallocPad& operator=(const LoadMallocPad&) = delete;
};

// The first full load of the store into memory; App::ready() turns true with it.
void LoadIndex(service::App& app, const config::Config& config,
               const std::atomic<bool>& stopping) {
  // Test hook: integration tests hold the load until this file exists, to look at
  // the not-ready server for as long as they need. The load itself is the real one.
  if (const char* hold = std::getenv("KEYWARD_TEST_HOLD_INDEX_LOAD")) {
    while (!service::FileExists(hold) && !stopping.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  LoadMallocPad pad;
  for (;;) {
    Status loaded = app.SyncFromStore();
    if (loaded.ok()) break;
    spdlog::error("loading the key index failed (retried every {} ms): {}",
                  kSyncInterval.count(), loaded.error().message);
    for (auto waited = std::chrono::milliseconds(0); waited < kSyncInterval;
         waited += std::chrono::milliseconds(10)) {
      if (stopping.load()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Never the URL itself: it may carry a password.
  const bool sqlite = config.store_url.empty() || config.store_url == "sqlite:";
  spdlog::info("loaded {} keys from {} in {:.2f} s; ready", app.index().Size(),
               sqlite ? app.data_dir().db_path() : std::string("PostgreSQL (store.url)"),
               secs);
#if defined(__GLIBC__)
  // The load's temporaries (the read's record pointers and the index's sort by shard,
  // ~48 MB at 10^6 keys) may come from the loader's arena rather than mappings of
  // their own: glibc raises its mmap threshold (up to 32 MiB) when a large mapping
  // is freed, as one may be before the load. Freed inside the arena they would stay
  // in the server's RSS for good; handed back here, after ready.
  malloc_trim(0);
#endif
}

}  // namespace

int RunInit(const config::Config& config) {
  int exit_code = 1;
  auto app = OpenApp(config, &exit_code, service::IndexLoad::kAtOpen);
  if (!app) return exit_code;
  if (!config.insecure_http) {
    http::ServerOptions options;
    if (!PrepareTls(config, app->data_dir(), options)) return 1;
  }
  std::cout << "initialised " << config.data_dir << "\n";
  return 0;
}

int RunServe(const config::Config& config) {
  // One server per data dir: taken before anything is opened, held until exit.
  std::unique_ptr<service::DataDirLock> lock;
  {
    auto s = service::EnsurePrivateDir(config.data_dir);
    auto held = s.ok() ? service::DataDirLock::Acquire(service::DataDir{config.data_dir})
                       : Result<std::unique_ptr<service::DataDirLock>>(s.error());
    if (!held.ok()) {
      spdlog::critical("{}", held.error().message);
      return held.error().Is(ErrorCause::kLocked) ? 2 : 1;
    }
    lock = std::move(*held);
  }
  int exit_code = 1;
  // The index loads once the server listens (IndexLoader): /healthz answers and
  // /readyz says 503 meanwhile, instead of connections being refused for seconds.
  auto app = OpenApp(config, &exit_code, service::IndexLoad::kDeferred);
  if (!app) return exit_code;
  http::ServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.tls = !config.insecure_http;
  options.max_header_bytes = config.max_header_bytes;
  options.max_body_bytes = config.max_body_bytes;
  options.request_timeout_seconds = config.request_timeout_seconds;
  options.max_connections = static_cast<std::size_t>(config.max_connections);
  options.max_connections_per_ip =
      static_cast<std::size_t>(config.max_connections_per_ip);
  // Validate() has parsed them already.
  options.connection_limit_exempt =
      core::CidrList::Parse(config.trusted_proxies).value_or(core::CidrList());
  options.threads = config.threads;  // 0: from the CPU affinity
  // Admin calls wait on SQLite (fsync, a CLI holding the write lock): they run on
  // their own pool, so verification and TLS handshakes never queue behind them.
  options.offload = &api::Api::MayBlock;
  if (options.tls && !PrepareTls(config, app->data_dir(), options)) return 1;
  if (!options.tls) {
    spdlog::warn(
        "--insecure-http: serving plain HTTP; API keys cross the network in clear. "
        "Use only behind a TLS-terminating proxy.");
  }

  metrics::Metrics metrics;
  // limits.backend = redis://...: the verifier's rate limits and quotas and the
  // gate's failed-auth throttle count on Redis (the limiter outlives the server).
  std::unique_ptr<limits::RedisLimiter> shared_limits;
  if (config.limits_backend != "local") {
    limits::RedisOptions ro;
    ro.endpoint = *core::ParseRedisUrl(config.limits_backend);  // validated
    ro.connect_timeout = ro.command_timeout =
        std::chrono::milliseconds(config.limits_backend_timeout_ms);
    metrics.SetLimitsBackendUp(true);
    shared_limits = std::make_unique<limits::RedisLimiter>(
        ro, [&metrics](bool up) { metrics.SetLimitsBackendUp(up); },
        [&metrics] { metrics.CountLimitsBackendError(); });
    app->policies().UseSharedBackend(shared_limits.get(),
                                     config.limits_on_backend_error == "deny"
                                         ? core::BackendErrorMode::kDeny
                                         : core::BackendErrorMode::kLocal);
    spdlog::info("limits: shared on redis {} (on_backend_error: {})",
                 shared_limits->pool().Describe(), config.limits_on_backend_error);
  }
  usage::UsageWriter usage(app->store(),
                           std::chrono::seconds(config.last_used_flush_seconds));
  usage.Start();
  usage::QuotaFlusher quotas(app->store(), app->policies().table(), kQuotaFlushInterval);
  quotas.Start();
  service::ChangePoller poller(*app, kSyncInterval);
  // PostgreSQL: other replicas' commits wake the poller at once (null on SQLite).
  std::unique_ptr<store::ChangeListener> listener =
      store::ListenForChanges(config.store_url, [&poller] { poller.Wake(); });
  usage::AuditWriter audit(
      app->store(), kAuditFlushInterval, &metrics, usage::AuditWriter::kDefaultMaxQueued,
      {config.audit_retention_days, [&app] { return app->clock().Now(); }});
  audit.Start();
  api::Api api(*app, usage, metrics, &audit);
  auto server = http::Server::Create(
      options, [&api](const http::Request& req) { return api.Handle(req); });
  if (!server.ok()) {
    spdlog::critical("cannot listen on {}: {}", config.listen, server.error().message);
    return 1;
  }
  (*server)->on_transport_response = [&metrics](int status) {
    metrics.ObserveRequest("transport", status, 0.0);
  };
  (*server)->on_connection_refused = [&metrics] { metrics.CountConnectionRefused(); };
  (*server)->on_connection_evicted = [&metrics] { metrics.CountConnectionEvicted(); };
  const std::string host = options.host.find(':') != std::string::npos
                               ? "[" + options.host + "]"
                               : options.host;
  spdlog::info("listening on {}://{}:{}", options.tls ? "https" : "http", host,
               (*server)->port());
  // Started after the listener exists; the poller retries a failed load.
  std::atomic<bool> stopping{false};
  std::thread loader([&app, &config, &stopping] { LoadIndex(*app, config, stopping); });
  (*server)->Run();
  stopping = true;
  loader.join();
  spdlog::info("shutting down: flushing pending usage");
  poller.Stop();
  usage.Stop();
  quotas.Stop();
  audit.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace keyward::cli
