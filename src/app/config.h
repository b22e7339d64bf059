// Config: everything an operator can set, from a TOML file and the environment.
//
// Every key has a default, may be set in the file, and may be overridden by
// an environment variable named MASTHEAD_<TABLE>_<KEY> (MASTHEAD_SERVER_PORT,
// MASTHEAD_SITE_NAME). Mistakes are reported, never ignored: an unknown table
// or key, a value of the wrong type or out of range, or a MASTHEAD_ variable
// naming no key fails loading with a message that names the key and the file
// line. The table of keys below (config.cpp) is the single source of truth;
// config/masthead.example.toml documents it for operators.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace masthead::app {

struct Config {
  struct Site {
    std::string name = "Masthead";
    std::string base_url = "http://localhost:8080";
    std::string description = "News, analysis and opinion.";
    std::string locale = "en-US";
    std::string timezone = "UTC";
    std::int64_t page_size = 10;
    // Locales readers may get by Accept-Language, besides `locale` (the
    // default). Empty: `locale` only.
    std::vector<std::string> locales;
  } site;
  struct Server {
    std::string bind = "127.0.0.1";
    std::int64_t port = 8080;
    std::int64_t threads = 0;
    std::int64_t max_header_bytes = 16 * 1024;
    std::int64_t max_body_bytes = 1024 * 1024;
    std::int64_t request_timeout_ms = 15000;
    std::int64_t idle_timeout_ms = 60000;
    std::int64_t blocking_threads = 4;  // threads for password hashing and payment calls
    std::int64_t blocking_queue = 64;   // such requests waiting for one; more get 503
    std::string access_log = "-";       // "-" standard error, "off", or a file path
    // Reverse proxies whose X-Forwarded-For is believed (CIDR ranges).
    std::vector<std::string> trusted_proxies;
  } server;
  struct Paywall {
    std::int64_t anonymous_free = 5;
    std::int64_t registered_free = 10;
    bool registration_wall = true;
    std::string period = "month";
    std::string timezone;  // empty: site.timezone
    std::int64_t lead_in_paragraphs = 1;
    bool crawler_full_text = true;
    std::int64_t anonymous_network_free = 0;  // 0: no per-network budget
    std::string cookie_secret;                // base64, 32 bytes; empty: keys in the database
    std::string offer_headline = "Unlimited access to every article, on every device";
    std::string offer_url = "/offers";
    std::string register_url = "/register";
    std::string login_url = "/login";
  } paywall;
  struct Feeds {
    // Free and sponsored articles carry their whole body in feeds; metered
    // ones carry the deck and the lead-in whatever this says.
    bool full_text_free = true;
  } feeds;
  struct Accounts {
    // Cookies with Secure and the __Host- prefix. Unset: when base_url is
    // https. false is the plain-HTTP switch for local use; true with an
    // http:// base_url stops start-up.
    std::optional<bool> secure_cookies;
    std::int64_t session_idle_minutes = 30;    // ASVS 3.3.2 level 2
    std::int64_t session_absolute_hours = 12;  // re-authentication at least this often
  } accounts;
  struct Mail {
    std::string smtp_url;  // smtp://host:587, smtps://host:465; empty: mail goes to the error log
    bool require_starttls = false;
    std::string from = "news@localhost";
    std::string from_name;  // empty: site.name
    std::string username;
    std::string password;
  } mail;
  struct Billing {
    std::string gateway = "test";  // "test" (built-in, offline) or "stripe"
    std::int64_t grace_days = 7;   // past due keeps access this long
    std::string stripe_secret_key;
    std::string stripe_webhook_secret;
    std::string stripe_api_base = "https://api.stripe.com";
    std::vector<std::string> stripe_prices;  // "plan_code=price_id"
  } billing;
  struct Crawlers {
    std::vector<std::string> ranges;        // CIDR ranges of verified crawlers
    std::vector<std::string> ranges_files;  // JSON files in Google's published format
    bool dns = true;                        // reverse + forward DNS verification
  } crawlers;
  struct Database {
    std::string path = "data/masthead.db";
  } database;
};

// Loads `path` (empty: defaults only) and then the environment (`env`, as
// name -> value; pass the process environment in production).
base::Result<Config> load_config(const std::string& path,
                                 const std::map<std::string, std::string>& env);

// A 32-byte secret written in base64 (standard or URL-safe, padded or not),
// as `openssl rand -base64 32` prints it; nullopt when it is anything else.
std::optional<std::array<unsigned char, 32>> decode_secret(std::string_view base64);

// The process environment's MASTHEAD_* variables.
std::map<std::string, std::string> masthead_environment();

}  // namespace masthead::app
