#include "keyward/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace keyward::core {
namespace {

TEST(Utf8Test, StorableTextIsWellFormedUtf8WithoutNul) {
  EXPECT_TRUE(IsStorableText(""));
  EXPECT_TRUE(IsStorableText("plain ascii"));
  EXPECT_TRUE(IsStorableText("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91"));
  EXPECT_FALSE(IsStorableText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsStorableText("\xFF"));
  EXPECT_FALSE(IsStorableText("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsStorableText("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsStorableText("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsStorableText("\xE2\x82"));          // cut short
}

TEST(Utf8Test, ScrubReplacesIllFormedBytesAndControlsOnly) {
  EXPECT_EQ(ScrubText("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_EQ(ScrubText(std::string("\xFF\x00x\r\n\x7F", 6)), "??x???");
  EXPECT_EQ(ScrubText("\xE2\x82"), "??");
  EXPECT_TRUE(IsStorableText(ScrubText("\xF0\x9F\x94")));
}

}  // namespace
}  // namespace keyward::core
