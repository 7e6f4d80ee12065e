// Private: a plain-HTTP connection (--insecure-http) with the same non-blocking
// steps as TlsStream, so session.cc has one request loop for both.
//
// Thread-compatible: used only on the connection's io_context thread.
#ifndef KEYWARD_SRC_HTTP_PLAIN_STREAM_H_
#define KEYWARD_SRC_HTTP_PLAIN_STREAM_H_

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <cstddef>
#include <utility>

#include "connection_deadline.h"
#include "io_step.h"

namespace keyward::http::internal {

class PlainStream {
 public:
  static constexpr bool kTls = false;

  explicit PlainStream(ConnectionSocket socket) : socket_(std::move(socket)) {
    boost::system::error_code ignored;
    socket_.non_blocking(true, ignored);  // steps never block the I/O thread
  }

  bool ok() const { return true; }
  ConnectionSocket& socket() { return socket_; }

  IoStep Handshake() { return IoStep::Done(0); }
  IoStep ReadSome(void* data, std::size_t size) {
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(boost::asio::buffer(data, size), ec);
    if (ec == boost::asio::error::would_block) return IoStep::Wait(IoStep::Want::kRead);
    return {IoStep::Want::kNone, ec, n};
  }
  IoStep WriteSome(const void* data, std::size_t size) {
    boost::system::error_code ec;
    const std::size_t n = socket_.write_some(boost::asio::buffer(data, size), ec);
    if (ec == boost::asio::error::would_block) return IoStep::Wait(IoStep::Want::kWrite);
    return {IoStep::Want::kNone, ec, n};
  }
  IoStep Shutdown() { return IoStep::Done(0); }

  // As TlsStream's (the keep-alive wait): nothing is buffered here, and the
  // bytes are received straight into the request buffer.
  bool Buffered() const { return false; }
  boost::asio::mutable_buffer ReceiveBuffer(boost::asio::mutable_buffer plain) {
    return plain;
  }
  IoStep Received(void* /*data*/, std::size_t /*size*/,
                  const boost::system::error_code& ec, std::size_t n) {
    return {IoStep::Want::kNone, ec, n};
  }

 private:
  ConnectionSocket socket_;
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_PLAIN_STREAM_H_
