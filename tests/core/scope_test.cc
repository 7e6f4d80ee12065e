#include "keyward/core/scope.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include <string>
#include <vector>

namespace keyward::core {
namespace {

using ::testing::ElementsAreArray;
using ::testing::Optional;

struct ValidityCase {
  std::string scope;
  bool valid;
};

class IsValidScopeTest : public ::testing::TestWithParam<ValidityCase> {};

TEST_P(IsValidScopeTest, FollowsResourceActionPattern) {
  EXPECT_EQ(IsValidScope(GetParam().scope), GetParam().valid) << GetParam().scope;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IsValidScopeTest,
    ::testing::Values(
        ValidityCase{"*", true}, ValidityCase{"*:*", true},
        ValidityCase{"logs:read", true}, ValidityCase{"logs:*", true},
        ValidityCase{"*:read", true}, ValidityCase{"0:9", true},
        ValidityCase{"a.b-c_d:x.y-z_0", true},
        ValidityCase{std::string(64, 'a') + ":read", true},
        ValidityCase{std::string(65, 'a') + ":read", false},
        ValidityCase{"logs:" + std::string(65, 'r'), false}, ValidityCase{"", false},
        ValidityCase{"logs", false}, ValidityCase{":read", false},
        ValidityCase{"logs:", false}, ValidityCase{"logs:read:all", false},
        ValidityCase{"Logs:read", false}, ValidityCase{"logs:Read", false},
        ValidityCase{"_logs:read", false}, ValidityCase{"-logs:read", false},
        ValidityCase{".logs:read", false}, ValidityCase{"lo gs:read", false},
        ValidityCase{"logs*:read", false}, ValidityCase{"l*:read", false},
        ValidityCase{"**:read", false}, ValidityCase{"*:**", false},
        ValidityCase{" *", false}, ValidityCase{"logs:re/ad", false}));

struct GrantCase {
  std::string grant;
  std::string required;
  bool granted;
};

class ScopeGrantsTest : public ::testing::TestWithParam<GrantCase> {};

TEST_P(ScopeGrantsTest, MatchesPartByPart) {
  EXPECT_EQ(ScopeGrants(GetParam().grant, GetParam().required), GetParam().granted)
      << GetParam().grant << " grants " << GetParam().required;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScopeGrantsTest,
    ::testing::Values(
        GrantCase{"logs:read", "logs:read", true},
        GrantCase{"logs:read", "logs:write", false},
        GrantCase{"logs:read", "billing:read", false},
        GrantCase{"logs:*", "logs:read", true}, GrantCase{"logs:*", "logs:*", true},
        GrantCase{"logs:*", "billing:read", false},
        GrantCase{"*:read", "logs:read", true}, GrantCase{"*:read", "*:read", true},
        GrantCase{"*:read", "logs:write", false}, GrantCase{"*", "logs:read", true},
        GrantCase{"*", "*", true}, GrantCase{"*", "*:read", true},
        GrantCase{"*:*", "*", true}, GrantCase{"logs:read", "logs:*", false},
        GrantCase{"logs:read", "*", false}, GrantCase{"*:read", "*", false},
        GrantCase{"logs:re", "logs:read", false},
        GrantCase{"logs:read", "logs:reading", false},
        GrantCase{"*", "not a scope", false}, GrantCase{"bad", "bad", false},
        GrantCase{"", "", false}));

struct IntersectCase {
  std::string name;
  std::vector<std::string> a;
  std::vector<std::string> b;
  std::vector<std::string> expected;
};

class IntersectScopesTest : public ::testing::TestWithParam<IntersectCase> {};

TEST_P(IntersectScopesTest, KeepsWhatBothAllow) {
  EXPECT_THAT(IntersectScopes(GetParam().a, GetParam().b),
              ElementsAreArray(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, IntersectScopesTest,
    ::testing::Values(
        IntersectCase{"BothEmpty", {}, {}, {}},
        IntersectCase{"OneEmpty", {"logs:read"}, {}, {}},
        IntersectCase{"Equal", {"logs:read"}, {"logs:read"}, {"logs:read"}},
        IntersectCase{"Disjoint", {"logs:read"}, {"logs:write"}, {}},
        IntersectCase{"StarKeepsOther",
                      {"logs:read", "billing:write"},
                      {"*"},
                      {"logs:read", "billing:write"}},
        IntersectCase{"StarBoth", {"*"}, {"*"}, {"*"}},
        IntersectCase{"StarStarIsStar", {"*:*"}, {"*"}, {"*"}},
        IntersectCase{
            "ResourceWildcardNarrows", {"logs:*"}, {"logs:read"}, {"logs:read"}},
        IntersectCase{"CrossWildcards", {"logs:*"}, {"*:read"}, {"logs:read"}},
        IntersectCase{"ReadOnlyOfStar", {"*"}, {"*:read"}, {"*:read"}},
        IntersectCase{"ReadOnlyDropsWrites",
                      {"logs:write", "logs:read", "billing:*"},
                      {"*:read"},
                      {"logs:read", "billing:read"}},
        IntersectCase{"OwnerLostResource",
                      {"logs:read", "billing:read"},
                      {"logs:*"},
                      {"logs:read"}},
        IntersectCase{
            "Deduplicates", {"logs:read", "logs:read"}, {"*", "logs:*"}, {"logs:read"}},
        IntersectCase{
            "DropsSubsumedLaterEntry", {"logs:*", "logs:read"}, {"*"}, {"logs:*"}},
        IntersectCase{
            "DropsSubsumedEarlierEntry", {"logs:read", "logs:*"}, {"*"}, {"logs:*"}},
        IntersectCase{"StarSubsumesAll", {"logs:read", "*", "x:y"}, {"*"}, {"*"}},
        IntersectCase{"IgnoresInvalidEntries",
                      {"bad", "logs:read", "X:y"},
                      {"*", "bad"},
                      {"logs:read"}},
        IntersectCase{
            "OrderFollowsFirstArgument", {"b:x", "a:x"}, {"a:x", "b:x"}, {"b:x", "a:x"}}),
    [](const auto& info) { return info.param.name; });

TEST(IntersectScopesTest, IsCommutativeAsASet) {
  const std::vector<std::string> a = {"logs:*", "billing:read", "*:list"};
  const std::vector<std::string> b = {"*:read", "logs:write", "users:*"};
  EXPECT_THAT(IntersectScopes(a, b),
              ::testing::UnorderedElementsAreArray(IntersectScopes(b, a)));
}

// The definition IntersectScopes implements, written out plainly: when `b` covers
// `a`, the distinct canonical scopes of `a`, else every pairwise intersection;
// then, in first-seen order, those no other one grants.
std::vector<std::string> ReferenceIntersect(const std::vector<std::string>& a,
                                            const std::vector<std::string>& b) {
  auto canonical = [](const std::string& s) { return s == "*:*" ? "*" : s; };
  auto part = [](const std::string& s, bool action) {
    if (s == "*") return std::string("*");
    const auto colon = s.find(':');
    return action ? s.substr(colon + 1) : s.substr(0, colon);
  };
  auto meet = [](const std::string& x, const std::string& y) {
    return x == "*" ? y : (y == "*" || x == y) ? x : std::string();
  };
  std::vector<std::string> found;
  auto add = [&](const std::string& s) {
    if (std::find(found.begin(), found.end(), s) == found.end()) found.push_back(s);
  };
  if (ScopesCover(b, a)) {
    for (const auto& x : a) add(canonical(x));
  } else {
    for (const auto& x : a) {
      for (const auto& y : b) {
        if (!IsValidScope(x) || !IsValidScope(y)) continue;
        const std::string r = meet(part(x, false), part(y, false));
        const std::string act = meet(part(x, true), part(y, true));
        if (r.empty() || act.empty()) continue;
        add(r == "*" && act == "*" ? "*" : r + ":" + act);
      }
    }
  }
  std::vector<std::string> out;
  for (const auto& c : found) {
    bool dominated = false;
    for (const auto& d : found) dominated |= d != c && ScopeGrants(d, c);
    if (!dominated) out.push_back(c);
  }
  return out;
}

// Many small lists (as keys and owners hold them), so both the shortcut for an
// already-minimal list and the general path meet repeats, "*:*", wildcards that
// subsume others and entries that are not scopes.
TEST(IntersectScopesTest, MatchesTheDefinitionOnRandomLists) {
  const std::vector<std::string> pool = {
      "*",          "*:*",          "logs:read", "logs:*", "*:read",
      "logs:write", "billing:read", "billing:*", "x:y",    "bad"};
  std::mt19937 rng(7);
  auto list = [&] {
    std::vector<std::string> out(rng() % 5);
    for (auto& s : out) s = pool[rng() % pool.size()];
    return out;
  };
  for (int i = 0; i < 5000; ++i) {
    const auto a = list(), b = list();
    ASSERT_THAT(IntersectScopes(a, b), ElementsAreArray(ReferenceIntersect(a, b)))
        << ::testing::PrintToString(a) << " & " << ::testing::PrintToString(b);
  }
}

struct CoverCase {
  std::vector<std::string> grants;
  std::vector<std::string> patterns;
  bool covered;
};

class ScopesCoverTest : public ::testing::TestWithParam<CoverCase> {};

TEST_P(ScopesCoverTest, RequiresEveryPatternGranted) {
  EXPECT_EQ(ScopesCover(GetParam().grants, GetParam().patterns), GetParam().covered);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ScopesCoverTest,
    ::testing::Values(CoverCase{{}, {}, true}, CoverCase{{}, {"logs:read"}, false},
                      CoverCase{{"*"}, {"logs:read", "*", "*:write"}, true},
                      CoverCase{{"logs:*"}, {"logs:read", "logs:*"}, true},
                      CoverCase{{"logs:*"}, {"logs:read", "billing:read"}, false},
                      CoverCase{{"logs:read"}, {"logs:*"}, false},
                      CoverCase{{"logs:read", "billing:read"}, {"*:read"}, false},
                      CoverCase{{"*:read"}, {"logs:read", "billing:read"}, true},
                      CoverCase{{"*"}, {"not valid"}, false}));

TEST(FirstMissingScopeTest, ReturnsTheFirstRequiredScopeNotGranted) {
  const std::vector<std::string> effective = {"logs:*", "*:read"};
  const std::vector<std::string> required = {"logs:write", "billing:read",
                                             "billing:write", "users:delete"};
  EXPECT_THAT(FirstMissingScope(effective, required),
              Optional(std::string("billing:write")));
}

TEST(FirstMissingScopeTest, NothingMissingWhenAllGrantedOrNoneRequired) {
  const std::vector<std::string> effective = {"logs:*"};
  const std::vector<std::string> required = {"logs:read", "logs:write"};
  EXPECT_EQ(FirstMissingScope(effective, required), std::nullopt);
  EXPECT_EQ(FirstMissingScope({}, {}), std::nullopt);
}

TEST(FirstMissingScopeTest, EmptyEffectiveGrantsNothing) {
  const std::vector<std::string> required = {"logs:read"};
  EXPECT_THAT(FirstMissingScope({}, required), Optional(std::string("logs:read")));
}

}  // namespace
}  // namespace keyward::core
