// Private: what a connection is doing and since when, so that the accepting thread
// can close one to make room (server.cc) instead of refusing every new connection
// once max_connections are open.
//
// A connection is waiting from its start through the TLS handshake until its first
// request's bytes arrive, and again in each keep-alive wait; reading from then (or
// from the end of the previous answer, when the next request's bytes were already
// there) until its request is whole; answering while the handler runs and the
// response is written. Written by the connection's thread, read and claimed by the
// accepting thread: one atomic word, the phase in its low two bits.
#ifndef KEYWARD_SRC_HTTP_IDLE_MARK_H_
#define KEYWARD_SRC_HTTP_IDLE_MARK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "coarse_clock.h"

namespace keyward::http::internal {

class IdleMark {
 public:
  enum Phase : std::int64_t { kClaimed = 0, kWaiting = 1, kReading = 2, kAnswering = 3 };

  struct Mark {
    std::int64_t raw = kClaimed;
    Phase phase() const { return static_cast<Phase>(raw & 3); }
    std::int64_t since_ns() const { return raw >> 2; }  // steady clock
  };

  IdleMark() { Set(kWaiting); }

  void Set(Phase phase) {
    word_.store((NowNs() << 2) | phase, std::memory_order_relaxed);
  }
  Mark Load() const { return {word_.load(std::memory_order_relaxed)}; }
  // Claims the connection for closing if its mark is still `seen` (nobody claimed
  // it first, and it has not moved on since).
  bool Claim(Mark seen) {
    return seen.phase() != kClaimed &&
           word_.compare_exchange_strong(seen.raw, kClaimed, std::memory_order_relaxed);
  }

  // Coarse (coarse_clock.h): set three times a request, compared in seconds.
  static std::int64_t NowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               CoarseSteadyNow().time_since_epoch())
        .count();
  }

 private:
  std::atomic<std::int64_t> word_{kClaimed};
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_IDLE_MARK_H_
