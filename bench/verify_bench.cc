// Hot-path benchmarks: Verifier::Verify over an index of 10^6 keys, and its parts,
// bare and with the key policies on the path (IP allow list, rate limit, quota).
//
// The index is built once (a few seconds) with a fast deterministic random source;
// the keys are real, checksummed keys hashed with a real pepper. Every key carries a
// three-range allow list that admits the client, a rate limit and a quota too large
// to run out, so the policy benchmarks measure the full VALID path.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "keyward/core/clock.h"
#include "keyward/core/hasher.h"
#include "keyward/core/key_format.h"
#include "keyward/core/key_index.h"
#include "keyward/core/key_policies.h"
#include "keyward/core/monotonic_clock.h"
#include "keyward/core/principal_directory.h"
#include "keyward/core/random.h"
#include "keyward/core/verifier.h"

namespace keyward::core {
namespace {

constexpr std::size_t kIndexedKeys = 1'000'000;
constexpr std::size_t kProbeKeys = 4096;  // probed round-robin, spread over the index

// splitmix64: setup speed matters (10^6 keys); the bytes need only be distinct.
class FastRandom final : public RandomSource {
 public:
  explicit FastRandom(std::uint64_t seed) : state_(seed) {}
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

struct World {
  KeyFormat format;
  Hasher hasher{Digest{1, 2, 3, 4, 5, 6, 7, 8}};
  KeyIndex index;
  PrincipalDirectory directory;
  SystemClock clock;
  SteadyClock mono;
  std::unique_ptr<KeyPolicies> policies;
  std::unique_ptr<Verifier> verifier;
  std::unique_ptr<Verifier> policy_verifier;
  std::vector<std::string> present;    // sample of indexed keys
  std::vector<std::string> missing;    // well-formed, unknown
  std::vector<std::string> malformed;  // bad checksum
  std::vector<std::string> required{"logs:read"};

  World() {
    UserRecord user;
    user.id = "usr_bench";
    user.username = "bench";
    user.org_id = "org_bench";
    user.permissions = {"*"};
    directory.UpsertUser(user);
    OrgRecord org;
    org.id = "org_bench";
    org.name = "bench";
    directory.UpsertOrg(org);

    FastRandom random(42);
    index.Reserve(kIndexedKeys);
    const std::size_t stride = kIndexedKeys / kProbeKeys;
    for (std::size_t i = 0; i < kIndexedKeys; ++i) {
      auto generated = format.Generate(random);
      auto record = std::make_shared<KeyRecord>();
      record->id = "key_" + std::to_string(i);
      record->display_prefix = generated.display_prefix;
      record->hash = hasher.Hash(generated.key);
      record->owner_user_id = user.id;
      record->org_id = org.id;
      record->scopes = {"logs:read", "logs:write"};
      record->ip_allow = {"10.0.0.0/8", "192.0.2.0/24", "203.0.113.0/24"};
      record->rate_limit = RateLimit{1'000'000'000, 1};
      record->remaining_uses = kMaxQuota;
      index.Upsert(std::move(record));
      if (i % stride == 0 && present.size() < kProbeKeys) {
        present.push_back(std::move(generated.key));
      }
    }
    FastRandom other(7);
    for (std::size_t i = 0; i < kProbeKeys; ++i) {
      missing.push_back(format.Generate(other).key);
      std::string bad = format.Generate(other).key;
      bad.back() = bad.back() == 'x' ? 'y' : 'x';
      malformed.push_back(std::move(bad));
    }
    verifier = std::make_unique<Verifier>(format, hasher, index, directory, clock);
    policies = std::make_unique<KeyPolicies>(
        index, Tiers{{{"standard", {60, 60}}}, "standard"}, clock, mono);
    policy_verifier = std::make_unique<Verifier>(format, hasher, index, directory, clock,
                                                 policies->policies());
    // Runtimes are created on first use; build them here, outside the timings.
    for (const auto& key : present) {
      policy_verifier->Verify(VerifyInput{key, required, "203.0.113.9"});
    }
  }
};

World& TheWorld() {
  static World world;
  return world;
}

void VerifyLoop(benchmark::State& state, const std::vector<std::string>& keys,
                Outcome expected, bool with_policies = false) {
  World& w = TheWorld();
  const Verifier& verifier = with_policies ? *w.policy_verifier : *w.verifier;
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 997;
  for (auto _ : state) {
    const Decision d =
        verifier.Verify(VerifyInput{keys[i++ % keys.size()], w.required, "203.0.113.9"});
    if (d.outcome != expected) state.SkipWithError("unexpected outcome");
    benchmark::DoNotOptimize(d);
  }
  state.counters["index_size"] = benchmark::Counter(static_cast<double>(w.index.Size()),
                                                    benchmark::Counter::kAvgThreads);
}

void BM_VerifyPresent(benchmark::State& state) {
  VerifyLoop(state, TheWorld().present, Outcome::kValid);
}
BENCHMARK(BM_VerifyPresent)->Threads(1)->Threads(2)->UseRealTime();

// The same keys with IP list, rate limit and quota checked (and counted).
void BM_VerifyPresentWithPolicies(benchmark::State& state) {
  VerifyLoop(state, TheWorld().present, Outcome::kValid, /*with_policies=*/true);
}
BENCHMARK(BM_VerifyPresentWithPolicies)->Threads(1)->Threads(2)->UseRealTime();

// Every thread on one key: the worst case for the shared counters.
void BM_VerifyOneHotKeyWithPolicies(benchmark::State& state) {
  static const std::vector<std::string> kOne = {TheWorld().present.front()};
  VerifyLoop(state, kOne, Outcome::kValid, /*with_policies=*/true);
}
BENCHMARK(BM_VerifyOneHotKeyWithPolicies)->Threads(1)->Threads(2)->UseRealTime();

void BM_VerifyMissing(benchmark::State& state) {
  VerifyLoop(state, TheWorld().missing, Outcome::kNotFound);
}
BENCHMARK(BM_VerifyMissing);

void BM_VerifyMalformed(benchmark::State& state) {
  VerifyLoop(state, TheWorld().malformed, Outcome::kMalformed);
}
BENCHMARK(BM_VerifyMalformed);

void BM_DisplayPrefix(benchmark::State& state) {
  World& w = TheWorld();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.format.DisplayPrefix(w.present[i++ % w.present.size()]));
  }
}
BENCHMARK(BM_DisplayPrefix);

void BM_Hash(benchmark::State& state) {
  World& w = TheWorld();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.hasher.Hash(w.present[i++ % w.present.size()]));
  }
}
BENCHMARK(BM_Hash);

void BM_IndexFind(benchmark::State& state) {
  World& w = TheWorld();
  std::vector<std::string> prefixes;
  for (const auto& key : w.present) prefixes.emplace_back(*w.format.DisplayPrefix(key));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.index.Find(prefixes[i++ % prefixes.size()]));
  }
}
BENCHMARK(BM_IndexFind);

void BM_RuntimeAcquire(benchmark::State& state) {
  World& w = TheWorld();
  std::vector<std::shared_ptr<const KeyRecord>> records;
  for (const auto& key : w.present)
    records.push_back(w.index.Find(*w.format.DisplayPrefix(key)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.policies->table().Acquire(records[i++ % records.size()]));
  }
}
BENCHMARK(BM_RuntimeAcquire);

void BM_Generate(benchmark::State& state) {
  World& w = TheWorld();
  SodiumRandom random;
  for (auto _ : state) benchmark::DoNotOptimize(w.format.Generate(random));
}
BENCHMARK(BM_Generate);

}  // namespace
}  // namespace keyward::core

BENCHMARK_MAIN();
