// See network.h.
//
// One address space. Every address is 16 bytes; IPv4 lives in the mapped
// range ::ffff:0:0/96, and an IPv6 address written in that range
// ("::ffff:66.249.66.1", what a dual-stack socket reports for an IPv4 peer)
// is the same IPv4 address, v4 set. A range is then a bit prefix of the 16
// bytes: 96 + prefix_length bits for IPv4, prefix_length bits for IPv6. So an
// IPv4 range matches an IPv4 address however it was written, and "::/0"
// really is every address. A range written in the mapped form with a prefix
// of at least 96 is the IPv4 range it denotes ("::ffff:10.0.0.0/104" is
// "10.0.0.0/8").
#include "readers/network.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <stdexcept>

#include "base/text.h"

namespace masthead::readers {
namespace {

constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// Bits of the 16 bytes a range of `cidr` compares.
int significant_bits(const Cidr& cidr) {
  return cidr.base.v4 ? 96 + cidr.prefix_length : cidr.prefix_length;
}

bool same_prefix(const IpAddress& a, const IpAddress& b, int bits) {
  const int whole = bits / 8;
  if (!std::equal(a.bytes.begin(), a.bytes.begin() + whole, b.bytes.begin())) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a.bytes[whole] & mask) == (b.bytes[whole] & mask);
}

IpAddress masked(IpAddress address, int bits) {
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(bits - 8 * i, 0, 8);
    address.bytes[i] &= static_cast<unsigned char>(0xff00 >> keep);
  }
  return address;
}

std::string to_text(const IpAddress& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address.v4) {
    inet_ntop(AF_INET, address.bytes.data() + 12, buffer, sizeof buffer);
  } else {
    inet_ntop(AF_INET6, address.bytes.data(), buffer, sizeof buffer);
  }
  return buffer;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, 64)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (text.size() > 64) out += "...";
  return out + "\"";
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (base::iequals_ascii(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

void ensure_sodium() {
  static const int status = sodium_init();  // thread-safe: a function-local static
  if (status < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // inet_pton wants a NUL-terminated string; the longest IPv6 text is 45 bytes.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string terminated(text);
  IpAddress address;
  if (inet_pton(AF_INET, terminated.c_str(), address.bytes.data() + 12) == 1) {
    std::copy(std::begin(kMappedPrefix), std::end(kMappedPrefix), address.bytes.begin());
    address.v4 = true;
    return address;
  }
  if (inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) == 1) {
    address.v4 =
        std::equal(std::begin(kMappedPrefix), std::end(kMappedPrefix), address.bytes.begin());
    return address;
  }
  return std::nullopt;
}

base::Result<Cidr> Cidr::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  const auto address = IpAddress::parse(address_text);
  if (!address) {
    return base::Error{"not a CIDR range: " + quoted(text) + " (" + quoted(address_text) +
                       " is not an IPv4 or IPv6 address)"};
  }
  const bool written_v4 = address_text.find(':') == std::string_view::npos;
  const int max_length = written_v4 ? 32 : 128;
  int length = max_length;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    int value = -1;
    const bool canonical =
        !digits.empty() && digits.size() <= 3 && (digits.size() == 1 || digits.front() != '0') &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (canonical) std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (!canonical || value < 0 || value > max_length) {
      return base::Error{"not a CIDR range: " + quoted(text) + " (the prefix length must be 0 to " +
                         std::to_string(max_length) + ")"};
    }
    length = value;
  }

  Cidr cidr;
  cidr.base = *address;
  // A mapped address written as IPv6 is IPv4: its prefix counts from bit 96.
  // Below /96 the 0xffff marker itself lies in the host bits, reported below.
  if (!written_v4 && address->v4) {
    if (length >= 96) {
      length -= 96;
    } else {
      cidr.base.v4 = false;
    }
  }
  cidr.prefix_length = length;
  const IpAddress network = masked(cidr.base, significant_bits(cidr));
  if (network != cidr.base) {
    return base::Error{"not a CIDR range: " + quoted(text) + " has host bits set (did you mean " +
                       to_text(network) + "/" + std::to_string(cidr.prefix_length) + "?)"};
  }
  return cidr;
}

bool Cidr::contains(const IpAddress& address) const {
  return same_prefix(base, address, significant_bits(*this));
}

bool CidrSet::contains(const IpAddress& address) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const Cidr& cidr) { return cidr.contains(address); });
}

bool CidrSet::contains(std::string_view address) const {
  const auto parsed = IpAddress::parse(address);
  return parsed && contains(*parsed);
}

base::Result<std::vector<Cidr>> parse_crawler_ranges_json(std::string_view json_text) {
  boost::system::error_code ec;
  const boost::json::value root = boost::json::parse(json_text, ec);
  if (ec) return base::Error{"crawler ranges: not JSON: " + ec.message()};
  const boost::json::object* object = root.if_object();
  if (object == nullptr) return base::Error{"crawler ranges: the top level is not an object"};
  const boost::json::value* prefixes_value = object->if_contains("prefixes");
  if (prefixes_value == nullptr) return base::Error{"crawler ranges: no \"prefixes\" array"};
  const boost::json::array* prefixes = prefixes_value->if_array();
  if (prefixes == nullptr) return base::Error{"crawler ranges: \"prefixes\" is not an array"};
  if (prefixes->empty()) return base::Error{"crawler ranges: \"prefixes\" is empty"};

  std::vector<Cidr> ranges;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < prefixes->size(); ++i) {
    const std::string where = "prefixes[" + std::to_string(i) + "]";
    const boost::json::object* entry = (*prefixes)[i].if_object();
    if (entry == nullptr) {
      problems.push_back(where + " is not an object");
      continue;
    }
    const boost::json::value* v4 = entry->if_contains("ipv4Prefix");
    const boost::json::value* v6 = entry->if_contains("ipv6Prefix");
    if ((v4 == nullptr) == (v6 == nullptr)) {
      problems.push_back(where + " needs exactly one of \"ipv4Prefix\" and \"ipv6Prefix\"");
      continue;
    }
    const char* key = v4 ? "ipv4Prefix" : "ipv6Prefix";
    const boost::json::string* text = (v4 ? v4 : v6)->if_string();
    if (text == nullptr) {
      problems.push_back(where + "." + key + " is not a string");
      continue;
    }
    const std::string_view range_text(text->data(), text->size());
    const std::string_view address_part = range_text.substr(0, range_text.find('/'));
    const bool written_v4 = address_part.find(':') == std::string_view::npos;
    if (written_v4 != (v4 != nullptr)) {
      problems.push_back(where + "." + key + " " + quoted(range_text) + " is not an " +
                         (v4 ? "IPv4" : "IPv6") + " range");
      continue;
    }
    auto cidr = Cidr::parse(range_text);
    if (!cidr) {
      problems.push_back(where + "." + key + ": " + cidr.error().message);
      continue;
    }
    ranges.push_back(cidr.value());
  }
  if (!problems.empty()) {
    return base::Error{"crawler ranges: " + base::join(problems, "; ")};
  }
  return ranges;
}

std::string client_address(std::string_view peer_address, std::string_view x_forwarded_for,
                           const CidrSet& trusted_proxies) {
  if (trusted_proxies.size() == 0 || !trusted_proxies.contains(peer_address)) {
    return std::string(peer_address);
  }
  const std::vector<std::string_view> entries = base::split(x_forwarded_for, ',');
  std::optional<std::string_view> leftmost_trusted;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const std::string_view entry = base::trim(*it);
    const auto address = IpAddress::parse(entry);
    if (!address) continue;  // garbage or an obfuscated name: skipped
    if (!trusted_proxies.contains(*address)) return std::string(entry);
    leftmost_trusted = entry;
  }
  return std::string(leftmost_trusted.value_or(peer_address));
}

std::string_view user_agent_family(std::string_view user_agent) {
  // Order matters: Edge's string also names Chrome and Safari, Chrome's
  // names Safari, and Firefox on iOS names Safari.
  for (std::string_view token : {"Edg/", "Edge/", "EdgA/", "EdgiOS/"}) {
    if (contains_ci(user_agent, token)) return "edge";
  }
  for (std::string_view token : {"Firefox/", "FxiOS/"}) {
    if (contains_ci(user_agent, token)) return "firefox";
  }
  for (std::string_view token : {"Chrome/", "Chromium/", "CriOS/"}) {
    if (contains_ci(user_agent, token)) return "chrome";
  }
  if (contains_ci(user_agent, "Safari/")) return "safari";
  return "other";
}

std::string network_key(std::string_view address, std::string_view user_agent,
                        const std::array<unsigned char, 32>& secret) {
  ensure_sodium();
  // A one-byte kind first, so that no unparsable text can hash like a prefix.
  std::string input;
  const auto parsed = IpAddress::parse(address);
  if (parsed && parsed->v4) {
    input = "4";
    input.append(reinterpret_cast<const char*>(parsed->bytes.data()) + 12, 3);  // the /24
  } else if (parsed) {
    input = "6";
    input.append(reinterpret_cast<const char*>(parsed->bytes.data()), 7);  // the /56
  } else {
    input = "?";
    input.append(address);
  }
  input += '\0';  // the separator: family names hold no NUL
  input.append(user_agent_family(user_agent));

  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), secret.data(), secret.size());
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return std::string(hex, 2 * sizeof hash);
}

}  // namespace masthead::readers
