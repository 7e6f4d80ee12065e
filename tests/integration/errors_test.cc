// Every error status of the contract, as problem+json, over real HTTPS.
#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class ErrorsTest : public ServerTest {
 protected:
  void ExpectProblem(const ClientResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
    json p = Json(r);
    EXPECT_EQ(p["status"], status);
    EXPECT_EQ(p["code"], code) << r.body;
    EXPECT_TRUE(p["type"].is_string());
    EXPECT_TRUE(p["title"].is_string());
    EXPECT_TRUE(p["detail"].is_string());
  }
};

TEST_F(ErrorsTest, MalformedJsonIs400) {
  auto r = client_->Send("POST", "/v1/keys", {{"Authorization", "Bearer " + admin_key_}},
                         "{\"name\": ");
  ExpectProblem(r, 400, "malformed_json");
  r = client_->Send("POST", "/v1/verify", {}, "not json");
  ExpectProblem(r, 400, "malformed_json");
}

TEST_F(ErrorsTest, MissingCredentialIs401WithChallenge) {
  auto r = Do("GET", "/v1/keys", "");
  ExpectProblem(r, 401, "missing_token");
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"keyward\"");
}

TEST_F(ErrorsTest, BadCredentialIs401InvalidToken) {
  auto r = Do("GET", "/v1/keys", "kw_notakey");
  ExpectProblem(r, 401, "invalid_token");
  EXPECT_EQ(r.Header("WWW-Authenticate"),
            "Bearer realm=\"keyward\", error=\"invalid_token\"");
  EXPECT_EQ(Json(r)["outcome"], "MALFORMED");
  // Right shape and checksum, unknown key.
  std::string unknown = admin_key_;
  unknown[5] = unknown[5] == 'A' ? 'B' : 'A';
  r = Do("GET", "/v1/keys", unknown);
  EXPECT_EQ(r.status, 401);
}

TEST_F(ErrorsTest, OtherPresentationsWork) {
  auto r = client_->Send("GET", "/v1/me", {{"X-API-Key", admin_key_}});
  EXPECT_EQ(r.status, 200) << r.body;
  r = client_->Send("GET", "/v1/me", {{"Authorization", "bEaReR " + admin_key_}});
  EXPECT_EQ(r.status, 200) << r.body;
  // Query keys are off by default.
  r = client_->Send("GET", "/v1/me?api_key=" + admin_key_);
  EXPECT_EQ(r.status, 401);
}

TEST_F(ErrorsTest, TwoDifferentKeysAre400) {
  json other = CreateKey({{"name", "other"}});
  auto r = client_->Send("GET", "/v1/me",
                         {{"Authorization", "Bearer " + admin_key_},
                          {"X-API-Key", other["key"].get<std::string>()}});
  ExpectProblem(r, 400, "conflicting_credentials");
  EXPECT_EQ(r.body.find(other["key"].get<std::string>()), std::string::npos);
}

TEST_F(ErrorsTest, UnknownRouteIs404AndUnknownIdIs404) {
  ExpectProblem(Do("GET", "/v1/nothing", admin_key_), 404, "not_found");
  ExpectProblem(Do("GET", "/v1/keys/key_doesnotexist", admin_key_), 404, "not_found");
  ExpectProblem(Do("DELETE", "/v1/keys/key_doesnotexist", admin_key_), 404, "not_found");
}

TEST_F(ErrorsTest, WrongMethodIs405WithAllow) {
  auto r = Do("PUT", "/v1/keys", admin_key_);
  ExpectProblem(r, 405, "method_not_allowed");
  EXPECT_NE(r.Header("Allow").find("POST"), std::string::npos);
}

TEST_F(ErrorsTest, ValidationIs422NamingEachField) {
  auto r = Do("POST", "/v1/keys", admin_key_,
              {{"name", "x"}, {"scopez", {"a:b"}}, {"enabled", "yes"}});
  ExpectProblem(r, 422, "validation_failed");
  json errors = Json(r)["errors"];
  ASSERT_EQ(errors.size(), 2u) << r.body;
  std::set<std::string> fields;
  for (const auto& e : errors) fields.insert(e["field"]);
  EXPECT_TRUE(fields.count("scopez"));
  EXPECT_TRUE(fields.count("enabled"));

  struct Case {
    json body;
    std::string field;
  };
  const Case cases[] = {
      {{{"description", "no name"}}, "name"},
      {{{"name", ""}}, "name"},
      {{{"name", std::string(101, 'n')}}, "name"},
      {{{"name", "tab\there"}}, "name"},
      {{{"name", "x"}, {"description", std::string(1001, 'd')}}, "description"},
      {{{"name", "x"}, {"scopes", {"not a scope"}}}, "scopes[0]"},
      {{{"name", "x"}, {"expires_at", "2001-01-01T00:00:00Z"}}, "expires_at"},
      {{{"name", "x"}, {"expires_at", "tomorrow"}}, "expires_at"},
      {{{"name", "x"}, {"expires_in", "-5d"}}, "expires_in"},
      {{{"name", "x"}, {"expires_in", "1d"}, {"expires_at", "2099-01-01T00:00:00Z"}},
       "expires_in"},
      {{{"name", "x"}, {"tier", "platinum"}}, "tier"},
      {{{"name", "x"}, {"rate_limit", {{"limit", 0}, {"window_seconds", 60}}}},
       "rate_limit.limit"},
      {{{"name", "x"}, {"remaining_uses", -1}}, "remaining_uses"},
      {{{"name", "x"}, {"ip_allow", {"10.0.0.1/33"}}}, "ip_allow[0]"},
      {{{"name", "x"}, {"metadata", "not an object"}}, "metadata"},
      {{{"name", "x"}, {"kind", "team"}}, "kind"},
      {{{"name", "x"}, {"owner_user_id", "usr_nobody"}}, "owner_user_id"},
  };
  for (const auto& c : cases) {
    auto resp = Do("POST", "/v1/keys", admin_key_, c.body);
    ASSERT_EQ(resp.status, 422) << c.body.dump() << " -> " << resp.body;
    EXPECT_EQ(Json(resp)["errors"][0]["field"], c.field)
        << c.body.dump() << " -> " << resp.body;
  }
}

TEST_F(ErrorsTest, BodyOverLimitIs413) {
  std::string big = "{\"name\":\"" + std::string(1100 * 1024, 'a') + "\"}";
  auto r = client_->Send(
      "POST", "/v1/keys",
      {{"Authorization", "Bearer " + admin_key_}, {"Content-Type", "application/json"}},
      big);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  // The server is still up.
  auto fresh = server_->Client();
  EXPECT_EQ(fresh->Send("GET", "/healthz").status, 200);
}

TEST_F(ErrorsTest, HeaderOverLimitIs431) {
  auto r = client_->Send("GET", "/healthz", {{"X-Filler", std::string(9 * 1024, 'h')}});
  EXPECT_EQ(r.status, 431);
  auto fresh = server_->Client();
  EXPECT_EQ(fresh->Send("GET", "/healthz").status, 200);
}

TEST_F(ErrorsTest, GarbageOnTheSocketLeavesTheServerUp) {
  auto raw = server_->Client();
  std::string reply = raw->SendRaw("\x16\x03garbage\r\n\r\n\x00\xff");
  reply = raw->SendRaw("GET / HTTP/9.9\r\n\r\n");
  auto fresh = server_->Client();
  EXPECT_EQ(fresh->Send("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace keyward::testing
