// Network addresses: CIDR ranges, the client's address behind trusted
// proxies, and the network key of the per-network meter budget.
//
// What it is. Three small, pure functions of addresses, used by the handler
// before the paywall decides:
//  - CidrSet: a list of IPv4/IPv6 ranges ("66.249.64.0/27", "2001:db8::/32")
//    with contains(); parsed from config strings and from the JSON format in
//    which Google publishes its crawler ranges
//    ({"creationTime": "...", "prefixes": [{"ipv4Prefix": "..."},
//    {"ipv6Prefix": "..."}]}). Addresses are parsed with inet_pton.
//  - client_address(): the connection's peer address, unless the peer is a
//    configured trusted proxy, in which case the right-most X-Forwarded-For
//    entry that is not itself a trusted proxy. Without trusted proxies the
//    header is ignored entirely: a client cannot choose its own address.
//  - network_key(): a keyed hash (crypto_generichash) of the address's /24
//    (IPv4) or /56 (IPv6) prefix and the user-agent family ("chrome",
//    "firefox", "safari", "edge", "other"), so that a budget can be kept per
//    household-sized network without storing addresses.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace masthead::readers {

// An IPv4 (mapped into ::ffff:0:0/96) or IPv6 address as 16 bytes.
struct IpAddress {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
  static std::optional<IpAddress> parse(std::string_view text);  // "1.2.3.4", "::1"
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct Cidr {
  IpAddress base;
  int prefix_length = 0;  // 0..32 for v4, 0..128 for v6
  // "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128. Host
  // bits set below the prefix are an error ("10.0.0.1/8").
  static base::Result<Cidr> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
};

class CidrSet {
 public:
  void add(const Cidr& cidr) { ranges_.push_back(cidr); }
  bool contains(const IpAddress& address) const;
  bool contains(std::string_view address) const;  // false when unparsable
  std::size_t size() const { return ranges_.size(); }

 private:
  std::vector<Cidr> ranges_;
};

// Ranges from the published-crawler JSON format above; every problem named.
base::Result<std::vector<Cidr>> parse_crawler_ranges_json(std::string_view json_text);

// The address the request came from (see above). `x_forwarded_for` is the
// header's value (possibly several comma-separated entries, or empty).
std::string client_address(std::string_view peer_address, std::string_view x_forwarded_for,
                           const CidrSet& trusted_proxies);

// "chrome", "firefox", "safari", "edge" or "other".
std::string_view user_agent_family(std::string_view user_agent);

// The budget key for `address` and `user_agent`: 32 lowercase hex digits of
// a keyed BLAKE2b hash. Unparsable addresses hash as themselves.
std::string network_key(std::string_view address, std::string_view user_agent,
                        const std::array<unsigned char, 32>& secret);

}  // namespace masthead::readers
