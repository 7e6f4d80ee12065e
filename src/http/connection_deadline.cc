#include "connection_deadline.h"

#include <algorithm>
#include <boost/system/error_code.hpp>
#include <utility>

#include "coarse_clock.h"

namespace keyward::http::internal {

ConnectionDeadline::ConnectionDeadline(ConnectionSocket& socket, Clock::duration period)
    : socket_(socket), timer_(socket.get_executor()), period_(period) {}

void ConnectionDeadline::Set(Clock::duration timeout) {
  // Up to a tick early at most: the deadlines are seconds long (coarse_clock.h).
  const Clock::time_point now = CoarseSteadyNow();
  deadline_ = now + timeout;
  if (deadline_ < timer_at_) Arm(std::min(deadline_, now + period_));
}

void ConnectionDeadline::Finish() {
  finished_ = true;
  timer_.cancel();
}

void ConnectionDeadline::Arm(Clock::time_point at) {
  std::shared_ptr<void> owner = owner_.lock();
  if (!owner) return;  // the session is being destroyed: nothing left to close
  timer_at_ = at;
  timer_.expires_at(at);  // cancels the wait pending, if any
  timer_.async_wait(
      [this, owner = std::move(owner)](const boost::system::error_code& ec) {
        if (!ec) OnTimer();
      });
}

void ConnectionDeadline::OnTimer() {
  if (finished_) return;
  const Clock::time_point now = Clock::now();
  if (now < deadline_) {
    Arm(std::min(deadline_, now + period_));
    return;
  }
  // The deadline passed: the pending operation ends with an error. A later Set
  // (the close path) arms the timer afresh.
  timer_at_ = Clock::time_point::max();
  boost::system::error_code ignored;
  socket_.shutdown(ConnectionSocket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace keyward::http::internal
