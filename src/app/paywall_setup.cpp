// See paywall_setup.h.
#include "app/paywall_setup.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/text.h"

namespace masthead::app {

paywall::MeterPolicy meter_policy(const Config& config) {
  paywall::MeterPolicy policy;
  policy.anonymous_free = static_cast<int>(config.paywall.anonymous_free);
  policy.registered_free = static_cast<int>(config.paywall.registered_free);
  policy.registration_wall = config.paywall.registration_wall;
  if (auto kind = paywall::parse_period_kind(config.paywall.period)) policy.period = *kind;
  policy.time_zone =
      config.paywall.timezone.empty() ? config.site.timezone : config.paywall.timezone;
  policy.lead_in_paragraphs = static_cast<int>(config.paywall.lead_in_paragraphs);
  policy.crawler_full_text = config.paywall.crawler_full_text;
  policy.anonymous_network_free = static_cast<int>(config.paywall.anonymous_network_free);
  auto problems = paywall::validate(policy);
  if (!problems.empty()) throw std::runtime_error(base::join(problems, "; "));
  return policy;
}

readers::CrawlerOptions crawler_options(const Config& config) {
  readers::CrawlerOptions options;
  options.dns = config.crawlers.dns;
  for (const std::string& text : config.crawlers.ranges) {
    auto cidr = readers::Cidr::parse(text);
    if (!cidr) throw std::runtime_error("crawlers.ranges: " + cidr.error().message);
    options.ranges.add(cidr.value());
  }
  for (const std::string& path : config.crawlers.ranges_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("crawlers.ranges_files: cannot read " + path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto ranges = readers::parse_crawler_ranges_json(bytes.str());
    if (!ranges) throw std::runtime_error(path + ": " + ranges.error().message);
    for (const auto& cidr : ranges.value()) options.ranges.add(cidr);
  }
  return options;
}

int ensure_keys(store::sqlite::SqliteSecrets& secrets, base::TimePoint now) {
  int made = 0;
  for (const char* purpose : {kReaderCookieKeys, kNetworkHashKeys}) {
    if (!secrets.keys(purpose, now).empty()) continue;
    readers::KeyBytes key = readers::generate_key();
    secrets.rotate(purpose, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()),
                   now, std::chrono::seconds(0));
    ++made;
  }
  return made;
}

namespace {

readers::SigningKey to_signing_key(const store::sqlite::StoredKey& stored) {
  if (stored.bytes.size() != readers::kKeyBytes)
    throw std::runtime_error("secrets: key " + std::to_string(stored.id) + " has " +
                             std::to_string(stored.bytes.size()) + " bytes, expected 32");
  readers::SigningKey key;
  key.id = stored.id;
  std::copy(stored.bytes.begin(), stored.bytes.end(), key.bytes.begin());
  key.retire_at = stored.retire_at;
  return key;
}

}  // namespace

KeyKeeper::KeyKeeper(store::sqlite::SqliteSecrets& secrets, const Config& config,
                     const base::Clock& clock)
    : secrets_(secrets), clock_(clock) {
  ensure_keys(secrets_, clock_.now());
  auto network = secrets_.keys(kNetworkHashKeys, clock_.now());
  network_secret_ = to_signing_key(network.back()).bytes;
  if (!config.paywall.cookie_secret.empty()) {
    auto key = decode_secret(config.paywall.cookie_secret);
    if (!key) throw std::runtime_error("paywall.cookie_secret: expected 32 bytes in base64");
    configured_ = true;
    ring_ = std::make_shared<const readers::KeyRing>(
        std::vector<readers::SigningKey>{{.id = 1, .bytes = *key, .retire_at = std::nullopt}});
  } else {
    reload();
  }
}

std::shared_ptr<const readers::KeyRing> KeyKeeper::current() const {
  std::lock_guard lock(mutex_);
  return ring_;
}

void KeyKeeper::reload() {
  if (configured_) return;
  std::vector<readers::SigningKey> keys;
  for (const auto& stored : secrets_.keys(kReaderCookieKeys, clock_.now()))
    keys.push_back(to_signing_key(stored));
  if (keys.empty()) return;  // keep the ring we have rather than sign with nothing
  auto ring = std::make_shared<const readers::KeyRing>(std::move(keys));
  std::lock_guard lock(mutex_);
  ring_ = std::move(ring);
}

}  // namespace masthead::app
