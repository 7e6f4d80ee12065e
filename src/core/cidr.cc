#include "keyward/core/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace keyward::core {
namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                        0, 0, 0, 0, 0xff, 0xff};

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; 45 chars is the longest IPv6 text form.
  if (text.empty() || text.size() > 45) return std::nullopt;
  // inet_pton stops at a NUL, so "10.0.0.1\0junk" would pass as 10.0.0.1: a JSON
  // string may carry \u0000, and what follows it must not vanish silently.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress ip;
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, ip.bytes.data()) != 1) return std::nullopt;
    ip.v4 = true;
    return ip;
  }
  if (inet_pton(AF_INET6, buf, ip.bytes.data()) != 1) return std::nullopt;
  if (std::memcmp(ip.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0) {
    IpAddress v4;
    std::memcpy(v4.bytes.data(), ip.bytes.data() + 12, 4);
    v4.v4 = true;
    return v4;
  }
  return ip;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof(buf));
  return buf;
}

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  auto ip = IpAddress::Parse(text.substr(0, slash));
  if (!ip) return std::nullopt;
  const int max_len = ip->v4 ? 32 : 128;
  int len = max_len;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) {
      return std::nullopt;
    }
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), len);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    // An IPv4-mapped IPv6 range ("::ffff:10.0.0.0/104") is folded to IPv4 too.
    if (ip->v4 && text.find(':') != std::string_view::npos) len -= 96;
    if (len < 0 || len > max_len) return std::nullopt;
  }
  Cidr c{*ip, len};
  const int bytes = ip->v4 ? 4 : 16;
  for (int i = 0; i < bytes; ++i) {
    const int bits_here = std::min(8, std::max(0, len - i * 8));
    const std::uint8_t mask =
        bits_here == 0 ? 0 : static_cast<std::uint8_t>(0xff << (8 - bits_here));
    if ((c.base.bytes[i] & ~mask) != 0) return std::nullopt;  // host bits set
  }
  return c;
}

bool Cidr::Contains(const IpAddress& ip) const {
  if (ip.v4 != base.v4) return false;
  int remaining = prefix_len;
  for (int i = 0; remaining > 0; ++i, remaining -= 8) {
    const int bits = std::min(8, remaining);
    const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((ip.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
  }
  return true;
}

std::string Cidr::ToString() const {
  return base.ToString() + "/" + std::to_string(prefix_len);
}

std::optional<CidrList> CidrList::Parse(const std::vector<std::string>& entries,
                                        std::string* bad) {
  CidrList list;
  for (const auto& e : entries) {
    auto c = Cidr::Parse(e);
    if (!c) {
      if (bad) *bad = e;
      return std::nullopt;
    }
    list.ranges_.push_back(*c);
  }
  return list;
}

bool CidrList::Contains(const IpAddress& ip) const {
  for (const auto& r : ranges_) {
    if (r.Contains(ip)) return true;
  }
  return false;
}

}  // namespace keyward::core
