// Server: the HTTP/1.1 (normally HTTPS) transport in front of a Handler.
//
// It owns the listening socket, a pool of worker threads, TLS, keep-alive, request
// limits and deadlines, and turns wire messages into keyward::http::Request and
// Response so that handlers never see a socket. Requests the transport itself must
// refuse (oversized header or body, unparseable bytes) and handlers that throw are
// answered with application/problem+json (RFC 9457) here. Header values and bodies
// carry API keys, so nothing here logs them; connection errors log at debug level.
//
// Thread-safety: Create, then set on_transport_response, then call Run() once on
// one thread. Stop() may be called from any thread (and from a handler) at any time,
// also before Run(). The Handler is called concurrently from the worker threads.
// Destroy the Server only after Run() has returned (or if it was never called).
#ifndef KEYWARD_HTTP_SERVER_H_
#define KEYWARD_HTTP_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "keyward/core/cidr.h"
#include "keyward/core/result.h"
#include "keyward/http/message.h"

namespace keyward::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // address literal or name; "::" is dual-stack
  std::uint16_t port = 8443;       // 0 = ephemeral, see Server::port()
  bool tls = true;
  std::string cert_file, key_file;       // PEM; required when tls
  int threads = 0;                       // 0 = the CPUs this process may run on
  std::size_t max_header_bytes = 8192;   // request line + header fields; over: 431
  std::size_t max_body_bytes = 1 << 20;  // over: 413
  int request_timeout_seconds = 30;      // handshake + first wait, each read, each write
  int idle_timeout_seconds = 60;         // keep-alive wait for the next request
  int shutdown_grace_seconds = 10;       // Stop(): in-flight requests get this long
  // Open connections at once (0: no bound). Past it, the connection that has waited
  // longest for a request (handshake or keep-alive), else the one whose request has
  // been arriving longest (over a second), is closed to make room; when there is
  // none, the new one is closed at accept.
  std::size_t max_connections = 0;
  // Connections one peer address (an IPv6 /64) may hold (0: no bound), except
  // addresses in connection_limit_exempt (a gateway's); past it, closed at accept.
  std::size_t max_connections_per_ip = 0;
  core::CidrList connection_limit_exempt;
  bool handle_signals = true;  // SIGTERM/SIGINT call Stop()
  // Requests for which `offload` returns true (admin work that may wait on the
  // store) run on a pool of `offload_threads`, never on the I/O threads that answer
  // the rest, so a store that blocks never stalls verification or a TLS handshake.
  // At most `offload_limit` such requests are in flight or waiting; past that they
  // are answered 503 with Retry-After at once.
  std::function<bool(const Request&)> offload;
  int offload_threads = 4;
  std::size_t offload_limit = 64;
};

// The CPUs this process may run on (sched_getaffinity), at least 1: a server pinned
// to one core with `taskset` should not start one thread per core of the machine.
int AvailableCpus();

class Server {
 public:
  // Validates `options`, loads the TLS certificate and key, and binds and listens,
  // so port() is known and connections queue before Run(). Errors: kInvalidArgument
  // for a bad option, an unreadable certificate or key (the message names the file)
  // or an unresolvable host; kUnavailable when the address cannot be bound.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, Handler handler);

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the ephemeral one chosen when options.port was 0).
  std::uint16_t port() const;

  // Serves on `threads` I/O threads, each running its own event loop with its
  // share of the connections, while the calling thread accepts and coordinates
  // stopping; returns once Stop() (or a signal) has drained the connections and the
  // threads are joined.
  void Run();

  // Graceful stop: stop accepting, close idle keep-alive connections, let requests
  // already being read or handled finish (answered with Connection: close) for up to
  // shutdown_grace_seconds, then close what is left and make Run() return.
  // Thread-safe and idempotent.
  void Stop();

  // Optional observer of responses the transport produced itself (400, 413, 431,
  // 500), e.g. for metrics. Called on worker threads; set it before Run().
  std::function<void(int status)> on_transport_response;
  // Optional: called (on the accepting thread) for each connection closed at accept
  // because max_connections were open and busy, or its peer held
  // max_connections_per_ip. Set it before Run().
  std::function<void()> on_connection_refused;
  // Optional: called (on the accepting thread) for each waiting connection closed
  // to make room for a new one. Set it before Run().
  std::function<void()> on_connection_evicted;

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_SERVER_H_
