// fast_json: the direct writers must produce exactly the bytes of the nlohmann DOM
// path they replace (KeyJson + the /v1/verify answer), over hand-picked and
// generated keys: metadata, unicode, escapes, invalid UTF-8, nulls.
#include "keyward/api/fast_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "keyward/api/encode.h"
#include "keyward/api/rate_limit_fields.h"
#include "keyward/core/key_runtime.h"
#include "keyward/core/outcome.h"
#include "keyward/core/time_util.h"

namespace keyward::api {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The /v1/verify answer as system_handlers.cc built it before fast_json.
std::string DomVerifyAnswer(const core::Decision& d, UnixSeconds now,
                            const core::Tiers& tiers,
                            std::optional<std::int64_t> remaining) {
  json out{{"valid", d.outcome == core::Outcome::kValid},
           {"code", core::OutcomeName(d.outcome)},
           {"effective_scopes", d.effective_scopes}};
  if (d.key) {
    out["key"] = KeyJson(*d.key, now, tiers);
    if (remaining) out["key"]["remaining_uses"] = *remaining;
  }
  if (d.ratelimit) out["ratelimit"] = RateLimitJson(*d.ratelimit);
  if (!d.missing_scope.empty()) out["missing_scope"] = d.missing_scope;
  return Dump(out);
}

std::string Fast(std::string_view s) {
  std::string out = "x";  // appends: what is already there stays
  fast_json::AppendString(out, s);
  return out.substr(1);
}

TEST(FastJsonTest, StringsEscapeLikeNlohmannForEveryByte) {
  for (int b = 0; b < 256; ++b) {
    const std::string s = "a" + std::string(1, static_cast<char>(b)) + "z";
    EXPECT_EQ(Fast(s), Dump(json(s))) << "byte " << b;
  }
}

TEST(FastJsonTest, StringsWithUnicodeAndInvalidUtf8MatchNlohmann) {
  const std::vector<std::string> cases = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "tab\tnl\ncr\rff\fbs\b nul" + std::string(1, '\0') + " del\x7f",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91 \xe4\xb8\xad\xe6\x96\x87",
      "\xef\xbf\xbd replacement char itself",
      "\xc3",                    // truncated
      "\xc0\xaf",                // overlong
      "\xe0\x80\xaf",            // overlong
      "\xed\xa0\x80",            // surrogate
      "\xf4\x90\x80\x80",        // above U+10FFFF
      "\xff\xfe",                // never valid
      "ok \x80 then \"quote\"",  // stray continuation byte, then escapes
      "\xf0\x9f\x94",            // truncated 4-byte
  };
  for (const std::string& s : cases) EXPECT_EQ(Fast(s), Dump(json(s))) << s;
}

TEST(FastJsonTest, RandomByteStringsMatchNlohmann) {
  std::mt19937 rng(9);
  const std::string alphabet = std::string("aZ09\"\\/\t\n\x01\x1f\x7f", 13) +
                               "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x91\x80\xbf\xff\xed";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(Fast(s), Dump(json(s))) << i;
  }
}

KeyRecord BaseKey() {
  KeyRecord k;
  k.id = "key_3hQ9abcdefghijklmnopq";
  k.display_prefix = "kw_AbCdEfGhI";
  k.name = "build bot";
  k.org_id = "org_1";
  k.owner_user_id = "usr_1";
  k.scopes = {"logs:read", "keys:*"};
  k.created_at = 1'764'000'000;
  k.updated_at = 1'764'000'100;
  k.created_by = "usr_1";
  return k;
}

const core::Tiers kTiers{{{"standard", {60, 60}}, {"high", {300, 60}}}, "standard"};
constexpr UnixSeconds kNow = 1'764'500'000;

TEST(FastJsonTest, KeyObjectMatchesKeyJsonForHandPickedKeys) {
  std::vector<KeyRecord> keys;
  keys.push_back(BaseKey());
  {
    KeyRecord k = BaseKey();  // every optional set
    k.description = "line1\nline2 \"quoted\" caf\xc3\xa9";
    k.kind = KeyKind::kOrg;
    k.owner_user_id.reset();
    k.read_only = true;
    k.expires_at = kNow + 86400;
    k.ip_allow = {"10.0.0.0/8", "2001:db8::/32"};
    k.ip_deny = {"10.1.2.3/32"};
    k.rate_limit = RateLimit{1000000000, 1};
    k.tier = "high";
    k.remaining_uses = 42;
    k.refill = QuotaRefill{100, RefillInterval::kMonthly};
    k.tags = {"ci", "\xf0\x9f\x94\x91", ""};
    k.metadata_json =
        R"({"team":"infra","n":1.5,"list":[1,-2,3e10],"nested":{"b":null,"a":true},"u":"\u00e9\u0001"})";
    k.last_used_at = kNow - 5;
    k.last_used_ip = "203.0.113.9";
    k.revoked_at = kNow - 1;
    k.rotated_to = "key_next";
    keys.push_back(k);
  }
  for (const char* metadata : {"{}", "", "not json", "[1,2]", "null", "{\"z\":1,\"a\":2}",
                               "{ \"spaced\" : [ ] }", "{\"bad\":\"\xff\"}"}) {
    KeyRecord k = BaseKey();
    k.metadata_json = metadata;
    keys.push_back(k);
  }
  {
    KeyRecord k = BaseKey();  // expired, disabled, daily refill, a removed tier
    k.expires_at = kNow - 1;
    k.enabled = false;
    k.refill = QuotaRefill{5, RefillInterval::kDaily};
    k.tier = "gone";
    k.name = "bad \xc3\x28 utf8";
    keys.push_back(k);
  }
  for (const KeyRecord& k : keys) {
    std::string fast;
    fast_json::AppendKeyObject(fast, k, kNow, kTiers, std::nullopt);
    EXPECT_EQ(fast, Dump(KeyJson(k, kNow, kTiers))) << k.metadata_json;
    // Twice: the second answer comes from the metadata cache.
    std::string again;
    fast_json::AppendKeyObject(again, k, kNow, kTiers, std::nullopt);
    EXPECT_EQ(again, fast);
  }
}

core::Decision RandomDecision(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const std::vector<std::string> texts = {
      "", "a", "caf\xc3\xa9", "q\"\\", "\t\x02", "bad\xfe", "\xe2\x82\xac\xe2\x82\xac"};
  const std::vector<std::string> metadata = {
      "{}", R"({"k":"v"})", R"({"x":[1,2.25,null]})", "oops", R"({"e":"\u00e9"})"};
  core::Decision d;
  d.outcome = static_cast<core::Outcome>(pick(11));
  for (int i = pick(3); i > 0; --i)
    d.effective_scopes.push_back("s" + std::to_string(i) + ":read");
  if (pick(2)) d.missing_scope = "logs:write";
  if (pick(2)) d.ratelimit = core::RateLimitStatus{60, 60, pick(61), pick(61), false, 0};
  if (pick(4)) {
    KeyRecord k = BaseKey();
    k.name = texts[pick(texts.size())];
    k.description = texts[pick(texts.size())];
    k.metadata_json = metadata[pick(metadata.size())];
    if (pick(2)) k.owner_user_id.reset();
    if (pick(2)) k.expires_at = kNow + pick(3) - 1;
    if (pick(2)) k.remaining_uses = pick(1000);
    if (pick(3) == 0) k.revoked_at = kNow;
    if (pick(2)) k.tags = {texts[pick(texts.size())]};
    if (pick(2)) k.last_used_ip = "198.51.100." + std::to_string(pick(255));
    if (pick(2)) k.rate_limit = RateLimit{pick(100) + 1, pick(100) + 1};
    d.key = std::make_shared<KeyRecord>(k);
  }
  return d;
}

TEST(FastJsonTest, VerifyAnswerMatchesTheDomPathForGeneratedDecisions) {
  std::mt19937 rng(20261201);
  for (int i = 0; i < 3000; ++i) {
    const core::Decision d = RandomDecision(rng);
    std::optional<std::int64_t> remaining;
    if (rng() % 2) remaining = static_cast<std::int64_t>(rng() % 50);
    ASSERT_EQ(fast_json::VerifyAnswer(d, kNow, kTiers, remaining),
              DomVerifyAnswer(d, kNow, kTiers, remaining))
        << i;
  }
}

// The record-only parts of a key object are cached per record: answering the same
// records again, at other times (status), with other live counts and tiers in
// force, and with other records in between (evicting and refilling the cache), must
// still give the DOM's bytes each time.
TEST(FastJsonTest, VerifyAnswerForTheSameRecordsAgainMatchesTheDomPath) {
  std::mt19937 rng(7);
  std::vector<core::Decision> decisions;
  while (decisions.size() < 200) {
    core::Decision d = RandomDecision(rng);
    if (d.key) decisions.push_back(std::move(d));
  }
  const core::Tiers other_tiers{{{"standard", {10, 1}}}, "standard"};
  for (int round = 0; round < 5; ++round) {
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      const core::Decision& d = decisions[(i * 7 + round) % decisions.size()];
      const UnixSeconds now = kNow + (round - 2) * 86400;  // before and after expiry
      const core::Tiers& tiers = round % 2 ? other_tiers : kTiers;
      std::optional<std::int64_t> remaining;
      if (round % 3 == 1) remaining = round + static_cast<std::int64_t>(i);
      ASSERT_EQ(fast_json::VerifyAnswer(d, now, tiers, remaining),
                DomVerifyAnswer(d, now, tiers, remaining))
          << "round " << round << ", decision " << i;
    }
  }
}

// The record's last use is what the store held when the key was loaded; a use this
// server noted since (the runtime's cell) is newer and is what the answer shows, and
// an older one (noted before an admin edit reloaded the record) is not.
TEST(FastJsonTest, VerifyAnswerShowsTheLiveLastUseWhenItIsNewer) {
  core::Decision d;
  d.outcome = core::Outcome::kValid;
  auto k = std::make_shared<KeyRecord>();
  k->id = "key_live";
  k->display_prefix = "kw_LIVE0000";
  k->last_used_at = kNow - 3600;
  k->last_used_ip = "198.51.100.1";
  d.key = k;
  auto runtime = std::make_shared<core::KeyRuntime>();
  runtime->last_use = std::make_shared<core::LastUseCell>();
  d.runtime = runtime;
  const auto key_of = [&] {
    return json::parse(fast_json::VerifyAnswer(d, kNow, kTiers, std::nullopt))["key"];
  };
  EXPECT_EQ(key_of()["last_used_ip"], "198.51.100.1");  // nothing noted yet

  runtime->last_use->Note(kNow - 5, "203.0.113.7");
  json key = key_of();
  EXPECT_EQ(key["last_used_at"], core::FormatRfc3339(kNow - 5));
  EXPECT_EQ(key["last_used_ip"], "203.0.113.7");
  runtime->last_use->Note(kNow - 4, "203.0.113.7");  // the next second: not the last text
  EXPECT_EQ(key_of()["last_used_at"], core::FormatRfc3339(kNow - 4));

  runtime->last_use->Note(kNow - 7200, "192.0.2.9");  // older: ignored by the cell
  auto older = std::make_shared<core::KeyRuntime>();
  older->last_use = std::make_shared<core::LastUseCell>();
  older->last_use->Note(kNow - 7200, "192.0.2.9");
  d.runtime = older;  // a cell older than the record: the record stands
  key = key_of();
  EXPECT_EQ(key["last_used_ip"], "198.51.100.1");
  EXPECT_EQ(key["last_used_at"], core::FormatRfc3339(kNow - 3600));
}

TEST(FastJsonTest, ConstantBodiesAreTheDomDumps) {
  EXPECT_EQ(fast_json::kAuthValidBody, Dump(json{{"valid", true}, {"code", "VALID"}}));
  EXPECT_EQ(fast_json::kHealthyBody, Dump(json{{"status", "ok"}}));
  const http::Response r = fast_json::RawJson(201, "{}");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "{}");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "application/json");
}

}  // namespace
}  // namespace keyward::api
