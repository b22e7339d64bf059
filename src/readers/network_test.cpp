// Addresses and ranges as tables: IpAddress and Cidr parsing (good and bad,
// including /0, /32, /128, host bits and IPv4 written inside IPv6), range
// boundaries, Google's crawler-range JSON, the trusted-proxy rule of
// client_address(), user-agent families and network keys.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "readers/network.h"

namespace masthead::readers {
namespace {

IpAddress ip(std::string_view text) {
  const auto parsed = IpAddress::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(IpAddress{});
}

CidrSet set_of(std::initializer_list<const char*> ranges) {
  CidrSet set;
  for (const char* text : ranges) {
    auto cidr = Cidr::parse(text);
    EXPECT_TRUE(cidr.has_value()) << text;
    if (cidr) set.add(cidr.value());
  }
  return set;
}

TEST(IpAddress, ParsesIPv4AsMappedIPv6) {
  const IpAddress a = ip("66.249.66.1");
  EXPECT_TRUE(a.v4);
  const std::array<unsigned char, 16> mapped = {0, 0, 0,    0,    0,  0,   0,  0,
                                                0, 0, 0xff, 0xff, 66, 249, 66, 1};
  EXPECT_EQ(a.bytes, mapped);
  EXPECT_EQ(ip("::ffff:66.249.66.1"), a) << "a mapped address is the IPv4 address";
  EXPECT_EQ(ip("::FFFF:42f9:4201"), a);

  const IpAddress b = ip("2001:db8::1");
  EXPECT_FALSE(b.v4);
  EXPECT_EQ(b.bytes[0], 0x20);
  EXPECT_EQ(b.bytes[1], 0x01);
  EXPECT_EQ(b.bytes[15], 0x01);
  EXPECT_EQ(ip("2001:0db8:0:0:0:0:0:1"), b);
  EXPECT_NE(ip("::66.249.66.1"), a) << "IPv4-compatible is not IPv4-mapped";
  EXPECT_FALSE(ip("::1").v4);
}

TEST(IpAddress, RejectsWhatInetPtonRejects) {
  const std::string bad[] = {"",
                             "1.2.3",
                             "1.2.3.4.5",
                             "256.1.1.1",
                             " 1.2.3.4",
                             "1.2.3.4 ",
                             "1.2.3.4:80",
                             "[::1]",
                             "fe80::1%eth0",
                             "::1::",
                             "2001:db8:::1",
                             "example.com",
                             std::string("1.2.3.4\0", 8),
                             std::string(100, '1')};
  for (const std::string& text : bad) EXPECT_FALSE(IpAddress::parse(text).has_value()) << text;
}

TEST(Cidr, ParsesRangesAndTheirBoundaries) {
  struct Case {
    const char* text;
    bool v4;
    int prefix_length;
    std::vector<const char*> inside;
    std::vector<const char*> outside;
  } cases[] = {
      {"10.0.0.0/8",
       true,
       8,
       {"10.0.0.0", "10.255.255.255", "::ffff:10.1.2.3"},
       {"9.255.255.255", "11.0.0.0", "::a00:1", "::ffff:b00:0"}},
      {"66.249.64.0/27",
       true,
       27,
       {"66.249.64.0", "66.249.64.31"},
       {"66.249.64.32", "66.249.63.255"}},
      {"0.0.0.0/0",
       true,
       0,
       {"0.0.0.0", "255.255.255.255", "66.249.66.1"},
       {"2001:db8::1", "::", "::1"}},
      {"1.2.3.4/32", true, 32, {"1.2.3.4"}, {"1.2.3.5", "1.2.3.3"}},
      {"1.2.3.4", true, 32, {"1.2.3.4"}, {"1.2.3.5"}},
      {"2001:db8::/32",
       false,
       32,
       {"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"2001:db9::", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "32.1.13.184"}},
      {"2001:4860:4801:10::/64",
       false,
       64,
       {"2001:4860:4801:10::1", "2001:4860:4801:10:ffff::"},
       {"2001:4860:4801:11::", "2001:4860:4801:f::ffff"}},
      {"2001:db8::1/128", false, 128, {"2001:db8::1"}, {"2001:db8::", "2001:db8::2"}},
      {"2001:db8::1", false, 128, {"2001:db8::1"}, {"2001:db8::2"}},
      // ::/0 is the whole 128-bit space, IPv4 (mapped) included.
      {"::/0",
       false,
       0,
       {"::", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1.2.3.4"},
       {}},
      // IPv4 written inside IPv6: the IPv4 range it denotes.
      {"::ffff:10.0.0.0/104", true, 8, {"10.1.2.3", "::ffff:10.255.0.1"}, {"11.0.0.0"}},
      {"::ffff:0:0/96", true, 0, {"1.2.3.4", "255.255.255.255"}, {"::1", "2001:db8::"}},
      {"::ffff:1.2.3.4", true, 32, {"1.2.3.4"}, {"1.2.3.5"}},
      {"9.0.0.0/9", true, 9, {"9.127.255.255"}, {"9.128.0.0"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto cidr = Cidr::parse(c.text);
    ASSERT_TRUE(cidr.has_value()) << cidr.error().message;
    EXPECT_EQ(cidr->base.v4, c.v4);
    EXPECT_EQ(cidr->prefix_length, c.prefix_length);
    EXPECT_TRUE(cidr->contains(cidr->base));
    for (const char* a : c.inside) EXPECT_TRUE(cidr->contains(ip(a))) << a;
    for (const char* a : c.outside) EXPECT_FALSE(cidr->contains(ip(a))) << a;
  }
}

TEST(Cidr, RejectsBadRangesWithAClearMessage) {
  struct Case {
    std::string text;
    const char* message_part;
  } cases[] = {
      {"10.0.0.1/8", "host bits set (did you mean 10.0.0.0/8?)"},
      {"0.0.0.1/0", "host bits"},
      {"66.249.64.1/27", "did you mean 66.249.64.0/27"},
      {"2001:db8::1/32", "did you mean 2001:db8::/32"},
      {"::1/0", "host bits"},
      {"::ffff:10.0.0.0/8", "host bits"},
      {"10.0.0.0/33", "0 to 32"},
      {"::/129", "0 to 128"},
      {"10.0.0.0/", "prefix length"},
      {"10.0.0.0/-1", "prefix length"},
      {"10.0.0.0/+8", "prefix length"},
      {"10.0.0.0/08", "prefix length"},
      {"10.0.0.0/ 8", "prefix length"},
      {"10.0.0.0/8 ", "prefix length"},
      {"10.0.0.0/8/8", "prefix length"},
      {"10.0.0.0/1x", "prefix length"},
      {"10.0.0.0/4294967304", "prefix length"},
      {"foo/8", "\"foo\" is not an IPv4 or IPv6 address"},
      {"/8", "not an IPv4 or IPv6 address"},
      {"", "not an IPv4 or IPv6 address"},
      {"10.0.0/8", "not an IPv4 or IPv6 address"},
      {" 10.0.0.0/8", "not an IPv4 or IPv6 address"},
      {std::string("10.0.0.0\0/8", 11), "not an IPv4 or IPv6 address"},
  };
  for (const Case& c : cases) {
    const auto cidr = Cidr::parse(c.text);
    ASSERT_FALSE(cidr.has_value()) << c.text;
    EXPECT_NE(cidr.error().message.find(c.message_part), std::string::npos)
        << c.text << " -> " << cidr.error().message;
  }
}

TEST(CidrSet, ContainsAnyRangeAndRejectsUnparsable) {
  const CidrSet set = set_of({"10.0.0.0/8", "2001:db8::/32"});
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains("10.9.8.7"));
  EXPECT_TRUE(set.contains("2001:db8::7"));
  EXPECT_TRUE(set.contains(ip("::ffff:10.0.0.1")));
  EXPECT_FALSE(set.contains("192.168.0.1"));
  EXPECT_FALSE(set.contains("not an address"));
  EXPECT_FALSE(set.contains(""));
  EXPECT_FALSE(CidrSet().contains("10.0.0.1"));
}

TEST(CrawlerRangesJson, ParsesGooglesFormat) {
  const auto ranges = parse_crawler_ranges_json(R"({
    "creationTime": "2026-11-18T15:46:03.000000",
    "prefixes": [
      {"ipv6Prefix": "2001:4860:4801:10::/64"},
      {"ipv4Prefix": "66.249.64.0/27"},
      {"ipv4Prefix": "66.249.66.0/27"}
    ]
  })");
  ASSERT_TRUE(ranges.has_value()) << ranges.error().message;
  ASSERT_EQ(ranges->size(), 3u);
  EXPECT_FALSE(ranges.value()[0].base.v4);
  EXPECT_EQ(ranges.value()[0].prefix_length, 64);
  EXPECT_TRUE(ranges.value()[1].base.v4);
  EXPECT_EQ(ranges.value()[2].prefix_length, 27);
  CidrSet set;
  for (const Cidr& c : ranges.value()) set.add(c);
  EXPECT_TRUE(set.contains("66.249.66.1"));
  EXPECT_TRUE(set.contains("2001:4860:4801:10::42"));
  EXPECT_FALSE(set.contains("66.249.65.1"));

  const auto minimal = parse_crawler_ranges_json(R"({"prefixes":[{"ipv4Prefix":"1.2.3.0/24"}]})");
  ASSERT_TRUE(minimal.has_value()) << minimal.error().message;
  EXPECT_EQ(minimal->size(), 1u);
}

TEST(CrawlerRangesJson, NamesEveryProblem) {
  struct Case {
    const char* json;
    std::vector<const char*> message_parts;
  } cases[] = {
      {"", {"not JSON"}},
      {"{\"prefixes\": [", {"not JSON"}},
      {"[1, 2]", {"top level is not an object"}},
      {"{}", {"no \"prefixes\""}},
      {R"({"prefixes": {"ipv4Prefix": "1.2.3.0/24"}})", {"not an array"}},
      {R"({"prefixes": []})", {"empty"}},
      {R"({"prefixes": [
          {"ipv4Prefix": "66.249.64.0/27"},
          {"ipv4Prefix": "66.249.64.1/27"},
          {"ipv6Prefix": "66.249.64.0/27"},
          {"ipv4Prefix": "2001:db8::/32"},
          {},
          5,
          {"ipv4Prefix": 5},
          {"ipv4Prefix": "1.2.3.0/24", "ipv6Prefix": "2001:db8::/32"},
          {"ipv6Prefix": "2001:db8::/129"}
        ]})",
       {"prefixes[1].ipv4Prefix", "host bits",
        "prefixes[2].ipv6Prefix \"66.249.64.0/27\" is not an IPv6",
        "prefixes[3].ipv4Prefix \"2001:db8::/32\" is not an IPv4", "prefixes[4] needs exactly one",
        "prefixes[5] is not an object", "prefixes[6].ipv4Prefix is not a string",
        "prefixes[7] needs exactly one", "prefixes[8].ipv6Prefix", "0 to 128"}},
  };
  for (const Case& c : cases) {
    const auto ranges = parse_crawler_ranges_json(c.json);
    ASSERT_FALSE(ranges.has_value()) << c.json;
    for (const char* part : c.message_parts) {
      EXPECT_NE(ranges.error().message.find(part), std::string::npos)
          << part << " missing from: " << ranges.error().message;
    }
    EXPECT_EQ(ranges.error().message.find("prefixes[0]"), std::string::npos)
        << "the good entry is not named: " << ranges.error().message;
  }
}

TEST(ClientAddress, FollowsTrustedProxiesOnly) {
  const CidrSet none;
  const CidrSet proxies = set_of({"10.0.0.0/8", "2001:db8::/32"});
  struct Case {
    const char* name;
    const CidrSet& trusted;
    const char* peer;
    const char* xff;
    const char* expected;
  } cases[] = {
      {"no trusted proxies: the header is ignored", none, "203.0.113.9", "1.1.1.1", "203.0.113.9"},
      {"untrusted peer: the header is ignored", proxies, "203.0.113.9", "1.1.1.1", "203.0.113.9"},
      {"trusted peer, one entry", proxies, "10.0.0.1", "198.51.100.7", "198.51.100.7"},
      {"trusted peer: right-most untrusted", proxies, "10.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.2",
       "198.51.100.7"},
      {"a client cannot choose by prepending", proxies, "10.0.0.1", "8.8.8.8,198.51.100.7",
       "198.51.100.7"},
      {"every entry trusted: the left-most", proxies, "10.0.0.1", "10.0.0.9, 2001:db8::5, 10.0.0.3",
       "10.0.0.9"},
      {"garbage entries skipped", proxies, "10.0.0.1", "198.51.100.7, unknown, _hidden, 10.0.0.2, ",
       "198.51.100.7"},
      {"only garbage: the peer", proxies, "10.0.0.1", "unknown, ,", "10.0.0.1"},
      {"empty header: the peer", proxies, "10.0.0.1", "", "10.0.0.1"},
      {"IPv6 peer and entries", proxies, "2001:db8::1", "2001:db8::2, 2a00:1450::1, 2001:db8::3",
       "2a00:1450::1"},
      {"mapped peer is trusted as IPv4", proxies, "::ffff:10.0.0.1", "198.51.100.7",
       "198.51.100.7"},
      {"entries with ports are not addresses", proxies, "10.0.0.1", "198.51.100.7, 1.2.3.4:80",
       "198.51.100.7"},
      {"unparsable peer", proxies, "garbage", "198.51.100.7", "garbage"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(client_address(c.peer, c.xff, c.trusted), c.expected) << c.name;
  }
}

TEST(UserAgentFamily, NamesTheBrowser) {
  struct Case {
    const char* ua;
    const char* family;
  } cases[] = {
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0.0.0 Safari/537.36",
       "chrome"},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
       "edge"},
      {"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "firefox"},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15",
       "firefox"},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
       "chrome"},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.2 Safari/605.1.15",
       "safari"},
      {"curl/8.5.0", "other"},
      {"", "other"},
      {"Googlebot/2.1 (+http://www.google.com/bot.html)", "other"},
  };
  for (const Case& c : cases) EXPECT_EQ(user_agent_family(c.ua), c.family) << c.ua;
}

TEST(NetworkKey, KeysHouseholdSizedNetworksAndFamilies) {
  std::array<unsigned char, 32> secret{};
  for (std::size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<unsigned char>(i);
  std::array<unsigned char, 32> other_secret = secret;
  other_secret[0] ^= 1;
  const char* chrome = "Mozilla/5.0 AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
  const char* chrome2 = "Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/119.0 Safari/537.36";
  const char* firefox = "Mozilla/5.0 Gecko/20100101 Firefox/121.0";

  const std::string key = network_key("203.0.113.9", chrome, secret);
  ASSERT_EQ(key.size(), 32u);
  for (char c : key) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << key;

  struct Case {
    const char* name;
    std::string a;
    std::string b;
    bool equal;
  } cases[] = {
      {"same /24, same family", key, network_key("203.0.113.250", chrome2, secret), true},
      {"mapped form of the same /24", key, network_key("::ffff:203.0.113.1", chrome, secret), true},
      {"different /24", key, network_key("203.0.114.9", chrome, secret), false},
      {"different first octet", key, network_key("204.0.113.9", chrome, secret), false},
      {"different family", key, network_key("203.0.113.9", firefox, secret), false},
      {"different secret", key, network_key("203.0.113.9", chrome, other_secret), false},
      {"v6 same /56", network_key("2001:db8:aa:bb00::1", chrome, secret),
       network_key("2001:db8:aa:bbff:ffff::9", chrome, secret), true},
      {"v6 different /56", network_key("2001:db8:aa:bb00::1", chrome, secret),
       network_key("2001:db8:aa:bc00::1", chrome, secret), false},
      {"v6 different family", network_key("2001:db8:aa:bb00::1", chrome, secret),
       network_key("2001:db8:aa:bb00::1", firefox, secret), false},
      {"garbage hashes as itself", network_key("garbage", chrome, secret),
       network_key("garbage", chrome, secret), true},
      {"different garbage", network_key("garbage", chrome, secret),
       network_key("garbage2", chrome, secret), false},
  };
  for (const Case& c : cases) EXPECT_EQ(c.a == c.b, c.equal) << c.name << ": " << c.a << " " << c.b;
}

}  // namespace
}  // namespace masthead::readers
