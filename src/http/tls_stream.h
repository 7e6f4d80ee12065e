// Private: TLS on the connection's socket itself, in non-blocking steps
// (io_step.h), for session.cc.
//
// Asio's ssl::stream runs OpenSSL on a pair of memory BIOs: each record is copied
// from the socket into the engine's buffer and out again, every step goes through
// its composed operation and the scheduler, and the OpenSSL error queue is
// cleared several times per operation. Here OpenSSL reads and writes the socket
// directly, through a small BIO of ours (recv and send with MSG_NOSIGNAL, so a
// peer that has gone never raises SIGPIPE), with read-ahead, so one recv takes
// whatever the kernel holds. The BIO asks the Asio socket for its descriptor on
// every call: once a deadline or ForceClose has closed the socket, OpenSSL gets
// EBADF, never a descriptor number the kernel has since given to another
// connection.
//
// Thread-compatible: used only on the connection's io_context thread.
#ifndef KEYWARD_SRC_HTTP_TLS_STREAM_H_
#define KEYWARD_SRC_HTTP_TLS_STREAM_H_

#include <openssl/ssl.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>

#include "connection_deadline.h"
#include "io_step.h"

namespace keyward::http::internal {

class TlsStream {
 public:
  static constexpr bool kTls = true;

  // The server side of a TLS connection on `socket`, under `ctx` (not owned; it
  // outlives every connection). ok() is false if OpenSSL could not allocate.
  TlsStream(ConnectionSocket socket, SSL_CTX* ctx);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  bool ok() const { return ssl_ != nullptr; }
  ConnectionSocket& socket() { return socket_; }
  SSL* native_handle() { return ssl_; }

  IoStep Handshake();
  // Decrypted bytes into [data, data + size): some, or a wait, or an error
  // (asio::error::eof after the peer's close_notify; ssl::error::stream_truncated
  // if the connection ended without one).
  IoStep ReadSome(void* data, std::size_t size);
  // Some of [data, data + size) written (at least one record, or all of it). After
  // a kWrite wait, call again with the same data.
  IoStep WriteSome(const void* data, std::size_t size);
  // Sends close_notify; does not wait for the peer's (session.cc marks it
  // received first).
  IoStep Shutdown();

  // The keep-alive wait (session.cc) receives through Asio, which knows when the
  // socket has been drained and then queues the next wait without a system call
  // (its own recv, or a socket wait, would cost one per request): bytes go into
  // ReceiveBuffer(), then Received() hands them to OpenSSL and reads as ReadSome.
  // Buffered(): OpenSSL (or that buffer) holds bytes, so ReadSome needs no wait.
  bool Buffered() const {
    return SSL_has_pending(ssl_) == 1 || transport_.begin < transport_.end;
  }
  boost::asio::mutable_buffer ReceiveBuffer(boost::asio::mutable_buffer /*plain*/) {
    return boost::asio::buffer(transport_.received);
  }
  IoStep Received(void* data, std::size_t size, const boost::system::error_code& ec,
                  std::size_t n);

  // The BIO's view of the connection (tls_stream.cc).
  struct Transport {
    ConnectionSocket* socket = nullptr;
    bool eof = false;    // the peer ended the TCP stream
    int last_errno = 0;  // of the last failed recv or send
    // Bytes the keep-alive wait received, [begin, end), read before the socket.
    // A request's head fits (a larger one reads the rest from the socket).
    std::array<char, 4096> received;
    std::size_t begin = 0;
    std::size_t end = 0;
  };

 private:
  // The step's outcome from an OpenSSL call's result `r` (1: success).
  IoStep Result(int r, std::size_t n);

  ConnectionSocket socket_;
  Transport transport_;
  SSL* ssl_ = nullptr;
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_TLS_STREAM_H_
