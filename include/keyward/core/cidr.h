// IP addresses and CIDR ranges for IP allow/deny lists and trusted proxies.
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are treated as the IPv4 address, so an
// IPv4 rule matches a client that arrives over a dual-stack socket. Values are
// immutable after parsing and safe to share between threads.
#ifndef KEYWARD_CORE_CIDR_H_
#define KEYWARD_CORE_CIDR_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::core {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
  bool v4 = false;

  // Accepts dotted IPv4 and any inet_pton IPv6 form (brackets and zone ids refused).
  static std::optional<IpAddress> Parse(std::string_view text);
  std::string ToString() const;
  bool operator==(const IpAddress&) const = default;
};

struct Cidr {
  IpAddress base;      // host bits cleared
  int prefix_len = 0;  // 0..32 for IPv4, 0..128 for IPv6

  // "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). Host bits set
  // in the address are refused ("10.0.0.1/8") because they usually mean a typo.
  static std::optional<Cidr> Parse(std::string_view text);
  bool Contains(const IpAddress& ip) const;
  std::string ToString() const;
};

// A list of ranges; Contains is a linear scan, which beats a trie for the short lists
// keys carry (tens of entries).
class CidrList {
 public:
  CidrList() = default;
  // nullopt and the first bad entry in `bad` when any entry fails to parse.
  static std::optional<CidrList> Parse(const std::vector<std::string>& entries,
                                       std::string* bad = nullptr);
  bool Contains(const IpAddress& ip) const;
  bool empty() const { return ranges_.empty(); }
  const std::vector<Cidr>& ranges() const { return ranges_; }

 private:
  std::vector<Cidr> ranges_;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_CIDR_H_
