#include "tls_stream.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

namespace keyward::http::internal {
namespace {

using boost::system::error_code;

TlsStream::Transport& TransportOf(BIO* bio) {
  return *static_cast<TlsStream::Transport*>(BIO_get_data(bio));
}

// The socket's descriptor, or -1 (errno EBADF) once the socket is closed.
int Descriptor(TlsStream::Transport& t) {
  if (!t.socket->is_open()) {
    t.last_errno = EBADF;
    return -1;
  }
  return t.socket->native_handle();
}

int BioRead(BIO* bio, char* out, std::size_t size, std::size_t* read) {
  BIO_clear_retry_flags(bio);
  TlsStream::Transport& t = TransportOf(bio);
  if (t.begin < t.end) {
    const std::size_t n = std::min(size, t.end - t.begin);
    std::memcpy(out, t.received.data() + t.begin, n);
    t.begin += n;
    *read = n;
    return 1;
  }
  if (t.eof) return 0;  // BIO_CTRL_EOF says so: OpenSSL reports a truncation
  const int fd = Descriptor(t);
  if (fd < 0) return 0;
  ssize_t n;
  do {
    n = ::recv(fd, out, size, 0);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    *read = static_cast<std::size_t>(n);
    return 1;
  }
  if (n == 0) {
    t.eof = true;
    return 0;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    BIO_set_retry_read(bio);
  } else {
    t.last_errno = errno;
  }
  return 0;
}

int BioWrite(BIO* bio, const char* in, std::size_t size, std::size_t* written) {
  BIO_clear_retry_flags(bio);
  TlsStream::Transport& t = TransportOf(bio);
  const int fd = Descriptor(t);
  if (fd < 0) return 0;
  ssize_t n;
  do {
    n = ::send(fd, in, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n >= 0) {
    *written = static_cast<std::size_t>(n);
    return 1;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    BIO_set_retry_write(bio);
  } else {
    t.last_errno = errno;
  }
  return 0;
}

long BioCtrl(BIO* bio, int cmd, long /*num*/, void* /*ptr*/) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;  // nothing buffered here: every write goes to the socket
    case BIO_CTRL_EOF:
      return TransportOf(bio).eof ? 1 : 0;
    default:
      return 0;
  }
}

int BioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* SocketMethod() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "keyward socket");
    if (m == nullptr) return m;
    BIO_meth_set_read_ex(m, BioRead);
    BIO_meth_set_write_ex(m, BioWrite);
    BIO_meth_set_ctrl(m, BioCtrl);
    BIO_meth_set_create(m, BioCreate);
    return m;
  }();
  return method;
}

// SSL_get_error reads the thread's error queue, which must be empty before each
// SSL call. Result() empties it after every error, so it normally is already:
// peeking costs a few loads, where ERR_clear_error resets all sixteen of its slots
// (about 1.5k instructions a request over four calls).
void ClearErrorQueue() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

}  // namespace

TlsStream::TlsStream(ConnectionSocket socket, SSL_CTX* ctx) : socket_(std::move(socket)) {
  transport_.socket = &socket_;
  error_code ignored;
  socket_.non_blocking(true, ignored);  // OpenSSL's recv and send must never block
  const BIO_METHOD* method = SocketMethod();
  if (method == nullptr) return;
  SSL* ssl = SSL_new(ctx);
  BIO* bio = ssl != nullptr ? BIO_new(method) : nullptr;
  if (bio == nullptr) {
    SSL_free(ssl);
    return;
  }
  BIO_set_data(bio, &transport_);
  SSL_set_bio(ssl, bio, bio);  // the SSL owns the BIO (one reference for both ends)
  SSL_set_accept_state(ssl);
  // One recv takes everything the kernel holds, instead of a record header and
  // then its body (two system calls per record).
  SSL_set_read_ahead(ssl, 1);
  // WriteSome may return after some records, and a retried write may pass the
  // remaining bytes from a buffer that has moved.
  SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  ssl_ = ssl;
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

IoStep TlsStream::Handshake() {
  ClearErrorQueue();
  return Result(SSL_do_handshake(ssl_), 0);
}

IoStep TlsStream::ReadSome(void* data, std::size_t size) {
  ClearErrorQueue();
  std::size_t n = 0;
  const int r = SSL_read_ex(ssl_, data, size, &n);  // before n is read
  return Result(r, n);
}

IoStep TlsStream::Received(void* data, std::size_t size, const error_code& ec,
                           std::size_t n) {
  if (ec == boost::asio::error::eof) {
    transport_.eof = true;  // OpenSSL decides: close_notify seen, or truncated
  } else if (ec) {
    return IoStep::Failed(ec);
  }
  transport_.begin = 0;
  transport_.end = n;
  return ReadSome(data, size);
}

IoStep TlsStream::WriteSome(const void* data, std::size_t size) {
  ClearErrorQueue();
  std::size_t n = 0;
  const int r = SSL_write_ex(ssl_, data, size, &n);
  return Result(r, n);
}

IoStep TlsStream::Shutdown() {
  ClearErrorQueue();
  const int r = SSL_shutdown(ssl_);
  // 0: close_notify sent, the peer's not yet read; SSL_RECEIVED_SHUTDOWN (set by
  // the caller) makes that 1, and either way nothing is left to do.
  return Result(r >= 0 ? 1 : r, 0);
}

IoStep TlsStream::Result(int r, std::size_t n) {
  if (r == 1) return IoStep::Done(n);
  const int error = SSL_get_error(ssl_, r);
  switch (error) {
    case SSL_ERROR_WANT_READ:
      return IoStep::Wait(IoStep::Want::kRead);
    case SSL_ERROR_WANT_WRITE:
      return IoStep::Wait(IoStep::Want::kWrite);
    case SSL_ERROR_ZERO_RETURN:
      return IoStep::Failed(boost::asio::error::eof);  // the peer's close_notify
    case SSL_ERROR_SYSCALL: {
      ERR_clear_error();
      const int e = transport_.last_errno;
      transport_.last_errno = 0;
      if (e != 0) return IoStep::Failed(error_code(e, boost::system::system_category()));
      return IoStep::Failed(boost::asio::ssl::error::stream_truncated);
    }
    default: {
      const unsigned long e = ERR_get_error();
      ERR_clear_error();
      // OpenSSL 3 reports an end of the connection without close_notify as an
      // error of its own; Asio (and the code before this) called it truncation.
      if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
          ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        return IoStep::Failed(boost::asio::ssl::error::stream_truncated);
      }
      if (e == 0) return IoStep::Failed(boost::asio::error::fault);
      return IoStep::Failed(
          error_code(static_cast<int>(e), boost::asio::error::get_ssl_category()));
    }
  }
}

}  // namespace keyward::http::internal
