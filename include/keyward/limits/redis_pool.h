// RedisPool: a few synchronous hiredis connections to one Redis, shared by every
// I/O thread, with short timeouts and a circuit breaker, for the shared limits of
// limits.backend = redis://... (contract section 7).
//
// Why synchronous: a limits call is one round trip on loopback or a LAN (tens of
// microseconds); a blocking call with a 100 ms deadline on the I/O thread is
// simpler than threading an async reply back into the verification, and the
// circuit bounds what an outage costs. A connection is taken from the idle list
// under a mutex (held only to pop or push), used by one thread, and given back;
// more are opened when every one is busy, and at most `max_idle` are kept.
//
// The circuit: a failed call (no connection, timeout, broken connection) opens it
// for a backoff that doubles per consecutive failure (50 ms up to max_backoff).
// While open every call fails at once, with no I/O, so a down Redis costs a
// request nothing but the fallback. When the backoff ends, one caller probes (a
// reconnect); its success closes the circuit. Transitions are logged once each
// and reported to `on_state`; every failed or skipped call is reported to
// `on_error` (metrics). Thread-safe.
#ifndef KEYWARD_LIMITS_REDIS_POOL_H_
#define KEYWARD_LIMITS_REDIS_POOL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/core/redis_url.h"

struct redisContext;  // hiredis

namespace keyward::limits {

struct RedisOptions {
  core::RedisEndpoint endpoint;
  std::chrono::milliseconds connect_timeout{100};
  std::chrono::milliseconds command_timeout{100};
  std::chrono::milliseconds max_backoff{2000};
  std::size_t max_idle = 16;
};

// A Lua script and its SHA-1, for EVALSHA (the body is sent only after NOSCRIPT:
// a restarted or flushed Redis has forgotten it).
class RedisScript {
 public:
  explicit RedisScript(std::string body);
  const std::string& body() const { return body_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string body_;
  std::string sha_;
};

class RedisPool {
 public:
  using StateListener = std::function<void(bool up)>;
  using ErrorListener = std::function<void()>;

  explicit RedisPool(RedisOptions options, StateListener on_state = {},
                     ErrorListener on_error = {});
  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Runs `script` on `keys` and `args`. Returns the integers of its array reply,
  // or nullopt when Redis could not be asked (circuit open, no connection, timeout)
  // or answered with an error.
  std::optional<std::vector<long long>> Eval(
      const RedisScript& script, std::initializer_list<std::string_view> keys,
      std::initializer_list<std::string_view> args);

  // False from a failed call until a call succeeds again.
  bool up() const { return up_.load(std::memory_order_relaxed); }
  std::string Describe() const;  // "HOST:PORT/DB", for log lines

 private:
  redisContext* Take(std::string* error);
  void Give(redisContext* c);
  bool CircuitAllows();
  void Failed(const std::string& why);
  void Succeeded();
  std::int64_t BackoffNanos() const;

  const RedisOptions options_;
  const StateListener on_state_;
  const ErrorListener on_error_;
  std::mutex mu_;  // guards idle_ only
  std::vector<redisContext*> idle_;
  // 0: closed; else steady-clock nanoseconds until which calls fail fast.
  std::atomic<std::int64_t> open_until_{0};
  std::atomic<int> failures_{0};
  std::atomic<bool> up_{true};
};

}  // namespace keyward::limits

#endif  // KEYWARD_LIMITS_REDIS_POOL_H_
