#include "keyward/http/line_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>

namespace keyward::http {
namespace {

void Put(LineBuffer& b, std::string_view s) {
  char* at = b.Append(s.size());
  if (!s.empty()) std::memcpy(at, s.data(), s.size());
}

TEST(LineBufferTest, AppendsAcrossGrowthKeepingWhatIsThere) {
  LineBuffer b;
  EXPECT_EQ(b.view(), "");
  std::string expected;
  for (int i = 0; i < 300; ++i) {  // well past the first block, several times
    const std::string line = "Field-" + std::to_string(i) + ": value\r\n";
    Put(b, line);
    expected += line;
    ASSERT_EQ(b.view(), expected) << i;
  }
  b.clear();
  EXPECT_EQ(b.size(), 0u);
  Put(b, "again");
  EXPECT_EQ(b.view(), "again");
}

TEST(LineBufferTest, ReplaceMovesWhatFollowsEitherWay) {
  LineBuffer b;
  Put(b, "A: 1\r\nB: 22\r\nC: 3\r\n");
  b.Replace(9, 2, "4444");  // longer
  EXPECT_EQ(b.view(), "A: 1\r\nB: 4444\r\nC: 3\r\n");
  b.Replace(9, 4, "");  // shorter, to nothing
  EXPECT_EQ(b.view(), "A: 1\r\nB: \r\nC: 3\r\n");
  b.Replace(3, 1, "x");  // the same length
  EXPECT_EQ(b.view(), "A: x\r\nB: \r\nC: 3\r\n");
  // Longer than the block has room for: it grows and keeps the tail.
  const std::string big(2000, 'v');
  b.Replace(9, 0, big);
  EXPECT_EQ(b.view(), "A: x\r\nB: " + big + "\r\nC: 3\r\n");
  // At the very end.
  b.Replace(b.size() - 2, 2, "!\r\n");
  EXPECT_EQ(b.view(), "A: x\r\nB: " + big + "\r\nC: 3!\r\n");
}

TEST(LineBufferTest, CopiesAreIndependentAndMovesLeaveAnEmptyBuffer) {
  LineBuffer a;
  Put(a, "X: 1\r\n");
  LineBuffer copy = a;
  Put(copy, "Y: 2\r\n");
  EXPECT_EQ(a.view(), "X: 1\r\n");
  EXPECT_EQ(copy.view(), "X: 1\r\nY: 2\r\n");
  a = copy;
  EXPECT_EQ(a.view(), copy.view());
  a = a;  // NOLINT: self-assignment is harmless
  EXPECT_EQ(a.view(), "X: 1\r\nY: 2\r\n");
  LineBuffer moved = std::move(copy);
  EXPECT_EQ(moved.view(), "X: 1\r\nY: 2\r\n");
  EXPECT_EQ(copy.size(), 0u);  // NOLINT: moved-from is empty and usable
  Put(copy, "Z: 3\r\n");
  EXPECT_EQ(copy.view(), "Z: 3\r\n");
  LineBuffer empty;
  moved = empty;
  EXPECT_EQ(moved.view(), "");
}

}  // namespace
}  // namespace keyward::http
