#include "keyward/service/key_rules.h"

#include "keyward/core/quota.h"
#include "keyward/core/time_util.h"

namespace keyward::service {

std::optional<std::string> CheckText(const std::string& text, std::size_t min_chars,
                                     std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = b;
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (len > 1 && i + len <= text.size()) {
      cp = b & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      return "must not contain control characters";
    }
    i += len;
    ++chars;
  }
  if (chars < min_chars || chars > max_chars) {
    return "must be " + std::to_string(min_chars) + " to " + std::to_string(max_chars) +
           " characters";
  }
  return std::nullopt;
}

const std::string& QuotaCountMessage() {
  static const std::string kMessage =
      "must be an integer from 0 to " + std::to_string(core::kMaxQuota);
  return kMessage;
}

bool IsQuotaCount(std::int64_t n) { return n >= 0 && n <= core::kMaxQuota; }

std::optional<UnixSeconds> ExpiryAfter(std::optional<std::int64_t> seconds,
                                       UnixSeconds now) {
  constexpr std::int64_t kHundredYears = 100LL * 366 * 86400;
  if (!seconds || *seconds <= 0 || *seconds > kHundredYears) return std::nullopt;
  return now + *seconds;
}

Result<UnixSeconds> ExpiryIn(const std::string& duration, UnixSeconds now) {
  if (auto at = ExpiryAfter(core::ParseDuration(duration), now)) return *at;
  return Error::Validation("expires_in", kExpiresInMessage);
}

std::string TierMessage(const std::map<std::string, RateLimit>& tiers) {
  std::string names;
  for (const auto& [name, rl] : tiers) names += (names.empty() ? "" : ", ") + name;
  return "must name a configured tier (" + names + ")";
}

}  // namespace keyward::service
