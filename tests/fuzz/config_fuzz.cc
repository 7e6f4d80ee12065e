// Fuzzes config loading: config::ApplyJson over the defaults, then config::Validate.
// A configuration that validates must never make a later constructor throw or a
// later look-up miss: the key prefix builds a KeyFormat, every trusted proxy parses
// as a range, the default tier exists. The input is the config file's text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "keyward/config/config.h"
#include "keyward/core/cidr.h"
#include "keyward/core/key_format.h"
#include "keyward/core/scope.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using keyward::config::Config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto applied = keyward::config::ApplyJson(text, Config::Defaults());
  if (!applied.ok()) {
    // A refusal is "not JSON" or names at least one field (possibly "", the name of
    // an unknown empty member).
    const keyward::Error& e = applied.error();
    FUZZ_CHECK(e.kind == keyward::ErrorKind::kInvalidArgument ||
               (e.kind == keyward::ErrorKind::kValidation && !e.fields.empty()));
    return 0;
  }
  FUZZ_CHECK(text.find('\0') == std::string_view::npos);  // nothing was cut off
  auto valid = keyward::config::Validate(*applied);
  if (!valid.ok()) {
    FUZZ_CHECK(!valid.error().fields.empty() && !valid.error().fields[0].field.empty());
    return 0;
  }
  const Config& c = *valid;
  keyward::core::KeyFormat format(c.key_prefix);  // throws, so crashes, if invalid
  FUZZ_CHECK(format.key_length() == c.key_prefix.size() + 50);
  for (const auto& p : c.trusted_proxies) FUZZ_CHECK(keyward::core::Cidr::Parse(p));
  FUZZ_CHECK(c.tiers.count(c.default_tier) == 1);
  for (const auto& r : c.routes) FUZZ_CHECK(keyward::core::IsValidScope(r.scope));
  FUZZ_CHECK(!c.data_dir.empty());
  FUZZ_CHECK(c.max_body_bytes > 0 && c.max_header_bytes > 0);
  // Validating twice is a no-op.
  auto twice = keyward::config::Validate(c);
  FUZZ_CHECK(twice.ok() && twice->listen_port == c.listen_port &&
             twice->listen_host == c.listen_host);
  return 0;
}
