// Private: one accepted connection, and what the server shares with all of them.
//
// server.cc accepts sockets and coordinates stopping; session.cc runs each
// connection (TLS handshake, keep-alive request loop, limits, deadlines) as a
// coroutine on the single-threaded io_context that owns the connection. This
// header is the seam between the two translation units, so each stays one concept
// and the Beast HTTP code is compiled once.
//
// Thread-safety: SessionContext is safe to use from every thread once built;
// Session's methods may be called from any thread.
#ifndef KEYWARD_SRC_HTTP_SESSION_H_
#define KEYWARD_SRC_HTTP_SESSION_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "connection_deadline.h"
#include "idle_mark.h"
#include "keyward/http/message.h"
#include "keyward/http/server.h"
#include "transport_error.h"

namespace keyward::http::internal {

// What the server may ask of a live connection.
class Session {
 public:
  virtual ~Session() = default;
  // Closes the connection if it is waiting for a request (keep-alive idle, or in
  // the TLS handshake); a request being read or handled completes first and is
  // answered with Connection: close.
  virtual void CloseIfIdle() = 0;
  // Closes the connection now, whatever it is doing.
  virtual void ForceClose() = 0;
  // What the connection is doing, and since when.
  virtual IdleMark::Mark mark() const = 0;
  // Closes the connection if its mark is still `seen` and it is not answering a
  // request by the time its thread gets to it; true if it was claimed.
  virtual bool Evict(IdleMark::Mark seen) = 0;
};

// Shared, read-mostly state: options, handler, TLS context, the stop flag and the
// set of live sessions. Outlives every session (the server destroys its
// io_context, and with it every session, before this).
class SessionContext {
 public:
  SessionContext(ServerOptions options, Handler handler, boost::asio::ssl::context* ssl);

  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  boost::asio::ssl::context* ssl() const { return ssl_; }  // null: plain HTTP

  // `observer` is Server::on_transport_response; it may hold an empty function.
  void set_observer(const std::function<void(int)>* observer) { observer_ = observer; }
  void ReportTransportResponse(int status) const;

  // Runs the handler; a throw, or an invalid status or header, becomes a 500.
  Response Call(const Request& request) const;
  // The transport's own answer for `error` (transport_error.h), reported to the
  // observer like every response the handler did not make.
  Response TransportResponse(TransportError error, std::size_t limit = 0) const;

  // The pool offloaded requests run on (null: none), and its admission bound.
  void set_offload_pool(boost::asio::thread_pool* pool) { offload_pool_ = pool; }
  boost::asio::thread_pool* offload_pool() const { return offload_pool_; }
  bool Offloads(const Request& request) const {
    return offload_pool_ != nullptr && options_.offload && options_.offload(request);
  }
  // Admits one more offloaded request unless offload_limit are in flight.
  bool TryBeginOffload() {
    if (offloaded_.fetch_add(1, std::memory_order_acq_rel) >= options_.offload_limit) {
      offloaded_.fetch_sub(1, std::memory_order_acq_rel);
      return false;
    }
    return true;
  }
  void EndOffload() { offloaded_.fetch_sub(1, std::memory_order_acq_rel); }

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void set_stopping() { stopping_.store(true, std::memory_order_release); }

  // `group`: the peer's address, or its /64 for IPv6 (PeerGroup), counted for
  // limits.max_connections_per_ip.
  void Add(const std::shared_ptr<Session>& session, std::string group);
  void Remove(const Session* session);
  std::vector<std::shared_ptr<Session>> Live() const;
  std::size_t live_count() const;
  std::size_t group_count(const std::string& group) const;
  // Closes a connection to make room for a new one: the one that has waited
  // longest for a request (handshake or keep-alive), else the one whose request has
  // been arriving longest, if for over kStalledReadNs. False if none qualifies:
  // every connection is answering, or reading a request that began just now.
  bool EvictOne();
  static constexpr std::int64_t kStalledReadNs = 1'000'000'000;

 private:
  const ServerOptions options_;
  const Handler handler_;
  boost::asio::ssl::context* const ssl_;
  const std::function<void(int)>* observer_ = nullptr;
  std::atomic<bool> stopping_{false};
  boost::asio::thread_pool* offload_pool_ = nullptr;
  std::atomic<std::size_t> offloaded_{0};

  struct LiveEntry {
    std::weak_ptr<Session> session;
    std::string group;
  };
  mutable std::mutex mu_;
  std::unordered_map<const Session*, LiveEntry> live_;      // guarded by mu_
  std::unordered_map<std::string, std::size_t> per_group_;  // guarded by mu_
};

// Serves `socket` (on the single-threaded io_context it belongs to) until the peer
// leaves, a deadline passes or the server stops. Registers the session with `ctx` and
// removes it when the connection ends.
// `peer_ip` is PeerIp(socket), `group` PeerGroup(peer_ip).
void StartSession(ConnectionSocket socket, std::string peer_ip, std::string group,
                  SessionContext& ctx);

// Logs a coroutine's exception, naming `what` (none is expected: errors are
// values); LogSessionFailure for a connection's.
void LogTaskFailure(const char* what, std::exception_ptr e);
void LogSessionFailure(std::exception_ptr e);

// The peer's address as text; "::ffff:1.2.3.4" (an IPv4 client on a dual-stack
// socket) is reported as "1.2.3.4". Empty if the peer has already gone.
std::string PeerIp(const ConnectionSocket& socket);
// What limits.max_connections_per_ip counts by: an IPv4 address, or the /64 of an
// IPv6 one (a single host is commonly given a whole /64).
std::string PeerGroup(const std::string& peer_ip);

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_SESSION_H_
