// PrefixTable, the open-addressing map inside each KeyIndex shard: checked against
// std::map over random inserts, replacements and removals, with a weak hash that
// forces long probe runs (so backward-shift deletion is exercised across wrap-around).
#include "keyward/core/prefix_table.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>

namespace keyward::core {
namespace {

std::shared_ptr<const KeyRecord> Record(const std::string& prefix, int version) {
  auto r = std::make_shared<KeyRecord>();
  r->display_prefix = prefix;
  r->name = std::to_string(version);
  return r;
}

void ExpectSame(const PrefixTable& table, const std::map<std::string, int>& model,
                const std::function<std::size_t(const std::string&)>& hash,
                int universe) {
  ASSERT_EQ(table.size(), model.size());
  for (int i = 0; i < universe; ++i) {
    const std::string p = "kw_" + std::to_string(i);
    const auto* found = table.Find(p, hash(p));
    const auto it = model.find(p);
    if (it == model.end()) {
      EXPECT_EQ(found, nullptr) << p;
    } else {
      ASSERT_NE(found, nullptr) << p;
      EXPECT_EQ((*found)->name, std::to_string(it->second)) << p;
    }
  }
}

void RandomOperations(const std::function<std::size_t(const std::string&)>& hash) {
  PrefixTable table;
  std::map<std::string, int> model;
  std::mt19937 rng(7);
  constexpr int kUniverse = 600;
  for (int step = 0; step < 20000; ++step) {
    const std::string p = "kw_" + std::to_string(rng() % kUniverse);
    if (rng() % 3 == 0) {
      auto removed = table.Remove(p, hash(p));
      EXPECT_EQ(removed != nullptr, model.erase(p) == 1) << p;
    } else {
      auto replaced = table.Upsert(Record(p, step), hash(p));
      EXPECT_EQ(replaced != nullptr, model.count(p) == 1) << p;
      model[p] = step;
    }
    if (step % 997 == 0) ExpectSame(table, model, hash, kUniverse);
  }
  ExpectSame(table, model, hash, kUniverse);
}

TEST(PrefixTableTest, MatchesAMapWithAGoodHash) {
  RandomOperations([](const std::string& s) { return std::hash<std::string>{}(s); });
}

TEST(PrefixTableTest, MatchesAMapWhenHashesCollide) {
  // 8 distinct hashes for 600 prefixes: equal hashes must be told apart by prefix.
  RandomOperations([](const std::string& s) { return std::hash<std::string>{}(s) % 8; });
}

TEST(PrefixTableTest, ReserveKeepsEntriesAndEmptyTableFindsNothing) {
  PrefixTable table;
  EXPECT_EQ(table.Find("kw_x", 1), nullptr);
  EXPECT_EQ(table.Remove("kw_x", 1), nullptr);
  for (int i = 0; i < 100; ++i) {
    const std::string p = "kw_" + std::to_string(i);
    table.Upsert(Record(p, i), std::hash<std::string>{}(p));
  }
  table.Reserve(10000);
  for (int i = 0; i < 100; ++i) {
    const std::string p = "kw_" + std::to_string(i);
    const auto* found = table.Find(p, std::hash<std::string>{}(p));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ((*found)->name, std::to_string(i));
  }
  EXPECT_EQ(table.size(), 100u);
}

TEST(PrefixTableTest, PrefetchLeavesTheTableAsItWas) {
  // The bulk load prefetches a slot one row before it writes it, on empty tables
  // too, and for prefixes that end up elsewhere (a collision) or never inserted.
  PrefixTable table;
  table.Prefetch(7);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.Find("kw_x", 7), nullptr);
  std::map<std::string, int> model;
  for (int i = 0; i < 300; ++i) {
    const std::string p = "kw_" + std::to_string(i);
    table.Prefetch(std::hash<std::string>{}(p));
    table.Prefetch(static_cast<std::size_t>(i) * 0x9E3779B97F4A7C15ull);
    table.Upsert(Record(p, i), std::hash<std::string>{}(p));
    model[p] = i;
  }
  ExpectSame(
      table, model, [](const std::string& s) { return std::hash<std::string>{}(s); },
      400);
}

}  // namespace
}  // namespace keyward::core
