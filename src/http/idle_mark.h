// Private: when a connection began waiting for a request, so that the accepting
// thread can close the longest-waiting one to make room (server.cc) instead of
// refusing every new connection once max_connections are open.
//
// A connection is "waiting" from its start through the TLS handshake until its
// first request's bytes arrive, and again in each keep-alive wait; it is busy while
// it reads, handles and answers a request. Written by the connection's thread, read
// and claimed by the accepting thread: lock-free.
#ifndef KEYWARD_SRC_HTTP_IDLE_MARK_H_
#define KEYWARD_SRC_HTTP_IDLE_MARK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace keyward::http::internal {

class IdleMark {
 public:
  static constexpr std::int64_t kBusy = 0;
  static constexpr std::int64_t kClaimed = -1;

  IdleMark() { Waiting(); }

  void Waiting() { since_.store(Now(), std::memory_order_relaxed); }
  void Busy() { since_.store(kBusy, std::memory_order_relaxed); }

  // Steady-clock nanoseconds since the wait began; kBusy, or kClaimed once claimed.
  std::int64_t since() const { return since_.load(std::memory_order_relaxed); }
  // Claims the connection for closing if it has been waiting since `since` (so
  // not busy since, nor claimed by another accept).
  bool Claim(std::int64_t since) {
    return since > 0 &&
           since_.compare_exchange_strong(since, kClaimed, std::memory_order_relaxed);
  }

 private:
  static std::int64_t Now() {
    // Never 0 or negative, which mean busy and claimed.
    const auto ns = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(ns).count() | 1;
  }

  std::atomic<std::int64_t> since_{kBusy};
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_IDLE_MARK_H_
