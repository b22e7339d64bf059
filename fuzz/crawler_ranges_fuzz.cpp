// Fuzz target: address ranges (readers::parse_crawler_ranges_json,
// Cidr::parse, client_address in src/readers/network.h).
//
// The crawler-range JSON is downloaded from a search engine and the range
// strings come from configuration; X-Forwarded-For comes from the network.
// None of them may crash the parser. The properties checked: every accepted
// range has a prefix length within its family's bounds, no host bits (it
// contains its own base address, and a range parsed from the JSON is one of
// the ranges Cidr::parse accepts), and client_address() behind a trusted
// proxy returns either the peer or an X-Forwarded-For entry that parses as an
// address. The whole input is tried as JSON, as one range, and as a header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "readers/network.h"

namespace {

namespace readers = masthead::readers;

void check_range(const readers::Cidr& cidr) {
  FUZZ_CHECK(cidr.prefix_length >= 0 && cidr.prefix_length <= (cidr.base.v4 ? 32 : 128),
             "prefix length within the family's bounds");
  FUZZ_CHECK(cidr.contains(cidr.base), "a range contains its base address");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto ranges = readers::parse_crawler_ranges_json(text);
  if (ranges) {
    FUZZ_CHECK(!ranges.value().empty(), "an accepted file has at least one range");
    for (const readers::Cidr& cidr : ranges.value()) check_range(cidr);
  } else {
    FUZZ_CHECK(!ranges.error().message.empty(), "errors say what is wrong");
  }

  const auto cidr = readers::Cidr::parse(text);
  if (cidr) {
    check_range(cidr.value());
    FUZZ_CHECK(readers::IpAddress::parse(text.substr(0, text.find('/'))).has_value(),
               "an accepted range starts with an address");
  } else {
    FUZZ_CHECK(!cidr.error().message.empty(), "errors say what is wrong");
  }

  static const readers::CidrSet trusted = [] {
    readers::CidrSet set;
    set.add(readers::Cidr::parse("10.0.0.0/8").value());
    set.add(readers::Cidr::parse("2001:db8::/32").value());
    return set;
  }();
  const std::string peer = "10.0.0.1";
  const std::string client = readers::client_address(peer, text, trusted);
  if (client != peer) {
    FUZZ_CHECK(readers::IpAddress::parse(client).has_value(), "the client address parses");
    FUZZ_CHECK(text.find(client) != std::string_view::npos, "it is an entry of the header");
  }
  return 0;
}
