#include "keyward/api/key_fields.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace keyward::api {
namespace {

using nlohmann::json;

const std::map<std::string, RateLimit> kTiers = {{"standard", {60, 60}},
                                                 {"high", {300, 60}}};
constexpr UnixSeconds kNow = 1'800'000'000;

Result<KeyFields> Create(const json& body) {
  return ParseKeyFields(body, KeyFieldsMode::kCreate, kNow, kTiers);
}

TEST(KeyFieldsTest, FullCreateBodyParses) {
  auto f = Create({{"name", "n"},
                   {"description", "d"},
                   {"scopes", {"logs:read", "logs:read", "*"}},
                   {"read_only", true},
                   {"enabled", false},
                   {"expires_in", "12h"},
                   {"ip_allow", {"10.1.2.3/8"}},
                   {"tier", "high"},
                   {"rate_limit", {{"limit", 5}, {"window_seconds", 10}}},
                   {"remaining_uses", 7},
                   {"tags", {"a"}},
                   {"metadata", {{"k", 1}}},
                   {"kind", "org"}});
  // 10.1.2.3/8 has host bits set: refused.
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().fields[0].field, "ip_allow[0]");

  f = Create({{"name", "n"},
              {"scopes", {"logs:read", "logs:read", "*"}},
              {"expires_in", "12h"},
              {"ip_allow", {"10.0.0.0/8", "::ffff:192.168.0.1"}},
              {"tier", "high"},
              {"rate_limit", {{"limit", 5}, {"window_seconds", 10}}},
              {"remaining_uses", 7},
              {"metadata", {{"k", 1}}}});
  ASSERT_TRUE(f.ok()) << f.error().fields[0].field;
  EXPECT_EQ(*f->scopes, (std::vector<std::string>{"logs:read", "*"}));  // de-duplicated
  EXPECT_EQ(**f->expires_at, kNow + 12 * 3600);
  EXPECT_EQ(*f->ip_allow, (std::vector<std::string>{"10.0.0.0/8", "192.168.0.1/32"}));
  EXPECT_EQ(**f->rate_limit, (RateLimit{5, 10}));
  EXPECT_EQ(**f->remaining_uses, 7);
  EXPECT_EQ(*f->metadata_json, R"({"k":1})");
}

// PostgreSQL cannot store NUL (text refuses it, jsonb refuses \u0000): both stores
// must refuse it the same way, before it reaches either.
TEST(KeyFieldsTest, NulIsRefusedInStringsListsAndMetadata) {
  const std::string nul("a\0b", 3);
  auto f = Create({{"name", nul},
                   {"scopes", {"logs:read", nul}},
                   {"tags", {nul}},
                   {"metadata", {{"k", {{"deep", {1, nul}}}}}}});
  ASSERT_FALSE(f.ok());
  std::vector<std::string> fields;
  for (const auto& e : f.error().fields) fields.push_back(e.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"name", "scopes[1]", "tags[0]", "metadata"}));
  EXPECT_FALSE(
      Create({{"name", "n"}, {"scopes", {"logs:read"}}, {"metadata", {{nul, 1}}}}).ok());
  EXPECT_TRUE(Create({{"name", "n"},
                      {"scopes", {"logs:read"}},
                      {"metadata", {{"k", "a\\u0000 is text here"}}}})
                  .ok());
}

TEST(KeyFieldsTest, BadFieldsAreAllReported) {
  auto f = Create({{"nme", "x"}, {"enabled", 1}, {"scopes", "a:b"}});
  ASSERT_FALSE(f.ok());
  std::vector<std::string> fields;
  for (const auto& e : f.error().fields) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"nme", "name", "scopes", "enabled"}));
}

TEST(KeyFieldsTest, ExpiryRules) {
  struct Case {
    json body;
    bool ok;
  };
  const Case cases[] = {
      {{{"name", "n"}, {"expires_in", 60}}, true},
      {{{"name", "n"}, {"expires_in", "3600"}}, true},
      {{{"name", "n"}, {"expires_in", "90d"}}, true},
      {{{"name", "n"}, {"expires_in", 0}}, false},
      {{{"name", "n"}, {"expires_in", "soon"}}, false},
      {{{"name", "n"}, {"expires_in", "999999d"}}, false},
      {{{"name", "n"}, {"expires_at", "2027-01-15T10:00:00Z"}}, true},
      {{{"name", "n"}, {"expires_at", "2020-01-15T10:00:00Z"}}, false},
      {{{"name", "n"}, {"expires_at", 12345}}, false},
      {{{"name", "n"}, {"expires_at", "2027-01-15T10:00:00Z"}, {"expires_in", 5}}, false},
  };
  for (const auto& c : cases) EXPECT_EQ(Create(c.body).ok(), c.ok) << c.body.dump();
}

TEST(KeyFieldsTest, PatchAllowsNullsAndRefusesOwnerAndKind) {
  auto f = ParseKeyFields(
      {{"expires_at", nullptr}, {"rate_limit", nullptr}, {"remaining_uses", nullptr}},
      KeyFieldsMode::kPatch, kNow, kTiers);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->expires_at.has_value() && !f->expires_at->has_value());
  EXPECT_TRUE(f->rate_limit.has_value() && !f->rate_limit->has_value());
  EXPECT_FALSE(f->name.has_value());
  EXPECT_FALSE(
      ParseKeyFields({{"owner_user_id", "usr_x"}}, KeyFieldsMode::kPatch, kNow, kTiers)
          .ok());
  EXPECT_FALSE(
      ParseKeyFields({{"kind", "user"}}, KeyFieldsMode::kPatch, kNow, kTiers).ok());
  EXPECT_FALSE(ParseKeyFields(json::array(), KeyFieldsMode::kPatch, kNow, kTiers).ok());
}

TEST(KeyFieldsTest, QuotaAndRefillRules) {
  struct Case {
    json body;
    std::string bad_field;  // "" = accepted
  };
  const Case cases[] = {
      {{{"name", "n"}, {"remaining_uses", 0}}, ""},
      {{{"name", "n"}, {"remaining_uses", 1'099'511'627'775}}, ""},
      {{{"name", "n"}, {"remaining_uses", 1'099'511'627'776}}, "remaining_uses"},
      {{{"name", "n"}, {"remaining_uses", 1.5}}, "remaining_uses"},
      {{{"name", "n"}, {"refill", {{"amount", 10}, {"interval", "daily"}}}}, ""},
      {{{"name", "n"}, {"refill", {{"amount", 0}, {"interval", "monthly"}}}}, ""},
      {{{"name", "n"}, {"refill", nullptr}}, ""},
      {{{"name", "n"}, {"refill", {{"amount", 10}, {"interval", "weekly"}}}},
       "refill.interval"},
      {{{"name", "n"}, {"refill", {{"amount", -1}, {"interval", "daily"}}}},
       "refill.amount"},
      {{{"name", "n"}, {"refill", {{"interval", "daily"}}}}, "refill.amount"},
      {{{"name", "n"}, {"refill", {{"amount", 1}}}}, "refill.interval"},
      {{{"name", "n"}, {"refill", {{"amount", 1}, {"interval", "daily"}, {"at", 0}}}},
       "refill.at"},
      {{{"name", "n"}, {"refill", 10}}, "refill"},
  };
  for (const auto& c : cases) {
    auto f = Create(c.body);
    if (c.bad_field.empty()) {
      EXPECT_TRUE(f.ok()) << c.body.dump() << " -> " << f.error().fields[0].field;
    } else {
      ASSERT_FALSE(f.ok()) << c.body.dump();
      EXPECT_EQ(f.error().fields[0].field, c.bad_field) << c.body.dump();
    }
  }
  auto f = Create({{"name", "n"}, {"refill", {{"amount", 10}, {"interval", "monthly"}}}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(**f->refill, (QuotaRefill{10, RefillInterval::kMonthly}));
  f = ParseKeyFields({{"refill", nullptr}}, KeyFieldsMode::kPatch, kNow, kTiers);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->refill.has_value() && !f->refill->has_value());
}

TEST(KeyFieldsTest, EveryBadEntryOfEveryListIsReported) {
  auto f = Create({{"name", ""},
                   {"scopes", {"a:b", "bad one", 3, "also bad"}},
                   {"ip_allow", {"nope", "10.0.0.0/8", "10.1.2.3/8"}},
                   {"rate_limit", {{"limit", 0}, {"window_seconds", "60"}}},
                   {"refill", {{"amount", -1}, {"interval", "weekly"}}}});
  ASSERT_FALSE(f.ok());
  std::vector<std::string> fields;
  for (const auto& e : f.error().fields) fields.push_back(e.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"name", "scopes[2]", "ip_allow[0]", "ip_allow[2]",
                                      "rate_limit.limit", "rate_limit.window_seconds",
                                      "refill.amount", "refill.interval"}));
}

TEST(RotateOptionsTest, ReadsGraceAndTheNewExpiry) {
  const core::Tiers tiers;
  auto o = ParseRotateOptions({{"grace_seconds", 60}, {"expires_in", "1h"}}, kNow, tiers);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->grace_seconds, 60);
  EXPECT_EQ(o->expires_at, kNow + 3600);
  o = ParseRotateOptions(json::object(), kNow, tiers);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->grace_seconds, 0);
  EXPECT_FALSE(o->expires_at.has_value());
  o = ParseRotateOptions({{"expires_at", nullptr}}, kNow, tiers);
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->expires_at.has_value());  // null keeps the old key's expiry
}

TEST(RotateOptionsTest, ReportsEveryProblem) {
  const core::Tiers tiers;
  auto o = ParseRotateOptions(
      {{"grace_seconds", "60"}, {"expires_at", "2001-01-01T00:00:00Z"}, {"name", "x"}},
      kNow, tiers);
  ASSERT_FALSE(o.ok());
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : o.error().fields) got.emplace_back(e.field, e.message);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"name", "unknown field"},
                     {"grace_seconds", "must be an integer"},
                     {"expires_at", "must be in the future"}}));
  o = ParseRotateOptions({{"expires_at", "2030-01-01T00:00:00Z"}, {"expires_in", "1h"}},
                         kNow, tiers);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().fields[0].field, "expires_in");
  o = ParseRotateOptions(json::array(), kNow, tiers);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().fields[0].field, "(body)");
}

TEST(CheckTextTest, Table) {
  struct Case {
    std::string text;
    size_t min, max;
    bool ok;
  };
  const Case cases[] = {
      {"hello", 1, 100, true},
      {"", 1, 100, false},
      {"", 0, 100, true},
      {std::string(100, 'x'), 1, 100, true},
      {std::string(101, 'x'), 1, 100, false},
      {"grüße", 1, 5, true},  // five characters, seven bytes
      {"line\nbreak", 1, 100, false},
      {"nul\x01", 1, 100, false},
      {"del\x7f", 1, 100, false},
      {"c1\xc2\x85", 1, 100, false},  // U+0085 NEXT LINE
  };
  for (const auto& c : cases) {
    EXPECT_EQ(!CheckText(c.text, c.min, c.max).has_value(), c.ok) << c.text;
  }
}

}  // namespace
}  // namespace keyward::api
