#include "keyward/core/redact.h"

#include <gtest/gtest.h>

#include <string>

#include "keyward/core/key_format.h"
#include "keyward/core/random.h"

namespace keyward::core {
namespace {

TEST(RedactTest, AKeyAnywhereInTheTextKeepsOnlyItsDisplayPart) {
  SodiumRandom random;
  const KeyFormat format;
  const KeyFormat::GeneratedKey key = format.Generate(random);
  const std::string out =
      RedactKeyLike("scopes[0]: '" + key.key + "' is not a scope (resource:action)");
  EXPECT_EQ(out.find(key.key.substr(12)), std::string::npos);
  EXPECT_EQ(
      out, "scopes[0]: '" + key.display_prefix + "...' is not a scope (resource:action)");
}

TEST(RedactTest, IdsScopesAndProseAreUnchanged) {
  const std::string text =
      "key key_0123456789abcdefABCDEF not found; 'keys:write' exceeds the key; "
      "kw_AbCdEfGhI";
  EXPECT_EQ(RedactKeyLike(text), text);
  EXPECT_EQ(RedactKeyLike(std::string(31, 'a')), std::string(31, 'a'));
  EXPECT_EQ(RedactKeyLike(std::string(32, 'a')), std::string(9, 'a') + "...");
}

}  // namespace
}  // namespace keyward::core
