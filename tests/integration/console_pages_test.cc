// The web console's files (contract section 8): built into the binary, served with
// a strict CSP and framing, sniffing, referrer and cache headers; no inline script
// or style and no external request. And the admin password API.
#include <chrono>
#include <regex>
#include <thread>

#include "console_test.h"
#include "keyward/console/assets.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

void ExpectPageHeaders(const ClientResponse& r, const std::string& what) {
  const std::string csp = r.Header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << what << ": " << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << what;
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY") << what;
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer") << what;
}

TEST_F(ConsoleTest, PagesAreServedWithStrictHeaders) {
  auto redirect = Do("GET", "/console", "");
  EXPECT_EQ(redirect.status, 308);
  EXPECT_EQ(redirect.Header("Location"), "/console/");
  auto page = Do("GET", "/console/", "");
  ASSERT_EQ(page.status, 200);
  ExpectPageHeaders(page, "index.html");
  EXPECT_EQ(page.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  // Revalidation: the same ETag answers 304 without a body.
  auto again =
      Do("GET", "/console/", "", nullptr, {{"If-None-Match", page.Header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  // Every asset the page names carries its hash and may then be cached for good.
  std::regex ref(R"re((?:src|href)="/console/([a-z]+\.(?:js|css))\?v=([0-9a-f]{64})")re");
  int refs = 0;
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), ref), end; it != end;
       ++it) {
    ++refs;
    auto asset = Do("GET", "/console/" + (*it)[1].str() + "?v=" + (*it)[2].str(), "");
    ASSERT_EQ(asset.status, 200) << (*it)[1];
    ExpectPageHeaders(asset, (*it)[1]);
    EXPECT_EQ(asset.Header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(Do("GET", "/console/" + (*it)[1].str(), "").Header("Cache-Control"),
              "no-cache");
  }
  EXPECT_EQ(refs, 5);  // app.css and four scripts
  EXPECT_EQ(Do("GET", "/console/missing.js", "").status, 404);
  EXPECT_EQ(Do("GET", "/console/..%2Fkeyward.db", "").status, 404);
}

TEST(ConsoleAssetsTest, NoInlineScriptOrStyleAndNoExternalRequest) {
  ASSERT_FALSE(console::EmbeddedAssets().empty());
  for (const console::Asset& a : console::EmbeddedAssets()) {
    const std::string body(a.body);
    // The only absolute URL is the SVG namespace name, which is never fetched.
    std::string rest = body;
    ReplaceAll(rest, "http://www.w3.org/2000/svg", "");
    EXPECT_EQ(rest.find("http://"), std::string::npos) << a.name;
    EXPECT_EQ(rest.find("https://"), std::string::npos) << a.name;
    EXPECT_EQ(rest.find("//cdn"), std::string::npos) << a.name;
    if (a.name == "index.html") {
      EXPECT_FALSE(std::regex_search(body, std::regex("<script(?![^>]*\\bsrc=)")))
          << "inline script";
      EXPECT_EQ(body.find("<style"), std::string::npos);
      EXPECT_EQ(body.find(" style="), std::string::npos);
      EXPECT_FALSE(std::regex_search(body, std::regex(" on[a-z]+="))) << "inline handler";
    }
    if (a.name.ends_with(".js")) {
      // Nothing the page shows is parsed as markup, and nothing is kept in storage.
      EXPECT_EQ(body.find("innerHTML"), std::string::npos) << a.name;
      EXPECT_EQ(body.find("localStorage"), std::string::npos) << a.name;
      EXPECT_EQ(body.find("sessionStorage"), std::string::npos) << a.name;
      EXPECT_EQ(body.find("eval("), std::string::npos) << a.name;
    }
  }
}

TEST_F(ConsoleTest, AdminsSetPasswordsWithinTheirBounds) {
  const std::string mia = MakeUser("mia", "member", {"keys:read"});
  auto short_pw =
      Do("PUT", "/v1/users/" + mia + "/password", admin_key_, {{"password", "short"}});
  EXPECT_EQ(short_pw.status, 422);
  EXPECT_EQ(Json(short_pw)["errors"][0]["field"], "password");
  EXPECT_EQ(
      Do("PUT", "/v1/users/" + mia + "/password", admin_key_, {{"oops", "x"}}).status,
      422);
  ASSERT_EQ(Do("PUT", "/v1/users/" + mia + "/password", admin_key_,
               {{"password", "mia's brand new password"}})
                .status,
            204);
  EXPECT_EQ(SignIn("mia", kPassword).status, 401);
  EXPECT_EQ(SignIn("mia", "mia's brand new password").status, 201);
  // A key holding only users:write cannot take over a user holding more.
  json narrow =
      CreateKey({{"name", "users only"}, {"scopes", {"users:write", "users:read"}}});
  const std::string admin_id = Json(Do("GET", "/v1/me", admin_key_))["user"]["id"];
  auto takeover = Do("PUT", "/v1/users/" + admin_id + "/password", narrow["key"],
                     {{"password", "i own the admin now"}});
  EXPECT_EQ(takeover.status, 403) << takeover.body;
  // A member cannot set anybody's password (not even with a session).
  auto s = SignIn("mia", "mia's brand new password");
  EXPECT_EQ(AsConsole(s, "PUT", "/v1/users/" + mia + "/password",
                      {{"password", "another long password"}})
                .status,
            403);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  auto audit = Do("GET", "/v1/audit?action=user.password", admin_key_);
  ASSERT_EQ(audit.status, 200);
  EXPECT_FALSE(Json(audit)["items"].empty());
  EXPECT_EQ(audit.body.find("brand new"), std::string::npos);
  EXPECT_EQ(server_->log().find("brand new"), std::string::npos);
}

}  // namespace
}  // namespace keyward::testing
