// Private: finishing a non-blocking step (io_step.h) that has to wait for the
// socket, for session.cc and connection_close.h.
#ifndef KEYWARD_SRC_HTTP_STREAM_WAIT_H_
#define KEYWARD_SRC_HTTP_STREAM_WAIT_H_

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connection_deadline.h"
#include "io_step.h"

namespace keyward::http::internal {

// Waits for the stream's socket as `step` asks and calls `op` again, until the
// step is over (done, or failed: a deadline or a stop closes or cancels the
// socket, and the wait fails). Only a step that must wait gets here, so the
// common one (bytes already buffered, a socket that takes the response) costs no
// coroutine frame and no trip through the scheduler.

template <class Stream, class Op>
boost::asio::awaitable<IoStep, Executor> FinishStep(Stream& stream, IoStep step, Op op) {
  ConnectionSocket& socket = stream.socket();
  constexpr auto kNoThrow =
      boost::asio::as_tuple(boost::asio::use_awaitable_t<Executor>{});
  while (step.waits()) {
    const ConnectionSocket::wait_type wait = step.want == IoStep::Want::kRead
                                                 ? ConnectionSocket::wait_read
                                                 : ConnectionSocket::wait_write;
    auto [ec] = co_await socket.async_wait(wait, kNoThrow);
    if (ec) co_return IoStep::Failed(ec);
    step = op();
  }
  co_return step;
}

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_STREAM_WAIT_H_
