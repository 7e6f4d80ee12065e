// The listener and the stop coordination; connections themselves live in session.cc.
#include "keyward/http/server.h"

#include <sched.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <csignal>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "keyward/core/cidr.h"
#include "keyward/tls/server_context.h"
#include "session.h"

namespace keyward::http {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kDrainPoll{20};
// After the grace period, force-closed connections get this long to unwind before
// the io_context is stopped regardless (e.g. a handler that never returns).
constexpr std::chrono::seconds kForceCloseWait{1};

Status Validate(const ServerOptions& o, const Handler& handler) {
  auto bad = [](std::string what) {
    return Error{ErrorKind::kInvalidArgument, "http server: " + std::move(what), {}};
  };
  if (!handler) return bad("no handler");
  if (o.threads < 0) return bad("threads must be >= 0");
  if (o.max_header_bytes == 0 ||
      o.max_header_bytes > std::numeric_limits<std::uint32_t>::max()) {
    return bad("max_header_bytes must be between 1 and 4294967295");
  }
  if (o.request_timeout_seconds <= 0) return bad("request_timeout_seconds must be > 0");
  if (o.idle_timeout_seconds <= 0) return bad("idle_timeout_seconds must be > 0");
  if (o.shutdown_grace_seconds < 0) return bad("shutdown_grace_seconds must be >= 0");
  if (o.tls && (o.cert_file.empty() || o.key_file.empty())) {
    return bad("TLS needs both a certificate file and a key file");
  }
  return OkStatus();
}

void LogCoroutineFailure(std::exception_ptr e) {
  internal::LogTaskFailure("server task", std::move(e));
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, std::unique_ptr<asio::ssl::context> ssl)
      : ssl_(std::move(ssl)),
        sessions_(std::move(options), std::move(handler), ssl_.get()),
        iocs_(MakeContexts(Threads())),
        control_ioc_(1),
        control_(control_ioc_.get_executor()),
        acceptor_(control_),
        timer_(control_) {
    const ServerOptions& o = sessions_.options();
    for (auto& ioc : iocs_) work_.emplace_back(ioc->get_executor());
    if (o.offload) {
      offload_pool_.emplace(static_cast<std::size_t>(std::max(1, o.offload_threads)));
      sessions_.set_offload_pool(&*offload_pool_);
    }
  }

  int Threads() const {
    const int t = sessions_.options().threads;
    return t > 0 ? t : AvailableCpus();
  }

  // One io_context per thread, each run by exactly one thread: a connection lives
  // on one of them, so its handlers never run concurrently without a strand (whose
  // lock and reference-counted executor every completion would otherwise pay).
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  Status Listen() {
    const ServerOptions& o = sessions_.options();
    error_code ec;
    tcp::endpoint endpoint;
    const asio::ip::address address = asio::ip::make_address(o.host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, o.port);
    } else {
      tcp::resolver resolver(control_ioc_);
      auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
      if (ec || results.empty()) {
        return Error{ErrorKind::kInvalidArgument,
                     "http server: cannot resolve listen host '" + o.host +
                         "': " + (ec ? ec.message() : "no address"),
                     {}};
      }
      endpoint = results.begin()->endpoint();
    }
    const std::string where =
        "[" + endpoint.address().to_string() + "]:" + std::to_string(endpoint.port());
    auto fail = [&](const char* step) {
      return Error{
          ErrorKind::kUnavailable,
          "http server: cannot listen on " + where + ": " + step + ": " + ec.message(),
          {}};
    };
    // (With BOOST_ASIO_NO_DEPRECATED these calls return void: check ec after each.)
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail("open");
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) return fail("SO_REUSEADDR");
    if (endpoint.address().is_v6() && endpoint.address().is_unspecified()) {
      // "::" means every address, IPv4 included (clients show up as ::ffff:a.b.c.d).
      acceptor_.set_option(asio::ip::v6_only(false), ec);
      ec.clear();
    }
    acceptor_.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen");
    port_ = acceptor_.local_endpoint(ec).port();
    return OkStatus();
  }

  void Start() {
    if (sessions_.options().handle_signals) {
      signals_.emplace(control_, SIGINT, SIGTERM);
      signals_->async_wait([this](const error_code& ec, int signo) {
        if (ec) return;
        spdlog::info("http: signal {} received; stopping", signo);
        BeginStop();
      });
    }
    asio::co_spawn(control_, AcceptLoop(), LogCoroutineFailure);
  }

  void Run() {
    // spdlog creates its registry and default logger on first use. Made here, before
    // the I/O threads exist, their first log lines cannot race to create it (TSan
    // saw two connections' first debug lines do so in a process that had logged
    // nothing yet).
    spdlog::default_logger_raw();
    std::vector<std::thread> pool;
    for (auto& ioc : iocs_) pool.emplace_back([this, &ioc] { RunWorker(*ioc); });
    RunWorker(control_ioc_);
    for (auto& t : pool) t.join();
  }

  void Stop() {
    asio::post(control_, [this] { BeginStop(); });
  }

  std::uint16_t port() const { return port_; }
  internal::SessionContext& sessions() { return sessions_; }
  void set_refused_observer(const std::function<void()>* f) { on_refused_ = f; }
  void set_evicted_observer(const std::function<void()>* f) { on_evicted_ = f; }

 private:
  void RunWorker(asio::io_context& ioc) {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        // Handlers report errors through error codes; this is a last resort so one
        // bad completion cannot take a worker thread away.
        spdlog::error("http: worker caught: {}", e.what());
      }
    }
  }

  asio::awaitable<void> AcceptLoop() {
    asio::steady_timer backoff(control_);
    for (std::size_t next = 0;; next = (next + 1) % iocs_.size()) {
      // Round robin over the threads' contexts: the socket's executor is its home.
      auto [ec, socket] =
          co_await acceptor_.async_accept(iocs_[next]->get_executor(), kNoThrow);
      if (sessions_.stopping() || ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Typically EMFILE: back off instead of spinning on a full descriptor table.
        spdlog::warn("http: accept failed: {}", ec.message());
        backoff.expires_after(std::chrono::milliseconds(100));
        co_await backoff.async_wait(kNoThrow);
        continue;
      }
      std::string peer_ip = internal::PeerIp(socket);
      if (peer_ip.empty()) {  // the peer left before we could ask who it was
        error_code ignored;
        socket.close(ignored);
        continue;
      }
      std::string group = internal::PeerGroup(peer_ip);
      if (!Admit(socket, peer_ip, group)) continue;
      internal::StartSession(std::move(socket), std::move(peer_ip), std::move(group),
                             sessions_);
    }
  }

  // Whether a new connection may open. One client must not be able to keep every
  // other out (attack review: 20 keep-alive connections, a request each every 50 s,
  // held a 20-connection server shut): a peer address (an IPv6 /64) may hold at
  // most max_connections_per_ip unless it is exempt (a trusted proxy), and once
  // max_connections are open, one is closed to make room (SessionContext::EvictOne:
  // the longest waiting for a request, else the longest stalled in one). Only when
  // every connection is answering, or reading a request that just began, is the
  // new one closed.
  bool Admit(internal::ConnectionSocket& socket, const std::string& peer_ip,
             const std::string& group) {
    const ServerOptions& o = sessions_.options();
    if (o.max_connections_per_ip > 0 &&
        sessions_.group_count(group) >= o.max_connections_per_ip) {
      const auto addr = core::IpAddress::Parse(peer_ip);
      if (!addr || !o.connection_limit_exempt.Contains(*addr)) {
        Refuse(socket, "limits.max_connections_per_ip", o.max_connections_per_ip);
        return false;
      }
    }
    const std::size_t most = o.max_connections;
    if (most == 0) return true;
    const std::size_t live = sessions_.live_count();
    // Evicted connections close on their own threads, a moment later: past a small
    // slack of those in flight, refuse rather than overshoot.
    if (live < most) return true;
    if (live < most + most / 16 + 1 && sessions_.EvictOne()) {
      if (on_evicted_ != nullptr && *on_evicted_) (*on_evicted_)();
      return true;
    }
    Refuse(socket, "limits.max_connections", most);
    return false;
  }

  // Closes a connection past a limit at once: no TLS handshake, no answer, nothing
  // held for it (answering would cost the handshake the cap is to spare).
  void Refuse(internal::ConnectionSocket& socket, const char* limit, std::size_t most) {
    error_code ignored;
    socket.close(ignored);
    if (on_refused_ != nullptr && *on_refused_) (*on_refused_)();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_refusal_log_ >= std::chrono::minutes(1)) {
      last_refusal_log_ = now;
      spdlog::warn(
          "http: {} is {} and every connection is busy, or the peer holds that many: "
          "closing new connections (logged at most once a minute)",
          limit, most);
    }
  }

  // On the control context. Idempotent.
  void BeginStop() {
    if (stop_started_) return;
    stop_started_ = true;
    sessions_.set_stopping();
    error_code ignored;
    acceptor_.close(ignored);
    if (signals_) signals_->cancel(ignored);
    for (const auto& s : sessions_.Live()) s->CloseIfIdle();
    asio::co_spawn(control_, DrainThenFinish(), LogCoroutineFailure);
  }

  // Waits for in-flight requests, bounded by the grace period. Once nothing is
  // left, the work guards go, every io_context runs out of work and Run() returns.
  asio::awaitable<void> DrainThenFinish() {
    const auto grace = std::chrono::seconds(sessions_.options().shutdown_grace_seconds);
    if (co_await WaitForSessions(grace)) {
      work_.clear();
      co_return;
    }
    spdlog::warn("http: {} connection(s) still busy after {} s; closing them",
                 sessions_.live_count(), grace.count());
    for (const auto& s : sessions_.Live()) s->ForceClose();
    if (co_await WaitForSessions(kForceCloseWait)) {
      work_.clear();
      co_return;
    }
    spdlog::warn("http: a handler did not return; stopping the workers anyway");
    for (auto& ioc : iocs_) ioc->stop();
    control_ioc_.stop();
  }

  asio::awaitable<bool> WaitForSessions(std::chrono::steady_clock::duration limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (sessions_.live_count() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer_.expires_after(kDrainPoll);
      co_await timer_.async_wait(kNoThrow);
    }
    co_return sessions_.live_count() == 0;
  }

  // Destruction runs bottom-up: the io_contexts (and with them every session,
  // which unregisters itself) go before sessions_ and the TLS context it uses.
  std::unique_ptr<asio::ssl::context> ssl_;
  internal::SessionContext sessions_;
  std::vector<std::unique_ptr<asio::io_context>> iocs_;
  // Keep each context's run() going while it has no connection; released once the
  // server has drained (control context only).
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  // Destroyed (stopped and joined: running handlers finish) before the io_contexts
  // its completions are posted to, and before the SessionContext handlers use.
  std::optional<asio::thread_pool> offload_pool_;
  // Run by the thread that called Run(): the acceptor, signals and the stop
  // sequence. Apart from the I/O threads, so a handler that blocks one of them
  // never delays accepting or stopping; it only wakes for those.
  asio::io_context control_ioc_;
  asio::io_context::executor_type control_;
  tcp::acceptor acceptor_;
  std::optional<asio::signal_set> signals_;
  asio::steady_timer timer_;
  const std::function<void()>* on_refused_ = nullptr;  // Server::on_connection_refused
  const std::function<void()>* on_evicted_ = nullptr;  // Server::on_connection_evicted
  std::chrono::steady_clock::time_point last_refusal_log_{};  // control context only
  std::uint16_t port_ = 0;
  bool stop_started_ = false;  // control context only
};

int AvailableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) {
    return std::max(1, CPU_COUNT(&set));
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, Handler handler) {
  if (Status st = Validate(options, handler); !st.ok()) return st.error();
  std::unique_ptr<asio::ssl::context> ssl;
  if (options.tls) {
    Result<tls::SslCtxPtr> ctx =
        tls::CreateServerContext(options.cert_file, options.key_file);
    RETURN_IF_ERROR(ctx);
    // asio takes ownership of the native context.
    ssl = std::make_unique<asio::ssl::context>(ctx->release());
  }
  auto impl =
      std::make_unique<Impl>(std::move(options), std::move(handler), std::move(ssl));
  if (Status st = impl->Listen(); !st.ok()) return st.error();
  impl->Start();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->sessions().set_observer(&on_transport_response);
  impl_->set_refused_observer(&on_connection_refused);
  impl_->set_evicted_observer(&on_connection_evicted);
}

Server::~Server() = default;

std::uint16_t Server::port() const { return impl_->port(); }

void Server::Run() { impl_->Run(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace keyward::http
