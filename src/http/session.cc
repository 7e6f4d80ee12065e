// One connection: TLS handshake, then a keep-alive loop of read request -> call
// handler -> write response, each step under a deadline, all on the one thread
// that runs the connection's io_context.
#include "session.h"
#include "framing.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "connection_close.h"
#include "connection_deadline.h"
#include "io_step.h"
#include "keyward/http/response_head.h"
#include "plain_stream.h"
#include "request_arena.h"
#include "stream_wait.h"
#include "stream_write.h"
#include "tls_stream.h"
#include "transport_error.h"

namespace keyward::http::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using HeadFields = bhttp::basic_fields<ArenaAllocator<char>>;
using BeastRequest = bhttp::request<bhttp::string_body, HeadFields>;
using Parser = bhttp::request_parser<bhttp::string_body, ArenaAllocator<char>>;
template <class T>
using Task = asio::awaitable<T, Executor>;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable_t<Executor>{});
constexpr bhttp::error kHeadLimit = bhttp::error::header_limit;

template <class Stream>
class SessionImpl final : public Session,
                          public std::enable_shared_from_this<SessionImpl<Stream>> {
 public:
  static constexpr bool kTls = Stream::kTls;

  // `args` build the stream (PlainStream or TlsStream) in place.
  template <class... Args>
  SessionImpl(std::string peer_ip, SessionContext& ctx, Args&&... args)
      : stream_(std::forward<Args>(args)...),
        deadline_(tcp(), TimerPeriod(ctx.options())),
        buffer_(kMaxBufferedBytes),
        peer_ip_(std::move(peer_ip)),
        ctx_(ctx) {}
  ~SessionImpl() override { ctx_.Remove(this); }

  void CloseIfIdle() override {
    asio::post(tcp().get_executor(), [self = this->shared_from_this()] {
      error_code ignored;
      if (self->idle_) self->tcp().cancel(ignored);
    });
  }

  IdleMark::Mark mark() const override { return idle_mark_.Load(); }
  bool Evict(IdleMark::Mark seen) override {
    if (!idle_mark_.Claim(seen)) return false;
    asio::post(tcp().get_executor(), [self = this->shared_from_this()] {
      error_code ignored;  // a wait or read in progress ends, unless it now answers
      if (self->idle_mark_.Load().phase() != IdleMark::kAnswering)
        self->tcp().cancel(ignored);
    });
    return true;
  }

  void ForceClose() override {
    asio::post(tcp().get_executor(), [self = this->shared_from_this()] {
      error_code ignored;
      self->tcp().shutdown(tcp::socket::shutdown_both, ignored);
      self->tcp().close(ignored);
    });
  }

  bool stream_ok() const { return stream_.ok(); }
  const std::string& peer_ip() const { return peer_ip_; }
  Executor executor() { return tcp().get_executor(); }

  // Runs the connection to its end; its reference keeps the session alive as long.
  static Task<void> Serve(std::shared_ptr<SessionImpl> self) {
    self->deadline_.Bind(self);
    Next next = co_await self->Handshake();
    if (next == Next::kKeepAlive) next = co_await self->ServeRequests();
    co_await CloseConnection(self->stream_, self->tcp(), self->deadline_,
                             self->request_timeout(), next, self->peer_ip_);
    self->deadline_.Finish();  // its timer's wait holds a reference to the session
  }

 private:
  ConnectionSocket& tcp() { return stream_.socket(); }
  std::chrono::seconds request_timeout() const {
    return std::chrono::seconds(ctx_.options().request_timeout_seconds);
  }
  // The shortest timeout the connection's loop sets (ConnectionDeadline's period).
  static std::chrono::seconds TimerPeriod(const ServerOptions& o) {
    return std::chrono::seconds(
        std::max(1, std::min(o.request_timeout_seconds, o.idle_timeout_seconds)));
  }

  void LogPeerError(const char* step, const error_code& ec) const {
    spdlog::debug("http: connection from {} ended in {}: {}", peer_ip_, step,
                  ec.message());
  }

  Task<Next> Handshake() {
    if (ctx_.stopping()) co_return Next::kDrop;
    deadline_.Set(request_timeout());
    IoStep step = stream_.Handshake();
    if (step.waits()) {
      step = co_await FinishStep(stream_, step, [this] { return stream_.Handshake(); });
    }
    if (step.ec) {
      LogPeerError("TLS handshake", step.ec);
      co_return Next::kDrop;
    }
    co_return Next::kKeepAlive;
  }

  // Serves requests until the connection is to end; returns how. Each round waits
  // (idle) for a request's first bytes, reads it under the request deadline and
  // answers it. One coroutine for the connection's life: one per request would
  // allocate a frame per request, which Asio's small frame cache cannot recycle
  // with many connections on a thread (they went to malloc_consolidate).
  Task<Next> ServeRequests() {
    for (bool first = true;; first = false) {
      const ServerOptions& opt = ctx_.options();
      if (ctx_.stopping()) co_return Next::kClose;
      if (buffer_.size() == 0) {
        idle_ = true;  // from here until bytes arrive, Stop() may close us
        if (!first) idle_mark_.Set(IdleMark::kWaiting);  // (a new one starts so)
        // The first request is due within the handshake's deadline: a fresh one here
        // would let a client trickle the handshake, wait, then trickle the request.
        if (!first) deadline_.Set(std::chrono::seconds(opt.idle_timeout_seconds));
        // Inline, not a coroutine of its own: every keep-alive request waits here.
        // Asio receives the bytes (stream's ReceiveBuffer): after a read that
        // drained the socket it queues the next without a system call.
        const asio::mutable_buffer chunk = buffer_.prepare(kReadChunk);
        IoStep step = stream_.Buffered() ? stream_.ReadSome(chunk.data(), chunk.size())
                                         : IoStep::Wait(IoStep::Want::kRead);
        while (step.waits()) {
          if (step.want == IoStep::Want::kRead) {
            auto [rec, got] =
                co_await tcp().async_read_some(stream_.ReceiveBuffer(chunk), kNoThrow);
            step = stream_.Received(chunk.data(), chunk.size(), rec, got);
          } else {
            auto [wec] =
                co_await tcp().async_wait(ConnectionSocket::wait_write, kNoThrow);
            step =
                wec ? IoStep::Failed(wec) : stream_.ReadSome(chunk.data(), chunk.size());
          }
        }
        idle_ = false;
        if (const error_code ec = step.ec) {
          if (ec == asio::error::operation_aborted && ctx_.stopping())
            co_return Next::kClose;
          LogPeerError("keep-alive wait", ec);
          co_return ec == asio::error::eof ? Next::kClose : Next::kDrop;
        }
        buffer_.commit(step.n);
      }

      idle_mark_.Set(IdleMark::kReading);  // also when the bytes were here already
      // A new parser per request: limits and state never leak between requests. In
      // the session, not this coroutine's frame (kept small for Asio's frame cache);
      // its fields go to the arena, which the last request no longer uses.
      arena_.Reset();
      auto& parser = parser_.emplace(std::piecewise_construct, std::make_tuple(),
                                     std::make_tuple(ArenaAllocator<char>(arena_)));
      parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
      parser.body_limit(static_cast<std::uint64_t>(opt.max_body_bytes));
      deadline_.Set(request_timeout());
      // The request is parsed from buffer_, reading more while the parser needs it:
      // the steps of Beast's http::async_read_header and async_read, without their
      // composed operations, which post their completion through the scheduler
      // when the request is already buffered (as each keep-alive request is, by the
      // idle read above). Inline, not a coroutine of its own: see above.
      error_code ec;
      std::size_t head_bytes = 0;  // parsed so far (Beast's limit holds per part)
      for (bool header_checked = false;;) {
        if (!header_checked && parser.is_header_done()) {
          header_checked = true;
          const auto& h = parser.get();
          if (const auto refused = RefusedHead(h)) co_return co_await Refuse(*refused, 0);
          CopyHead(h, request_);  // now, before any trailer joins the fields
          if (!parser.is_done()) {
            // curl holds a body back until 100 Continue (or a second): answer now.
            if (h.version() >= 11 &&
                ValueHasToken(h[bhttp::field::expect], "100-continue")) {
              std::size_t done = 0;
              IoStep step = WriteNow(stream_, kContinue, done);
              if (step.waits()) {
                step = co_await FinishStep(
                    stream_, step, [&] { return WriteNow(stream_, kContinue, done); });
              }
              ec = step.ec;
              if (ec) break;
            }
            parser.eager(true);  // as async_read: the body in as few puts as it can
          }
        }
        if (parser.is_done()) break;
        if (buffer_.size() > 0) {
          const bool in_head = !parser.is_header_done();
          const std::size_t used = parser.put(buffer_.data(), ec);
          buffer_.consume(used);
          // Beast holds the start line and the fields each to the limit: the head too.
          // (Only over need_more: a refusal of another kind, such as 413, stands.)
          head_bytes += in_head ? used : 0;
          const std::size_t pending = parser.is_header_done() ? 0 : buffer_.size();
          const bool over = head_bytes + pending > opt.max_header_bytes;
          if (in_head && over && (!ec || ec == bhttp::error::need_more)) ec = kHeadLimit;
          if (!ec && used > 0) continue;
          if (ec == bhttp::error::need_more) ec = {};
          if (ec) break;
        }
        // Full (kMaxBufferedBytes, past every header limit): a trailer too large.
        const std::size_t room = beast::read_size(buffer_, kMaxBufferedBytes);
        if (room == 0) {
          ec = bhttp::error::buffer_overflow;
          break;
        }
        const asio::mutable_buffer more = buffer_.prepare(room);
        IoStep step = stream_.ReadSome(more.data(), more.size());
        if (step.waits()) {
          step = co_await FinishStep(stream_, step, [this, more] {
            return stream_.ReadSome(more.data(), more.size());
          });
        }
        ec = step.ec;
        buffer_.commit(step.n);
        if (ec == asio::error::eof) {
          ec = {};
          if (!parser.got_some()) {
            ec = bhttp::error::end_of_stream;
          } else {
            parser.put_eof(ec);  // a body delimited by the end of the connection
          }
        }
        if (ec) break;
      }
      if (ec) co_return co_await OnReadError(ec);

      idle_mark_.Set(IdleMark::kAnswering);
      BeastRequest req = parser.release();
      parser_.reset();
      const bool head = req.method() == bhttp::verb::head;
      const bool client_keep_alive = req.keep_alive();
      const unsigned version = req.version();
      request_.body.swap(req.body());  // the head is in request_ already (CopyHead)
      if (request_.peer_ip.empty()) request_.peer_ip = peer_ip_;
      request_.tls = kTls;
      // Inline unless offloaded: no coroutine frame for the common case. (An if, not
      // ?:, around co_await: GCC 12 miscompiles co_await inside a conditional.)
      Response response;
      if (ctx_.Offloads(request_)) {
        response = co_await HandleOffloaded();
      } else {
        response = ctx_.Call(request_);
      }
      const bool keep_alive =
          client_keep_alive && !ctx_.stopping() && !AsksToClose(response.headers);
      // A coroutine call, but one that normally completes without suspending, so
      // its frame comes from and goes back to Asio's per-thread cache at once.
      const bool written = co_await Write(response, version, keep_alive, head);
      if (!written) co_return Next::kDrop;
      if (!keep_alive) co_return Next::kClose;
    }
  }

  Task<Next> OnReadError(const error_code& ec) {
    const std::optional<TransportError> error = RefusalForReadError(ec);
    if (!error) {
      LogPeerError("request read", ec);  // timeout, reset, truncation: nobody to answer
      co_return Next::kDrop;
    }
    LogPeerError("request parse", ec);
    const ServerOptions& opt = ctx_.options();
    std::size_t limit = 0;
    if (*error == TransportError::kHeaderTooLarge) {
      // A trailer section that outgrew the connection's buffer: that was the limit.
      limit =
          ec == bhttp::error::buffer_overflow ? kMaxBufferedBytes : opt.max_header_bytes;
    }
    if (*error == TransportError::kPayloadTooLarge) limit = opt.max_body_bytes;
    co_return co_await Refuse(*error, limit);
  }

  // Answers a request the transport cannot read and closes after a lingering wait.
  Task<Next> Refuse(TransportError error, std::size_t limit) {
    const Response response = ctx_.TransportResponse(error, limit);
    co_await Write(response, 11, /*keep_alive=*/false, /*head=*/false);
    co_return Next::kLinger;
  }

  // Runs the handler on request_ on the offload pool (the I/O thread then serves
  // other connections meanwhile).
  Task<Response> HandleOffloaded() {
    if (!ctx_.TryBeginOffload()) co_return ctx_.TransportResponse(TransportError::kBusy);
    const Request& request = request_;
    Response response = co_await asio::co_spawn(
        *ctx_.offload_pool(),
        [this, &request]() -> asio::awaitable<Response> { co_return ctx_.Call(request); },
        asio::use_awaitable_t<Executor>{});
    ctx_.EndOffload();
    co_return response;
  }

  // After a response write: true if the connection is still good.
  bool WriteDone(const error_code& ec) {
    // Reuse is for the common small request; after a large one, give the memory
    // back, or every idle keep-alive connection could pin its last 1 MiB body.
    if (out_.capacity() > 4 * kInlineBodyBytes) std::string().swap(out_);
    if (request_.body.capacity() > 4 * kInlineBodyBytes)
      std::string().swap(request_.body);
    if (buffer_.size() == 0 && buffer_.capacity() > 4 * kReadChunk)
      buffer_.shrink_to_fit();
    if (ec) LogPeerError("response write", ec);
    return !ec;
  }

  // Writes `response`: as much as the socket takes now, waiting only if it must.
  Task<bool> Write(const Response& response, unsigned version, bool keep_alive,
                   bool head) {
    deadline_.Set(request_timeout());
    const bool whole =
        FormatResponseInto(out_, response, version, keep_alive, head, kInlineBodyBytes);
    std::size_t done = 0;
    IoStep step = WriteResponseNow(stream_, out_, response.body, whole, done);
    if (step.waits()) {
      step = co_await FinishStep(stream_, step, [&] {
        return WriteResponseNow(stream_, out_, response.body, whole, done);
      });
    }
    co_return WriteDone(step.ec);
  }

  Stream stream_;
  ConnectionDeadline deadline_;
  beast::flat_buffer buffer_;
  RequestArena arena_;            // the parser's fields; outlives parser_
  std::optional<Parser> parser_;  // per request
  Request request_;               // the request being handled; its buffers are reused
  std::string out_;               // the response being written; its buffer is reused
  const std::string peer_ip_;
  SessionContext& ctx_;
  bool idle_ = true;    // only touched on the connection's thread
  IdleMark idle_mark_;  // the same, for the accepting thread
};

// Registers a session on a `Stream` built from `args` and starts its coroutine.
template <class Stream, class... Args>
void Spawn(SessionContext& ctx, std::string peer_ip, std::string group, Args&&... args) {
  auto s = std::make_shared<SessionImpl<Stream>>(std::move(peer_ip), ctx,
                                                 std::forward<Args>(args)...);
  if (!s->stream_ok()) {
    spdlog::error("http: no memory for a TLS connection from {}", s->peer_ip());
    return;
  }
  ctx.Add(s, std::move(group));
  const Executor executor = s->executor();
  asio::co_spawn(executor, SessionImpl<Stream>::Serve(std::move(s)), LogSessionFailure);
}

}  // namespace

void StartSession(ConnectionSocket socket, std::string peer_ip, std::string group,
                  SessionContext& ctx) {
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // responses go out in one write
  if (ctx.ssl() != nullptr) {
    Spawn<TlsStream>(ctx, std::move(peer_ip), std::move(group), std::move(socket),
                     ctx.ssl()->native_handle());
  } else {
    Spawn<PlainStream>(ctx, std::move(peer_ip), std::move(group), std::move(socket));
  }
}

}  // namespace keyward::http::internal
