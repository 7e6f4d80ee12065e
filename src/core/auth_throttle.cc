#include "keyward/core/auth_throttle.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "sodium_init.h"

namespace keyward::core {
namespace {

std::uint64_t Mix(std::uint64_t z) {  // splitmix64 finalizer
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t RandomSeed() {
  internal::EnsureSodiumInitialized();
  std::uint64_t seed = 0;
  randombytes_buf(&seed, sizeof(seed));
  return seed;
}

}  // namespace

AuthThrottle::AuthThrottle(int max_failures, MonoNanos window,
                           const MonotonicClock& clock, std::size_t capacity,
                           std::uint64_t hash_seed)
    : max_failures_(std::max(1, max_failures)),
      window_(std::max<MonoNanos>(1, window)),
      clock_(clock),
      set_count_(std::max<std::size_t>(1, (capacity + kWays - 1) / kWays)),
      seed_(hash_seed != 0 ? hash_seed : RandomSeed()),
      sets_(new Set[set_count_]) {}

std::array<std::uint8_t, 16> AuthThrottle::Key(const IpAddress& ip) {
  std::array<std::uint8_t, 16> key{};
  if (ip.v4) {
    std::memcpy(key.data(), ip.bytes.data(), 4);
    key[15] = 4;  // keeps 1.2.3.4 apart from the IPv6 block 0102:0304::/64
  } else {
    std::memcpy(key.data(), ip.bytes.data(), 8);  // the /64
    key[15] = 6;
  }
  return key;
}

std::string AuthThrottle::BlockName(const IpAddress& ip) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  for (std::uint8_t b : Key(ip)) {
    name.push_back(kHex[b >> 4]);
    name.push_back(kHex[b & 15]);
  }
  return name;
}

AuthThrottle::Set& AuthThrottle::SetFor(const std::array<std::uint8_t, 16>& key) const {
  std::uint64_t lo = 0, hi = 0;
  std::memcpy(&lo, key.data(), 8);
  std::memcpy(&hi, key.data() + 8, 8);
  const std::uint64_t h = Mix(Mix(lo ^ seed_) ^ hi);
  return sets_[h % set_count_];
}

std::int64_t AuthThrottle::Blocked(const IpAddress& ip) const {
  const auto key = Key(ip);
  const Set& set = SetFor(key);
  if (!set.may_block.load(std::memory_order_acquire)) return 0;
  const MonoNanos now = clock_.NowNanos();
  std::lock_guard lock(set.mutex);
  std::int64_t seconds = 0;
  bool any_blocked = false;
  for (const Entry& e : set.entries) {
    if (!Live(e, now) || e.failures < max_failures_) continue;
    any_blocked = true;
    if (e.addr != key) continue;
    const MonoNanos left = e.window_start + window_ - now;
    seconds = std::max<std::int64_t>(1, (left + kNanosPerSecond - 1) / kNanosPerSecond);
  }
  // Every block in the set has run out: the fast path again, until the next one.
  if (!any_blocked) set.may_block.store(false, std::memory_order_relaxed);
  return seconds;
}

void AuthThrottle::RecordFailure(const IpAddress& ip) {
  const auto key = Key(ip);
  Set& set = SetFor(key);
  const MonoNanos now = clock_.NowNanos();
  std::lock_guard lock(set.mutex);
  Entry* victim = nullptr;
  for (Entry& e : set.entries) {
    if (e.failures != 0 && e.addr == key) {
      if (!Live(e, now)) {
        e.window_start = now;
        e.failures = 0;
      }
      if (e.failures < max_failures_) ++e.failures;  // saturates: no overflow
      if (e.failures >= max_failures_)
        set.may_block.store(true, std::memory_order_release);
      return;
    }
    // Prefer a free or expired slot, then the one with the fewest failures.
    const auto worth = [&](const Entry& x) { return Live(x, now) ? x.failures : 0; };
    if (victim == nullptr || worth(e) < worth(*victim) ||
        (worth(e) == worth(*victim) && e.window_start < victim->window_start)) {
      victim = &e;
    }
  }
  victim->addr = key;
  victim->window_start = now;
  victim->failures = 1;
  if (max_failures_ <= 1) set.may_block.store(true, std::memory_order_release);
}

std::size_t AuthThrottle::TrackedForTest() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < set_count_; ++i) {
    std::lock_guard lock(sets_[i].mutex);
    for (const Entry& e : sets_[i].entries) n += e.failures != 0 ? 1 : 0;
  }
  return n;
}

}  // namespace keyward::core
