// Paywall setup: the paywall's parts built from the configuration and the
// database, for `serve` and the `keys` command.
//
// What it is. The glue between Config and the modules that know nothing of
// it: the MeterPolicy (validated, with the site's time zone when the
// paywall names none), the crawler verifier's ranges (inline CIDRs and
// Google-format JSON files), and the signing keys. Keys live in the
// database's `secrets` table unless `paywall.cookie_secret` is set:
//  - "reader_cookie": the KeyRing that signs anonymous readers' cookies;
//    `masthead keys rotate` adds a new current key and keeps the old one
//    verifying for a grace period, so no reader loses their meter;
//  - "network_hash": the secret of the per-network budget's keyed hash.
// `init` creates both; `serve` creates any that is missing (a database made
// before the paywall) and reloads the ring every minute, so a rotation by
// the CLI reaches a running server without a restart.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "app/config.h"
#include "base/clock.h"
#include "paywall/meter_policy.h"
#include "readers/crawler_verifier.h"
#include "readers/reader_token.h"
#include "store/sqlite/sqlite_secrets.h"

namespace masthead::app {

inline constexpr const char* kReaderCookieKeys = "reader_cookie";
inline constexpr const char* kNetworkHashKeys = "network_hash";

// The policy of config's [paywall]; throws std::runtime_error listing every
// problem.
paywall::MeterPolicy meter_policy(const Config& config);

// The crawler ranges and DNS switch of config's [crawlers]; throws
// std::runtime_error naming a file that cannot be read or parsed.
readers::CrawlerOptions crawler_options(const Config& config);

// Creates the keys a database lacks (see above); returns how many it made.
int ensure_keys(store::sqlite::SqliteSecrets& secrets, base::TimePoint now);

// The reader-cookie KeyRing in force, reloadable from the database.
class KeyKeeper {
 public:
  // With a configured secret the ring is that key alone and never reloads.
  KeyKeeper(store::sqlite::SqliteSecrets& secrets, const Config& config, const base::Clock& clock);

  std::shared_ptr<const readers::KeyRing> current() const;
  // Re-reads the database's keys (no-op with a configured secret).
  void reload();
  // The network-hash secret (loaded once).
  const std::array<unsigned char, 32>& network_secret() const { return network_secret_; }

 private:
  store::sqlite::SqliteSecrets& secrets_;
  const base::Clock& clock_;
  bool configured_ = false;
  mutable std::mutex mutex_;
  std::shared_ptr<const readers::KeyRing> ring_;
  std::array<unsigned char, 32> network_secret_{};
};

}  // namespace masthead::app
