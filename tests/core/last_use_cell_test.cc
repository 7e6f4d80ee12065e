// LastUseCell: the newest use wins, whatever order threads note them in, and a
// reader never sees one use's time with another's IP.
#include "keyward/core/last_use_cell.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace keyward::core {
namespace {

TEST(LastUseCellTest, HoldsNothingUntilAUseIsNoted) {
  LastUseCell cell;
  EXPECT_FALSE(cell.Load().has_value());
}

TEST(LastUseCellTest, KeepsTheNewestUseAndIgnoresOlderOnes) {
  LastUseCell cell;
  cell.Note(100, "192.0.2.1");
  cell.Note(90, "192.0.2.2");  // noted late by a slower thread
  auto s = cell.Load();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->at, 100);
  EXPECT_EQ(s->ip(), "192.0.2.1");
  cell.Note(100, "2001:db8::7");  // the same second, another client: the later call
  s = cell.Load();
  EXPECT_EQ(s->at, 100);
  EXPECT_EQ(s->ip(), "2001:db8::7");
  cell.Note(101, "192.0.2.1");  // back to a shorter IP: no bytes of the longer left
  s = cell.Load();
  EXPECT_EQ(s->at, 101);
  EXPECT_EQ(s->ip(), "192.0.2.1");
}

TEST(LastUseCellTest, KeepsIpsOfEveryLengthUpToTheLimitAndSkipsLonger) {
  LastUseCell cell;
  for (std::size_t n = 0; n <= LastUseCell::kMaxIp; ++n) {
    const std::string ip(n, static_cast<char>('a' + n % 26));
    cell.Note(static_cast<UnixSeconds>(n), ip);
    const auto s = cell.Load();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->at, static_cast<UnixSeconds>(n));
    EXPECT_EQ(s->ip(), ip) << n;
  }
  cell.Note(1000, std::string(LastUseCell::kMaxIp + 1, 'z'));
  EXPECT_EQ(cell.Load()->at, static_cast<UnixSeconds>(LastUseCell::kMaxIp));
}

TEST(LastUseCellTest, ReadersNeverSeeATornUseWhileWritersRace) {
  // Each writer notes uses whose IP encodes their time: a snapshot whose IP does not
  // match its time was put together from two writes.
  LastUseCell cell;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (UnixSeconds t = 1; t <= 20000; ++t) {
        cell.Note(t, "10." + std::to_string(w) + ".0." + std::to_string(t % 256) + "/" +
                         std::to_string(t));
      }
    });
  }
  std::thread reader([&] {
    while (!stop.load()) {
      const auto s = cell.Load();
      if (!s) continue;
      const std::string ip(s->ip());
      const std::string suffix = "/" + std::to_string(s->at);
      ASSERT_GE(ip.size(), suffix.size()) << ip;
      ASSERT_EQ(ip.substr(ip.size() - suffix.size()), suffix) << ip;
    }
  });
  for (auto& t : writers) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(cell.Load()->at, 20000);
}

}  // namespace
}  // namespace keyward::core
