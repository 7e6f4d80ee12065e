#include "keyward/usage/usage_fold.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace keyward::usage {
namespace {

constexpr UnixSeconds kH = 1'800'000'000 / 3600 * 3600;

TEST(UsageFoldTest, AFloodFoldsToOneEventPerKeyHourAndCode) {
  std::vector<store::UsageEvent> events;
  for (int i = 0; i < 100'000; ++i) {
    events.push_back({i % 2 ? "key_1" : "key_2", kH + i % 3000,
                      "198.51.100." + std::to_string(i % 200),
                      i % 5 ? "VALID" : "REVOKED"});
  }
  events.push_back({"", kH, "198.51.100.1", "NOT_FOUND"});  // no key: nothing to store
  const auto folded = FoldUsageEvents(events);
  ASSERT_EQ(folded.size(), 4u);
  std::map<std::string, std::int64_t> total;
  for (const auto& e : folded) total[e.key_id + "/" + e.code] += e.count;
  EXPECT_EQ(total["key_1/VALID"] + total["key_2/VALID"], 80'000);
  EXPECT_EQ(total["key_1/REVOKED"] + total["key_2/REVOKED"], 20'000);
}

TEST(UsageFoldTest, KeepsTheLatestTimeAndIpAndSplitsHours) {
  const auto folded = FoldUsageEvents({{"key_1", kH + 20, "198.51.100.2", "VALID"},
                                       {"key_1", kH + 30, "198.51.100.3", "VALID", 4},
                                       {"key_1", kH + 10, "198.51.100.1", "VALID"},
                                       {"key_1", kH + 3600, "198.51.100.9", "VALID"},
                                       {"key_1", kH - 1, "198.51.100.8", "VALID"}});
  ASSERT_EQ(folded.size(), 3u);
  EXPECT_EQ(folded[0].at, kH - 1);
  EXPECT_EQ(folded[1].at, kH + 30);
  EXPECT_EQ(folded[1].ip, "198.51.100.3");
  EXPECT_EQ(folded[1].count, 6);
  EXPECT_EQ(folded[2].ip, "198.51.100.9");
}

}  // namespace
}  // namespace keyward::usage
