// Deterministic RandomSource implementations for core tests.
#ifndef KEYWARD_TESTS_CORE_FAKE_RANDOM_H_
#define KEYWARD_TESTS_CORE_FAKE_RANDOM_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "keyward/core/random.h"

namespace keyward::core::testing {

// Repeats a fixed byte pattern, so tests can predict the exact output.
class PatternRandom final : public RandomSource {
 public:
  explicit PatternRandom(std::vector<std::uint8_t> pattern)
      : pattern_(std::move(pattern)) {}
  void Fill(std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = pattern_[i % pattern_.size()];
  }

 private:
  std::vector<std::uint8_t> pattern_;
};

// splitmix64: distinct, reproducible bytes on every call.
class CounterRandom final : public RandomSource {
 public:
  explicit CounterRandom(std::uint64_t seed = 1) : state_(seed) {}
  void Fill(std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size(); i += 8) {
      std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      z ^= z >> 31;
      for (std::size_t j = 0; j < 8 && i + j < out.size(); ++j) {
        out[i + j] = static_cast<std::uint8_t>(z >> (8 * j));
      }
    }
  }

 private:
  std::uint64_t state_;
};

}  // namespace keyward::core::testing

#endif  // KEYWARD_TESTS_CORE_FAKE_RANDOM_H_
