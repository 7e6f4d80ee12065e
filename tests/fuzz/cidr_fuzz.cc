// Fuzzes core::IpAddress::Parse, core::Cidr::Parse and core::CidrList::Parse (key IP
// lists, trusted_proxies, /v1/verify's "ip").
//
// Input: entries separated by '\n' (at most 16 are used).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "keyward/core/cidr.h"

namespace {

using keyward::core::Cidr;
using keyward::core::CidrList;
using keyward::core::IpAddress;

void CheckAddress(std::string_view text) {
  auto ip = IpAddress::Parse(text);
  if (!ip) return;
  // Only address characters were read: nothing (a NUL, say) was silently cut off.
  for (char ch : text) {
    FUZZ_CHECK((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
               (ch >= 'A' && ch <= 'F') || ch == '.' || ch == ':');
  }
  // The printed form is canonical: it parses back to the same address and prints
  // the same again.
  const std::string printed = ip->ToString();
  auto again = IpAddress::Parse(printed);
  FUZZ_CHECK(again.has_value() && *again == *ip);
  FUZZ_CHECK(again->ToString() == printed);
  if (ip->v4) {
    for (std::size_t i = 4; i < ip->bytes.size(); ++i) FUZZ_CHECK(ip->bytes[i] == 0);
  }
}

void CheckRange(std::string_view text, const std::vector<IpAddress>& others) {
  auto c = Cidr::Parse(text);
  const auto bare = IpAddress::Parse(text);
  if (text.find('/') == std::string_view::npos) {
    // A bare address is a host range exactly when it is an address.
    FUZZ_CHECK(c.has_value() == bare.has_value());
  }
  if (!c) return;
  FUZZ_CHECK(c->prefix_len >= 0 && c->prefix_len <= (c->base.v4 ? 32 : 128));
  FUZZ_CHECK(c->Contains(c->base));
  if (bare) FUZZ_CHECK(c->prefix_len == (c->base.v4 ? 32 : 128) && c->base == *bare);
  auto again = Cidr::Parse(c->ToString());
  FUZZ_CHECK(again.has_value() && again->base == c->base &&
             again->prefix_len == c->prefix_len);
  for (const IpAddress& ip : others) {
    if (ip.v4 != c->base.v4) FUZZ_CHECK(!c->Contains(ip));
    // A /0 holds its whole family; a full-length range holds only its base.
    if (c->prefix_len == 0 && ip.v4 == c->base.v4) FUZZ_CHECK(c->Contains(ip));
    if (c->prefix_len == (c->base.v4 ? 32 : 128)) {
      FUZZ_CHECK(c->Contains(ip) == (ip == c->base));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> entries;
  while (entries.size() < 16) {
    const std::size_t at = input.find('\n');
    entries.emplace_back(input.substr(0, at));
    if (at == std::string_view::npos) break;
    input.remove_prefix(at + 1);
  }

  std::vector<IpAddress> addresses;
  for (const auto& e : entries) {
    CheckAddress(e);
    // The address part of a range, so ranges are also tested against real members.
    if (auto ip = IpAddress::Parse(std::string_view(e).substr(0, e.find('/')))) {
      addresses.push_back(*ip);
    }
  }
  for (const auto& e : entries) CheckRange(e, addresses);

  std::string bad = "(unset)";
  auto list = CidrList::Parse(entries, &bad);
  std::size_t first_bad = entries.size();
  for (std::size_t i = 0; i < entries.size() && first_bad == entries.size(); ++i) {
    if (!Cidr::Parse(entries[i])) first_bad = i;
  }
  FUZZ_CHECK(list.has_value() == (first_bad == entries.size()));
  if (!list) {
    FUZZ_CHECK(bad == entries[first_bad]);
    return 0;
  }
  FUZZ_CHECK(list->ranges().size() == entries.size());
  for (const IpAddress& ip : addresses) {
    bool any = false;
    for (const Cidr& r : list->ranges()) any = any || r.Contains(ip);
    FUZZ_CHECK(list->Contains(ip) == any);
  }
  return 0;
}
