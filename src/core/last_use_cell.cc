#include "keyward/core/last_use_cell.h"

#include <cstring>

namespace keyward::core {
namespace {

// `ip` as the cell's words, zero-padded.
template <std::size_t N>
std::array<std::uint64_t, N> Pack(std::string_view ip) {
  std::array<std::uint64_t, N> words{};
  if (!ip.empty()) std::memcpy(words.data(), ip.data(), ip.size());
  return words;
}

}  // namespace

bool LastUseCell::Holds(UnixSeconds at, std::string_view ip) const {
  // A racing writer can only make this say no (then the caller writes): a yes needs
  // every word to already be what this use would write.
  if (at_.load(std::memory_order_relaxed) != at ||
      ip_size_.load(std::memory_order_relaxed) != ip.size()) {
    return false;
  }
  const auto words = Pack<kWords>(ip);
  for (std::size_t i = 0; i < kWords; ++i) {
    if (ip_[i].load(std::memory_order_relaxed) != words[i]) return false;
  }
  return true;
}

void LastUseCell::Note(UnixSeconds at, std::string_view ip) {
  if (ip.size() > kMaxIp || Holds(at, ip)) return;
  const auto words = Pack<kWords>(ip);
  std::uint64_t seq = seq_.load(std::memory_order_relaxed);
  for (;;) {
    if (seq % 2 == 0 &&
        seq_.compare_exchange_weak(seq, seq + 1, std::memory_order_acquire,
                                   std::memory_order_relaxed)) {
      break;
    }
    seq = seq_.load(std::memory_order_relaxed);  // another writer: wait its turn
  }
  std::atomic_thread_fence(std::memory_order_release);
  if (at >= at_.load(std::memory_order_relaxed)) {
    at_.store(at, std::memory_order_relaxed);
    ip_size_.store(ip.size(), std::memory_order_relaxed);
    for (std::size_t i = 0; i < kWords; ++i) {
      ip_[i].store(words[i], std::memory_order_relaxed);
    }
  }
  seq_.store(seq + 2, std::memory_order_release);
}

std::optional<LastUseCell::Snapshot> LastUseCell::Load() const {
  constexpr int kTries = 64;
  for (int t = 0; t < kTries; ++t) {
    const std::uint64_t before = seq_.load(std::memory_order_acquire);
    if (before % 2 != 0) continue;
    const std::int64_t at = at_.load(std::memory_order_relaxed);
    const std::uint64_t size = ip_size_.load(std::memory_order_relaxed);
    std::array<std::uint64_t, kWords> words;
    for (std::size_t i = 0; i < kWords; ++i) {
      words[i] = ip_[i].load(std::memory_order_relaxed);
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    if (seq_.load(std::memory_order_relaxed) != before) continue;
    if (at == kNever) return std::nullopt;
    Snapshot s;
    s.at = at;
    s.ip_size = size;
    std::memcpy(s.ip_bytes.data(), words.data(), kMaxIp);
    return s;
  }
  return std::nullopt;
}

}  // namespace keyward::core
