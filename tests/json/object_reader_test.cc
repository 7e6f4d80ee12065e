#include "keyward/json/object_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace keyward::json {
namespace {

using nlohmann::json;
using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs All(const FieldErrors& errors) {
  Pairs out;
  for (const FieldError& e : errors.fields()) out.emplace_back(e.field, e.message);
  return out;
}

TEST(ObjectReaderTest, ReportsEveryBadMemberAtOnce) {
  const json doc = {{"name", 5},     {"enabled", "yes"}, {"count", 1.5},
                    {"tags", "a,b"}, {"typo", true},     {"ok", "fine"}};
  FieldErrors errors;
  ObjectReader r(doc, "", errors);
  ASSERT_TRUE(r.IsObject());
  r.RefuseUnknown({"name", "enabled", "count", "tags", "ok"});
  EXPECT_FALSE(r.String("name"));
  EXPECT_FALSE(r.Bool("enabled"));
  EXPECT_FALSE(r.Int("count", 0, 10, "must be an integer from 0 to 10"));
  EXPECT_FALSE(r.StringList("tags"));
  EXPECT_EQ(r.String("ok"), "fine");
  EXPECT_EQ(All(errors), (Pairs{{"typo", "unknown field"},
                                {"name", "must be a string"},
                                {"enabled", "must be a boolean"},
                                {"count", "must be an integer from 0 to 10"},
                                {"tags", "must be an array of strings"}}));
  const Error e = errors.ToError();
  EXPECT_EQ(e.kind, ErrorKind::kValidation);
  EXPECT_EQ(e.message, "validation failed");
  EXPECT_EQ(e.fields.size(), 5u);
}

TEST(ObjectReaderTest, AbsentMembersAreNotErrors) {
  const json doc = json::object();
  FieldErrors errors;
  ObjectReader r(doc, "", errors);
  EXPECT_FALSE(r.String("a"));
  EXPECT_FALSE(r.Bool("b"));
  EXPECT_FALSE(r.Int("c", 0, 1, "x"));
  EXPECT_FALSE(r.StringList("d"));
  EXPECT_FALSE(r.Has("a"));
  EXPECT_FALSE(r.IsNull("a"));
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(errors.ToStatus().ok());
}

TEST(ObjectReaderTest, NotAnObjectIsOneErrorAtTheTopName) {
  for (const json& doc : {json::array(), json(1), json("s"), json(nullptr)}) {
    FieldErrors errors;
    ObjectReader r(doc, "", errors);
    EXPECT_FALSE(r.IsObject("(body)", "must be a JSON object"));
    r.RefuseUnknown({"a"});
    EXPECT_FALSE(r.String("a"));
    EXPECT_EQ(All(errors), (Pairs{{"(body)", "must be a JSON object"}})) << doc.dump();
  }
  FieldErrors errors;
  const json doc = 1;
  ObjectReader nested(doc, "tls", errors);
  EXPECT_FALSE(nested.IsObject());
  EXPECT_EQ(All(errors), (Pairs{{"tls", "must be an object"}}));
}

TEST(ObjectReaderTest, NestedReadersPrefixTheirPath) {
  const json doc = {{"tiers", {{"gold", {{"limit", 0}, {"burst", 1}}}}},
                    {"limits", 3},
                    {"list", {{"a", {"x", 2, "y", false}}}}};
  FieldErrors errors;
  ObjectReader root(doc, "", errors);
  ObjectReader gold = root.Object("tiers").Object("gold");
  ASSERT_TRUE(gold.is_object());
  EXPECT_EQ(gold.path(), "tiers.gold");
  gold.RefuseUnknown({"limit"});
  EXPECT_FALSE(gold.Int("limit", 1, 100, "must be a positive integer"));
  ObjectReader limits = root.Object("limits");
  EXPECT_FALSE(limits.is_object());
  EXPECT_FALSE(limits.String("anything"));
  EXPECT_FALSE(root.Object("absent").is_object());
  EXPECT_FALSE(root.Object("list").StringList("a"));
  EXPECT_EQ(All(errors), (Pairs{{"tiers.gold.burst", "unknown field"},
                                {"tiers.gold.limit", "must be a positive integer"},
                                {"limits", "must be an object"},
                                {"list.a[1]", "must be a string"},
                                {"list.a[3]", "must be a string"}}));
  EXPECT_EQ(root.Path("x"), "x");
  EXPECT_EQ(gold.Path("limit"), "tiers.gold.limit");
  EXPECT_EQ(IndexPath("routes", 2), "routes[2]");
}

TEST(ObjectReaderTest, IntRangeAndType) {
  struct Case {
    json value;
    bool ok;
  };
  const Case cases[] = {
      {1, true},        {10, true},
      {0, false},       {11, false},
      {-1, false},      {1.0, false},  // a float, even a whole one, is not an integer
      {"5", false},     {true, false},
      {nullptr, false}, {json(18446744073709551615ULL), false},  // must not wrap to -1
  };
  for (const Case& c : cases) {
    FieldErrors errors;
    const json doc = {{"n", c.value}};
    ObjectReader r(doc, "", errors);
    EXPECT_EQ(r.Int("n", 1, 10, "bad").has_value(), c.ok) << c.value.dump();
    EXPECT_EQ(errors.empty(), c.ok) << c.value.dump();
  }
}

TEST(ObjectReaderTest, StringListRules) {
  const json doc = {{"dup", {"a", "b", "a"}},
                    {"long", {"a", "b", "c"}},
                    {"mixed", {"a", 1}},
                    {"scalar", "a"}};
  FieldErrors errors;
  ObjectReader r(doc, "", errors);
  EXPECT_EQ(r.StringList("dup", {.deduplicate = true}),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.StringList("dup"), (std::vector<std::string>{"a", "b", "a"}));
  EXPECT_FALSE(r.StringList("long", {.max_entries = 2}));
  EXPECT_FALSE(r.StringList("mixed", {.name_bad_entries = false}));
  EXPECT_FALSE(
      r.StringList("scalar", {.not_array = "must be an array of scope patterns"}));
  EXPECT_EQ(All(errors), (Pairs{{"long", "must have at most 2 entries"},
                                {"mixed", "must be an array of strings"},
                                {"scalar", "must be an array of scope patterns"}}));
}

TEST(ObjectReaderTest, NullIsItsOwnCase) {
  const json doc = {{"n", nullptr}};
  FieldErrors errors;
  ObjectReader r(doc, "", errors);
  EXPECT_TRUE(r.Has("n"));
  EXPECT_TRUE(r.IsNull("n"));
  EXPECT_FALSE(r.String("n"));  // a caller that accepts null checks IsNull first
  EXPECT_EQ(All(errors), (Pairs{{"n", "must be a string"}}));
}

TEST(ObjectReaderTest, FailRecordsADomainRuleAtTheMembersPath) {
  const json doc = json::object();
  FieldErrors errors;
  ObjectReader r(doc, "routes[0]", errors);
  r.Fail("path", "must start with '/'");
  EXPECT_EQ(All(errors), (Pairs{{"routes[0].path", "must start with '/'"}}));
  EXPECT_FALSE(errors.ToStatus().ok());
}

}  // namespace
}  // namespace keyward::json
