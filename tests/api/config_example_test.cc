// config/keyward.example.json and docs/configuration.md stay complete and true.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "keyward/config/config.h"

namespace keyward::config {
namespace {

const std::string kExample =
    std::string(KEYWARD_SOURCE_DIR) + "/config/keyward.example.json";
const std::string kDoc = std::string(KEYWARD_SOURCE_DIR) + "/docs/configuration.md";

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "limits.max_body_bytes" for every member that is not an object (tiers: the map
// itself counts as one field).
void Leaves(const nlohmann::json& j, const std::string& prefix,
            std::set<std::string>& out) {
  for (const auto& [k, v] : j.items()) {
    const std::string path = prefix.empty() ? k : prefix + "." + k;
    if (v.is_object() && k != "tiers") {
      Leaves(v, path, out);
    } else {
      out.insert(path);
    }
  }
}

TEST(ConfigExampleTest, IsPureJsonWithEveryContractFieldAtItsDefault) {
  const std::string text = Read(kExample);
  ASSERT_FALSE(text.empty()) << kExample;
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false,
                                         /*ignore_comments=*/false);
  ASSERT_FALSE(doc.is_discarded()) << "not pure JSON";
  std::set<std::string> fields;
  Leaves(doc, "", fields);
  // Contract section 6, plus the metrics extension and the thread count.
  const std::set<std::string> expected = {"listen",
                                          "data_dir",
                                          "pepper_file",
                                          "tls.cert_file",
                                          "tls.key_file",
                                          "insecure_http",
                                          "key_prefix",
                                          "allow_query_keys",
                                          "trusted_proxies",
                                          "tiers",
                                          "default_tier",
                                          "routes",
                                          "forward_auth.gateway",
                                          "cors.allowed_origins",
                                          "limits.max_header_bytes",
                                          "limits.max_body_bytes",
                                          "limits.request_timeout_seconds",
                                          "limits.failed_auth_per_minute",
                                          "limits.max_keys_per_owner",
                                          "limits.max_connections",
                                          "limits.max_connections_per_ip",
                                          "limits.backend",
                                          "limits.on_backend_error",
                                          "limits.backend_timeout_ms",
                                          "last_used_flush_seconds",
                                          "threads",
                                          "log.level",
                                          "log.format",
                                          "metrics.require_auth",
                                          "audit.retention_days",
                                          "console.enabled",
                                          "console.idle_timeout_seconds",
                                          "console.absolute_timeout_seconds",
                                          "store.url"};
  EXPECT_EQ(fields, expected);

  auto loaded = ApplyJson(text, Config::Defaults());
  ASSERT_TRUE(loaded.ok()) << Describe(loaded.error());
  auto c = Validate(*loaded);
  ASSERT_TRUE(c.ok()) << Describe(c.error());
  auto d = Validate(Config::Defaults());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(c->listen, d->listen);
  EXPECT_EQ(c->data_dir, d->data_dir);
  EXPECT_EQ(c->tls_cert_file, d->tls_cert_file);
  EXPECT_EQ(c->tls_key_file, d->tls_key_file);
  EXPECT_EQ(c->insecure_http, d->insecure_http);
  EXPECT_EQ(c->key_prefix, d->key_prefix);
  EXPECT_EQ(c->allow_query_keys, d->allow_query_keys);
  EXPECT_EQ(c->trusted_proxies, d->trusted_proxies);
  EXPECT_EQ(c->tiers, d->tiers);
  EXPECT_EQ(c->default_tier, d->default_tier);
  EXPECT_TRUE(c->routes.empty());
  EXPECT_EQ(c->cors_allowed_origins, d->cors_allowed_origins);
  EXPECT_EQ(c->max_header_bytes, d->max_header_bytes);
  EXPECT_EQ(c->max_body_bytes, d->max_body_bytes);
  EXPECT_EQ(c->request_timeout_seconds, d->request_timeout_seconds);
  EXPECT_EQ(c->failed_auth_per_minute, d->failed_auth_per_minute);
  EXPECT_EQ(c->max_keys_per_owner, d->max_keys_per_owner);
  EXPECT_EQ(c->max_connections, d->max_connections);
  EXPECT_EQ(c->max_connections_per_ip, d->max_connections_per_ip);
  EXPECT_EQ(c->last_used_flush_seconds, d->last_used_flush_seconds);
  EXPECT_EQ(c->log_level, d->log_level);
  EXPECT_EQ(c->log_format, d->log_format);
  EXPECT_EQ(c->metrics_require_auth, d->metrics_require_auth);
  EXPECT_EQ(c->console_enabled, d->console_enabled);
  EXPECT_EQ(c->console_idle_timeout_seconds, d->console_idle_timeout_seconds);
  EXPECT_EQ(c->console_absolute_timeout_seconds, d->console_absolute_timeout_seconds);
  EXPECT_EQ(c->store_url, d->store_url);
  EXPECT_EQ(c->pepper_file, d->pepper_file);
  EXPECT_EQ(c->limits_backend, d->limits_backend);
  EXPECT_EQ(c->limits_on_backend_error, d->limits_on_backend_error);
  EXPECT_EQ(c->limits_backend_timeout_ms, d->limits_backend_timeout_ms);
}

TEST(ConfigExampleTest, EveryFieldIsDocumented) {
  const std::string doc = Read(kDoc);
  ASSERT_FALSE(doc.empty()) << kDoc;
  std::set<std::string> fields;
  Leaves(nlohmann::json::parse(Read(kExample)), "", fields);
  for (const auto& f : fields) {
    EXPECT_NE(doc.find("| `" + f + "` |"), std::string::npos)
        << f << " missing from " << kDoc;
  }
}

}  // namespace
}  // namespace keyward::config
