#include "keyward/limits/redis_pool.h"

#include <hiredis.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <algorithm>
#include <memory>

namespace keyward::limits {
namespace {

std::int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

Reply Command(redisContext* c, const std::vector<std::string_view>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (std::string_view a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  return Reply(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(ptrs.size()), ptrs.data(), lens.data())));
}

}  // namespace

RedisScript::RedisScript(std::string body) : body_(std::move(body)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  ::SHA1(reinterpret_cast<const unsigned char*>(body_.data()), body_.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char b : digest) {
    sha_.push_back(kHex[b >> 4]);
    sha_.push_back(kHex[b & 15]);
  }
}

RedisPool::RedisPool(RedisOptions options, StateListener on_state, ErrorListener on_error)
    : options_(std::move(options)),
      on_state_(std::move(on_state)),
      on_error_(std::move(on_error)) {}

RedisPool::~RedisPool() {
  for (redisContext* c : idle_) redisFree(c);
}

std::string RedisPool::Describe() const {
  return options_.endpoint.host + ":" + std::to_string(options_.endpoint.port) + "/" +
         std::to_string(options_.endpoint.db);
}

redisContext* RedisPool::Take(std::string* error) {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
  }
  const timeval connect = ToTimeval(options_.connect_timeout);
  redisContext* c = redisConnectWithTimeout(options_.endpoint.host.c_str(),
                                            options_.endpoint.port, connect);
  if (c == nullptr || c->err != 0) {
    *error = c == nullptr ? "cannot allocate a connection" : c->errstr;
    if (c != nullptr) redisFree(c);
    return nullptr;
  }
  if (redisSetTimeout(c, ToTimeval(options_.command_timeout)) != REDIS_OK) {
    *error = "cannot set the command timeout";
    redisFree(c);
    return nullptr;
  }
  redisEnableKeepAlive(c);
  if (options_.endpoint.db != 0) {
    const std::string db = std::to_string(options_.endpoint.db);
    Reply r = Command(c, {"SELECT", db});
    if (!r || r->type == REDIS_REPLY_ERROR) {
      *error = r ? std::string(r->str, r->len) : std::string(c->errstr);
      redisFree(c);
      return nullptr;
    }
  }
  return c;
}

void RedisPool::Give(redisContext* c) {
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle) {
      idle_.push_back(c);
      return;
    }
  }
  redisFree(c);
}

std::int64_t RedisPool::BackoffNanos() const {
  const int n = std::clamp(failures_.load(std::memory_order_relaxed), 1, 16);
  const std::int64_t base = 50'000'000;  // 50 ms
  const std::int64_t max =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.max_backoff).count();
  return std::min(max, base << std::min(n - 1, 10));
}

bool RedisPool::CircuitAllows() {
  std::int64_t until = open_until_.load(std::memory_order_acquire);
  if (until == 0) return true;
  const std::int64_t now = NowNanos();
  if (now < until) return false;
  // Half-open: the caller that moves the deadline probes; the others fail fast
  // until it has reported.
  return open_until_.compare_exchange_strong(until, now + BackoffNanos(),
                                             std::memory_order_acq_rel);
}

void RedisPool::Failed(const std::string& why) {
  // The idle connections most likely broke with this one (a Redis restart): drop
  // them, or each would cost a probe and a longer backoff before recovery.
  std::vector<redisContext*> stale;
  {
    std::lock_guard lock(mu_);
    stale.swap(idle_);
  }
  for (redisContext* c : stale) redisFree(c);
  failures_.fetch_add(1, std::memory_order_relaxed);
  open_until_.store(NowNanos() + BackoffNanos(), std::memory_order_release);
  if (up_.exchange(false, std::memory_order_relaxed)) {
    spdlog::warn(
        "limits backend redis {} unreachable ({}): shared limits follow "
        "limits.on_backend_error until it answers",
        Describe(), why);
    if (on_state_) on_state_(false);
  }
}

void RedisPool::Succeeded() {
  if (open_until_.load(std::memory_order_relaxed) != 0) {
    failures_.store(0, std::memory_order_relaxed);
    open_until_.store(0, std::memory_order_release);
  }
  if (!up_.exchange(true, std::memory_order_relaxed)) {
    spdlog::info("limits backend redis {} reachable again: shared limits resume",
                 Describe());
    if (on_state_) on_state_(true);
  }
}

std::optional<std::vector<long long>> RedisPool::Eval(
    const RedisScript& script, std::initializer_list<std::string_view> keys,
    std::initializer_list<std::string_view> args) {
  if (!CircuitAllows()) {
    if (on_error_) on_error_();
    return std::nullopt;
  }
  std::string error;
  redisContext* c = Take(&error);
  if (c == nullptr) {
    Failed(error);
    if (on_error_) on_error_();
    return std::nullopt;
  }
  const std::string nkeys = std::to_string(keys.size());
  std::vector<std::string_view> argv = {"EVALSHA", script.sha(), nkeys};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  Reply r = Command(c, argv);
  if (r && r->type == REDIS_REPLY_ERROR &&
      std::string_view(r->str, r->len).starts_with("NOSCRIPT")) {
    argv[0] = "EVAL";
    argv[1] = script.body();
    r = Command(c, argv);
  }
  if (!r) {
    // Timed out or the connection broke: the context is unusable. (A timed-out
    // script may still have run: it then took a use that nobody got, never one
    // too many.)
    Failed(c->errstr);
    redisFree(c);
    if (on_error_) on_error_();
    return std::nullopt;
  }
  Give(c);
  Succeeded();
  if (r->type != REDIS_REPLY_ARRAY) {
    if (r->type == REDIS_REPLY_ERROR) {
      spdlog::error("limits backend redis {}: script error: {}", Describe(),
                    std::string_view(r->str, r->len));
    }
    if (on_error_) on_error_();
    return std::nullopt;
  }
  std::vector<long long> out;
  for (size_t i = 0; i < r->elements; ++i) {
    const redisReply* e = r->element[i];
    if (e->type != REDIS_REPLY_INTEGER) {
      if (on_error_) on_error_();
      return std::nullopt;
    }
    out.push_back(e->integer);
  }
  return out;
}

}  // namespace keyward::limits
