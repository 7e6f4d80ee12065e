#include "keyward/core/cidr.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keyward::core {
namespace {

TEST(IpAddressTest, ParsesAndPrintsCanonically) {
  struct Case {
    std::string text;
    std::string canonical;  // "" = must be refused
    bool v4;
  };
  const Case cases[] = {
      {"203.0.113.9", "203.0.113.9", true},
      {"0.0.0.0", "0.0.0.0", true},
      {"255.255.255.255", "255.255.255.255", true},
      {"2001:db8::1", "2001:db8::1", false},
      {"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", false},
      {"::", "::", false},
      {"::1", "::1", false},
      // IPv4-mapped IPv6 is folded to IPv4.
      {"::ffff:192.0.2.1", "192.0.2.1", true},
      {"::FFFF:c000:0201", "192.0.2.1", true},
      // Refused: empty, junk, out of range, brackets, zones, ports, spaces, CIDR.
      {"", "", false},
      {"localhost", "", false},
      {"256.0.0.1", "", false},
      {"1.2.3", "", false},
      {"1.2.3.4.5", "", false},
      {"01.2.3.4", "", false},
      {"[::1]", "", false},
      {"fe80::1%eth0", "", false},
      {"1.2.3.4:80", "", false},
      {" 1.2.3.4", "", false},
      {"1.2.3.4/32", "", false},
      {"2001:db8::1::2", "", false},
      {std::string(46, '1'), "", false},
  };
  for (const auto& c : cases) {
    const auto ip = IpAddress::Parse(c.text);
    if (c.canonical.empty()) {
      EXPECT_FALSE(ip) << c.text;
      continue;
    }
    ASSERT_TRUE(ip) << c.text;
    EXPECT_EQ(ip->ToString(), c.canonical) << c.text;
    EXPECT_EQ(ip->v4, c.v4) << c.text;
  }
}

// Found by tests/fuzz/cidr_fuzz (corpus: tests/fuzz/corpus/cidr/embedded_nul):
// inet_pton reads a C string, so the text after an embedded NUL (a JSON "\u0000")
// was ignored and "10.0.0.1\0junk" passed as 10.0.0.1.
TEST(IpAddressTest, RefusesAnEmbeddedNul) {
  using namespace std::string_literals;
  EXPECT_FALSE(IpAddress::Parse("10.0.0.1\0junk"s).has_value());
  EXPECT_FALSE(IpAddress::Parse("::1\0"s).has_value());
  EXPECT_FALSE(Cidr::Parse("10.0.0.0\0x/8"s).has_value());
  EXPECT_FALSE(CidrList::Parse({"10.0.0.0/8", "192.0.2.1\0"s}).has_value());
  EXPECT_TRUE(IpAddress::Parse("10.0.0.1").has_value());
}

TEST(CidrTest, ParsesRangesAndRefusesBadOnes) {
  struct Case {
    std::string text;
    std::string canonical;  // "" = must be refused
  };
  const Case cases[] = {
      {"10.0.0.0/8", "10.0.0.0/8"},
      {"0.0.0.0/0", "0.0.0.0/0"},
      {"203.0.113.9/32", "203.0.113.9/32"},
      {"203.0.113.9", "203.0.113.9/32"},  // a bare address is a /32
      {"192.168.1.128/25", "192.168.1.128/25"},
      {"::/0", "::/0"},
      {"2001:db8::/32", "2001:db8::/32"},
      {"2001:db8::1/128", "2001:db8::1/128"},
      {"2001:db8::1", "2001:db8::1/128"},
      {"2001:db8:0:0:8000::/65", "2001:db8:0:0:8000::/65"},
      // IPv4-mapped ranges fold to IPv4: /104 of the mapped space is an IPv4 /8.
      {"::ffff:10.0.0.0/104", "10.0.0.0/8"},
      {"::ffff:10.1.2.3/128", "10.1.2.3/32"},
      // Host bits set: refused (usually a typo for the network).
      {"10.0.0.1/8", ""},
      {"0.0.0.1/0", ""},
      {"192.168.1.1/31", ""},
      {"2001:db8::1/64", ""},
      {"::1/0", ""},
      {"::ffff:10.0.0.0/8", ""},  // mapped prefix shorter than the mapped part
      // Prefix lengths out of range or malformed.
      {"10.0.0.0/33", ""},
      {"2001:db8::/129", ""},
      {"10.0.0.0/", ""},
      {"10.0.0.0/-1", ""},
      {"10.0.0.0/08", ""},
      {"10.0.0.0/8/8", ""},
      {"10.0.0.0/ 8", ""},
      {"10.0.0.0/1000", ""},
      {"10.0.0.0/x", ""},
      {"/8", ""},
      {"", ""},
      {"nonsense/8", ""},
  };
  for (const auto& c : cases) {
    const auto cidr = Cidr::Parse(c.text);
    if (c.canonical.empty()) {
      EXPECT_FALSE(cidr) << c.text;
    } else {
      ASSERT_TRUE(cidr) << c.text;
      EXPECT_EQ(cidr->ToString(), c.canonical) << c.text;
    }
  }
}

TEST(CidrTest, ContainsAtPrefixBoundaries) {
  struct Case {
    std::string range;
    std::string ip;
    bool inside;
  };
  const Case cases[] = {
      {"0.0.0.0/0", "0.0.0.0", true},
      {"0.0.0.0/0", "255.255.255.255", true},
      {"0.0.0.0/0", "::1", false},  // families never mix
      {"::/0", "203.0.113.9", false},
      {"::/0", "2001:db8::1", true},
      {"10.0.0.0/8", "10.255.255.255", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"10.0.0.0/8", "9.255.255.255", false},
      {"192.168.1.128/25", "192.168.1.128", true},
      {"192.168.1.128/25", "192.168.1.255", true},
      {"192.168.1.128/25", "192.168.1.127", false},
      {"203.0.113.9/32", "203.0.113.9", true},
      {"203.0.113.9/32", "203.0.113.8", false},
      {"203.0.113.9/32", "203.0.113.10", false},
      {"10.0.0.0/31", "10.0.0.1", true},
      {"10.0.0.0/31", "10.0.0.2", false},
      {"2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true},
      {"2001:db8::/32", "2001:db9::", false},
      {"2001:db8::/127", "2001:db8::1", true},
      {"2001:db8::/127", "2001:db8::2", false},
      {"2001:db8::1/128", "2001:db8::1", true},
      {"2001:db8::1/128", "2001:db8::", false},
      {"2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true},
      {"2001:db8:0:0:8000::/65", "2001:db8::7fff:ffff:ffff:ffff", false},
      // A mapped client address matches an IPv4 rule and vice versa.
      {"10.0.0.0/8", "::ffff:10.1.2.3", true},
      {"::ffff:10.0.0.0/104", "10.1.2.3", true},
  };
  for (const auto& c : cases) {
    const auto cidr = Cidr::Parse(c.range);
    const auto ip = IpAddress::Parse(c.ip);
    ASSERT_TRUE(cidr && ip) << c.range << " " << c.ip;
    EXPECT_EQ(cidr->Contains(*ip), c.inside) << c.range << " contains " << c.ip;
  }
}

TEST(CidrListTest, ParseNamesTheFirstBadEntryAndMatchesAny) {
  std::string bad;
  EXPECT_FALSE(CidrList::Parse({"10.0.0.0/8", "10.0.0.1/8", "junk"}, &bad));
  EXPECT_EQ(bad, "10.0.0.1/8");
  const auto list = CidrList::Parse({"10.0.0.0/8", "2001:db8::/32"});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->ranges().size(), 2u);
  EXPECT_TRUE(list->Contains(*IpAddress::Parse("10.9.9.9")));
  EXPECT_TRUE(list->Contains(*IpAddress::Parse("2001:db8::5")));
  EXPECT_FALSE(list->Contains(*IpAddress::Parse("192.0.2.1")));
  const auto empty = CidrList::Parse({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(empty->Contains(*IpAddress::Parse("10.0.0.1")));
}

}  // namespace
}  // namespace keyward::core
