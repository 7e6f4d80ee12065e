// Private: the one deadline of a connection (session.cc).
//
// When the deadline passes, the socket is closed and whatever operation is pending
// on it (handshake, read, write) fails. Moving the deadline is a clock read and a
// store, not a timer operation per read and write: Beast's basic_stream re-armed
// its timer around each one (a locked timer queue, and now and then a timerfd
// system call). The timer is armed at most one period ahead (the shortest timeout
// the connection loop uses); when it fires before the deadline it is armed again.
// So a later deadline never needs it re-armed, and only one nearer than a period
// (the close's linger) does.
//
// Thread-compatible: used only on the connection's own io_context thread.
#ifndef KEYWARD_SRC_HTTP_CONNECTION_DEADLINE_H_
#define KEYWARD_SRC_HTTP_CONNECTION_DEADLINE_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

namespace keyward::http::internal {

// Every connection lives on one single-threaded io_context (server.cc), so its
// socket, timer and coroutines name that executor type: a type-erased
// any_io_executor would be copied and destroyed around every operation.
using Executor = boost::asio::io_context::executor_type;
using ConnectionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

class ConnectionDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  // `socket` must outlive this object; `period` is the shortest timeout in use.
  ConnectionDeadline(ConnectionSocket& socket, Clock::duration period);

  // `owner` is kept alive while the timer waits (the session holding both).
  void Bind(std::weak_ptr<void> owner) { owner_ = std::move(owner); }

  // The socket closes `timeout` from now unless Set or Finish is called again.
  void Set(Clock::duration timeout);

  // The connection has ended: the timer lets go of its owner.
  void Finish();

 private:
  using Timer =
      boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>, Executor>;

  void Arm(Clock::time_point at);
  void OnTimer();

  ConnectionSocket& socket_;
  Timer timer_;
  const Clock::duration period_;
  std::weak_ptr<void> owner_;
  Clock::time_point deadline_{};
  Clock::time_point timer_at_ = Clock::time_point::max();  // max: not armed
  bool finished_ = false;
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_CONNECTION_DEADLINE_H_
