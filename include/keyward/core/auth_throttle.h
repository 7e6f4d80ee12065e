// AuthThrottle: counts failed authentications per client address and refuses
// further attempts from an address past `max_failures` within one window (contract
// section 4: limits.failed_auth_per_minute).
//
// An address's window opens at its first failure and lasts `window`; once it holds
// `max_failures` failures, Blocked() reports the seconds until the window closes.
// IPv6 clients are counted per /64, the smallest block an end site is usually given,
// so rotating through the addresses of one's own subnet does not reset the count.
//
// Memory is fixed at construction: a set-associative table (sets of kWays entries,
// each set behind its own small mutex) with a keyed hash, so an attacker cannot aim
// addresses at one set. A new address replaces the entry with the fewest failures
// in its set (an expired one first), so an address at the limit is displaced only
// by addresses that are themselves at the limit.
// Thread-safe.
#ifndef KEYWARD_CORE_AUTH_THROTTLE_H_
#define KEYWARD_CORE_AUTH_THROTTLE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "keyward/core/cidr.h"
#include "keyward/core/monotonic_clock.h"

namespace keyward::core {

class AuthThrottle {
 public:
  static constexpr std::size_t kWays = 8;
  static constexpr std::size_t kDefaultCapacity = 16384;  // ~0.6 MB

  // `capacity` is rounded up to whole sets. `clock` must outlive the throttle.
  AuthThrottle(int max_failures, MonoNanos window, const MonotonicClock& clock,
               std::size_t capacity = kDefaultCapacity, std::uint64_t hash_seed = 0);
  AuthThrottle(const AuthThrottle&) = delete;
  AuthThrottle& operator=(const AuthThrottle&) = delete;

  // Seconds (>= 1) until `ip` may present credentials again, or 0 when it may now.
  std::int64_t Blocked(const IpAddress& ip) const;

  // Counts one failed authentication from `ip`.
  void RecordFailure(const IpAddress& ip);

  // The name of `ip`'s block (the address, or its /64) as 32 hex digits: what a
  // shared backend counts under, so every replica counts one block as one.
  static std::string BlockName(const IpAddress& ip);

  std::size_t capacity() const { return set_count_ * kWays; }
  // Addresses currently tracked (expired windows included). For tests.
  std::size_t TrackedForTest() const;

 private:
  struct Entry {
    std::array<std::uint8_t, 16> addr{};
    MonoNanos window_start = 0;
    std::int32_t failures = 0;  // 0: slot unused
  };
  struct alignas(64) Set {
    mutable std::mutex mutex;
    // Some entry may have reached max_failures: set and cleared under the mutex,
    // read without it, so that every request from an address whose set blocks
    // nobody (nearly all) skips the lock and the clock read.
    mutable std::atomic<bool> may_block{false};
    std::array<Entry, kWays> entries;
  };

  static std::array<std::uint8_t, 16> Key(const IpAddress& ip);
  Set& SetFor(const std::array<std::uint8_t, 16>& key) const;
  bool Live(const Entry& e, MonoNanos now) const {
    return e.failures > 0 && now - e.window_start < window_;
  }

  const int max_failures_;
  const MonoNanos window_;
  const MonotonicClock& clock_;
  const std::size_t set_count_;
  const std::uint64_t seed_;
  std::unique_ptr<Set[]> sets_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_AUTH_THROTTLE_H_
