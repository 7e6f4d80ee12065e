// Private: how a connection ends (session.cc), one concept apart from its request
// loop: an orderly close sends TLS close_notify and a FIN; after a transport error
// it also drains what the client still sends, for a while, before closing.
#ifndef KEYWARD_SRC_HTTP_CONNECTION_CLOSE_H_
#define KEYWARD_SRC_HTTP_CONNECTION_CLOSE_H_

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "connection_deadline.h"
#include "io_step.h"
#include "stream_wait.h"

namespace keyward::http::internal {

enum class Next {
  kKeepAlive,  // serve the next request on this connection
  kClose,      // orderly close: TLS close_notify, FIN
  kLinger,     // orderly close, then drain what the client still sends
  kDrop,       // the connection is unusable (timeout, peer gone): just close it
};

// After a transport error the client may still be sending the rest of its request.
// Reading (and discarding) it for a while before closing keeps the kernel from
// answering with a RST that could destroy our error response in flight.
inline constexpr std::chrono::seconds kMaxLinger{5};
inline constexpr std::size_t kMaxLingerBytes = 4 << 20;

// Ends the connection `how` says. `stream` (PlainStream or TlsStream) is on
// `socket`; `deadline` bounds each step by `linger` (at most kMaxLinger).
template <class Stream>
boost::asio::awaitable<void, Executor> CloseConnection(
    Stream& stream, ConnectionSocket& socket, ConnectionDeadline& deadline,
    std::chrono::seconds timeout, Next how, const std::string& peer) {
  namespace asio = boost::asio;
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable_t<Executor>{});
  boost::system::error_code ignored;
  if (how != Next::kDrop && socket.is_open()) {
    const auto linger = std::min(timeout, kMaxLinger);
    if constexpr (Stream::kTls) {
      // Send close_notify without waiting for the peer's (RFC 8446 6.1 allows it):
      // marking it received makes SSL_shutdown complete after the write.
      SSL_set_shutdown(stream.native_handle(), SSL_RECEIVED_SHUTDOWN);
      deadline.Set(linger);
      IoStep step = stream.Shutdown();
      if (step.waits()) {
        step = co_await FinishStep(stream, step, [&stream] { return stream.Shutdown(); });
      }
      if (step.ec) {
        spdlog::debug("http: connection from {} ended in TLS shutdown: {}", peer,
                      step.ec.message());
      }
    }
    socket.shutdown(ConnectionSocket::shutdown_send, ignored);
    if (how == Next::kLinger && socket.is_open()) {
      deadline.Set(linger);
      std::size_t drained = 0;
      char scratch[4096];
      while (drained < kMaxLingerBytes) {
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(scratch), kNoThrow);
        if (ec) break;
        drained += n;
      }
    }
  }
  socket.shutdown(ConnectionSocket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_CONNECTION_CLOSE_H_
