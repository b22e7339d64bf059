// See config.h. Each key is described once in kKeys, with a setter that
// checks the value; file and environment go through the same setters.
#include "app/config.h"

#include <sodium.h>
#include <toml++/toml.h>

#include <unistd.h>
#include <charconv>
#include <functional>
#include <vector>

#include "base/text.h"
#include "paywall/meter_policy.h"
#include "readers/network.h"
#include "readers/reader_token.h"

extern char** environ;

namespace masthead::app {
namespace {

using Setter = std::function<std::string(Config&, const toml::node&)>;  // "" or an error

struct Key {
  const char* table;
  const char* name;
  Setter set;
};

template <typename Field>
Setter string_key(Field field, std::function<std::string(const std::string&)> check = {}) {
  return [field, check](Config& c, const toml::node& node) -> std::string {
    if (!node.is_string()) return "expected a string";
    auto v = node.value<std::string>();
    if (!v) return "expected a string";
    if (check) {
      std::string error = check(*v);
      if (!error.empty()) return error;
    }
    field(c) = *v;
    return "";
  };
}

template <typename Field>
Setter int_key(Field field, std::int64_t min, std::int64_t max) {
  return [field, min, max](Config& c, const toml::node& node) -> std::string {
    // Ask the type first: toml++ would convert a float, and a huge one
    // does not fit an integer.
    if (!node.is_integer()) return "expected a whole number";
    auto v = node.value<std::int64_t>();
    if (!v) return "expected a whole number";
    if (*v < min || *v > max)
      return "must be between " + std::to_string(min) + " and " + std::to_string(max);
    field(c) = *v;
    return "";
  };
}

template <typename Field>
Setter bool_key(Field field) {
  return [field](Config& c, const toml::node& node) -> std::string {
    if (node.is_boolean()) {
      field(c) = *node.value<bool>();
      return "";
    }
    // From the environment every value is a string.
    if (auto text = node.value_exact<std::string>()) {
      if (*text == "true" || *text == "false") {
        field(c) = *text == "true";
        return "";
      }
    }
    return "expected true or false";
  };
}

template <typename Field>
Setter optional_bool_key(Field field) {
  return [field](Config& c, const toml::node& node) -> std::string {
    bool value = false;
    std::string error = bool_key([&value](Config&) -> bool& { return value; })(c, node);
    if (error.empty()) field(c) = value;
    return error;
  };
}

// A list of strings; from the environment, comma-separated.
template <typename Field>
Setter string_list_key(Field field, std::function<std::string(const std::string&)> check = {}) {
  return [field, check](Config& c, const toml::node& node) -> std::string {
    std::vector<std::string> values;
    if (auto text = node.value_exact<std::string>()) {
      for (std::string_view part : base::split(*text, ','))
        if (auto trimmed = base::trim(part); !trimmed.empty()) values.emplace_back(trimmed);
    } else if (const toml::array* array = node.as_array()) {
      for (const toml::node& item : *array) {
        auto v = item.value_exact<std::string>();
        if (!v) return "expected a list of strings";
        values.push_back(*v);
      }
    } else {
      return "expected a list of strings";
    }
    for (const std::string& v : values) {
      if (!check) break;
      std::string error = check(v);
      if (!error.empty()) return "'" + v + "': " + error;
    }
    field(c) = std::move(values);
    return "";
  };
}

std::string check_base_url(const std::string& v) {
  if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
    return "must start with http:// or https://";
  if (!v.empty() && v.back() == '/') return "must not end with '/'";
  return "";
}

std::string check_non_empty(const std::string& v) {
  return v.empty() ? "must not be empty" : "";
}

std::string check_cidr(const std::string& v) {
  auto cidr = readers::Cidr::parse(v);
  return cidr ? "" : cidr.error().message;
}

std::string check_period(const std::string& v) {
  return paywall::parse_period_kind(v) ? "" : "expected day, week or month";
}

std::string check_time_zone(const std::string& v) {
  if (v.empty() || paywall::is_known_time_zone(v)) return "";
  return "unknown time zone (expected an IANA name such as Asia/Tokyo)";
}

// A 32-byte key as standard or URL-safe base64 (`openssl rand -base64 32`).
std::string check_secret(const std::string& v) {
  if (v.empty()) return "";
  return decode_secret(v) ? "" : "expected 32 random bytes in base64 (openssl rand -base64 32)";
}

std::string check_smtp_url(const std::string& v) {
  if (v.empty() || v.rfind("smtp://", 0) == 0 || v.rfind("smtps://", 0) == 0) return "";
  return "must start with smtp:// or smtps:// (or be empty to log mail instead)";
}

std::string check_gateway(const std::string& v) {
  return v == "test" || v == "stripe" ? "" : "expected \"test\" or \"stripe\"";
}

std::string check_price_mapping(const std::string& v) {
  auto eq = v.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
    return "expected plan_code=price_id";
  return "";
}

// Where a paywall button goes: a local path or an absolute http(s) URL.
std::string check_link(const std::string& v) {
  if (v.size() > 1 && v[0] == '/' && v[1] != '/') return "";
  if (v == "/") return "";
  if (v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0) return "";
  return "must be a path starting with / or an http(s) URL";
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"site", "name",
       string_key([](Config& c) -> std::string& { return c.site.name; }, check_non_empty)},
      {"site", "base_url",
       string_key([](Config& c) -> std::string& { return c.site.base_url; }, check_base_url)},
      {"site", "description",
       string_key([](Config& c) -> std::string& { return c.site.description; })},
      {"site", "locale",
       string_key([](Config& c) -> std::string& { return c.site.locale; }, check_non_empty)},
      {"site", "timezone",
       string_key([](Config& c) -> std::string& { return c.site.timezone; }, check_non_empty)},
      {"site", "page_size",
       int_key([](Config& c) -> std::int64_t& { return c.site.page_size; }, 1, 100)},
      {"server", "bind",
       string_key([](Config& c) -> std::string& { return c.server.bind; }, check_non_empty)},
      {"server", "port",
       int_key([](Config& c) -> std::int64_t& { return c.server.port; }, 0, 65535)},
      {"server", "threads",
       int_key([](Config& c) -> std::int64_t& { return c.server.threads; }, 0, 256)},
      {"server", "max_header_bytes",
       int_key([](Config& c) -> std::int64_t& { return c.server.max_header_bytes; }, 1024,
               1 << 20)},
      {"server", "max_body_bytes",
       int_key([](Config& c) -> std::int64_t& { return c.server.max_body_bytes; }, 0, 1LL << 30)},
      {"server", "request_timeout_ms",
       int_key([](Config& c) -> std::int64_t& { return c.server.request_timeout_ms; }, 100,
               3600000)},
      {"server", "idle_timeout_ms",
       int_key([](Config& c) -> std::int64_t& { return c.server.idle_timeout_ms; }, 100, 3600000)},
      {"server", "blocking_threads",
       int_key([](Config& c) -> std::int64_t& { return c.server.blocking_threads; }, 1, 64)},
      {"server", "blocking_queue",
       int_key([](Config& c) -> std::int64_t& { return c.server.blocking_queue; }, 1, 10000)},
      {"server", "access_log",
       string_key([](Config& c) -> std::string& { return c.server.access_log; }, check_non_empty)},
      {"site", "locales",
       string_list_key([](Config& c) -> std::vector<std::string>& { return c.site.locales; },
                       check_non_empty)},
      {"server", "trusted_proxies",
       string_list_key(
           [](Config& c) -> std::vector<std::string>& { return c.server.trusted_proxies; },
           check_cidr)},
      {"paywall", "anonymous_free",
       int_key([](Config& c) -> std::int64_t& { return c.paywall.anonymous_free; }, 0, 10000)},
      {"paywall", "registered_free",
       int_key([](Config& c) -> std::int64_t& { return c.paywall.registered_free; }, 0, 10000)},
      {"paywall", "registration_wall",
       bool_key([](Config& c) -> bool& { return c.paywall.registration_wall; })},
      {"paywall", "period",
       string_key([](Config& c) -> std::string& { return c.paywall.period; }, check_period)},
      {"paywall", "timezone",
       string_key([](Config& c) -> std::string& { return c.paywall.timezone; }, check_time_zone)},
      {"paywall", "lead_in_paragraphs",
       int_key([](Config& c) -> std::int64_t& { return c.paywall.lead_in_paragraphs; }, 0,
               paywall::kMaxLeadInParagraphs)},
      {"paywall", "crawler_full_text",
       bool_key([](Config& c) -> bool& { return c.paywall.crawler_full_text; })},
      {"paywall", "anonymous_network_free",
       int_key([](Config& c) -> std::int64_t& { return c.paywall.anonymous_network_free; }, 0,
               1000000)},
      {"paywall", "cookie_secret",
       string_key([](Config& c) -> std::string& { return c.paywall.cookie_secret; }, check_secret)},
      {"paywall", "offer_headline",
       string_key([](Config& c) -> std::string& { return c.paywall.offer_headline; },
                  check_non_empty)},
      {"paywall", "offer_url",
       string_key([](Config& c) -> std::string& { return c.paywall.offer_url; }, check_link)},
      {"paywall", "register_url",
       string_key([](Config& c) -> std::string& { return c.paywall.register_url; }, check_link)},
      {"paywall", "login_url",
       string_key([](Config& c) -> std::string& { return c.paywall.login_url; }, check_link)},
      {"crawlers", "ranges",
       string_list_key([](Config& c) -> std::vector<std::string>& { return c.crawlers.ranges; },
                       check_cidr)},
      {"crawlers", "ranges_files",
       string_list_key(
           [](Config& c) -> std::vector<std::string>& { return c.crawlers.ranges_files; },
           check_non_empty)},
      {"crawlers", "dns", bool_key([](Config& c) -> bool& { return c.crawlers.dns; })},
      {"feeds", "full_text_free",
       bool_key([](Config& c) -> bool& { return c.feeds.full_text_free; })},
      {"accounts", "secure_cookies", optional_bool_key([](Config& c) -> std::optional<bool>& {
         return c.accounts.secure_cookies;
       })},
      {"accounts", "session_idle_minutes",
       int_key([](Config& c) -> std::int64_t& { return c.accounts.session_idle_minutes; }, 1,
               24 * 60)},
      {"accounts", "session_absolute_hours",
       int_key([](Config& c) -> std::int64_t& { return c.accounts.session_absolute_hours; }, 1,
               24 * 30)},
      {"mail", "smtp_url",
       string_key([](Config& c) -> std::string& { return c.mail.smtp_url; }, check_smtp_url)},
      {"mail", "require_starttls",
       bool_key([](Config& c) -> bool& { return c.mail.require_starttls; })},
      {"mail", "from",
       string_key([](Config& c) -> std::string& { return c.mail.from; }, check_non_empty)},
      {"mail", "from_name", string_key([](Config& c) -> std::string& { return c.mail.from_name; })},
      {"mail", "username", string_key([](Config& c) -> std::string& { return c.mail.username; })},
      {"mail", "password", string_key([](Config& c) -> std::string& { return c.mail.password; })},
      {"billing", "gateway",
       string_key([](Config& c) -> std::string& { return c.billing.gateway; }, check_gateway)},
      {"billing", "grace_days",
       int_key([](Config& c) -> std::int64_t& { return c.billing.grace_days; }, 0, 60)},
      {"billing", "stripe_secret_key",
       string_key([](Config& c) -> std::string& { return c.billing.stripe_secret_key; })},
      {"billing", "stripe_webhook_secret",
       string_key([](Config& c) -> std::string& { return c.billing.stripe_webhook_secret; })},
      {"billing", "stripe_api_base",
       string_key([](Config& c) -> std::string& { return c.billing.stripe_api_base; },
                  check_base_url)},
      {"billing", "stripe_prices",
       string_list_key(
           [](Config& c) -> std::vector<std::string>& { return c.billing.stripe_prices; },
           check_price_mapping)},
      {"database", "path",
       string_key([](Config& c) -> std::string& { return c.database.path; }, check_non_empty)},
  };
  return k;
}

const Key* find_key(std::string_view table, std::string_view name) {
  for (const Key& k : keys())
    if (table == k.table && name == k.name) return &k;
  return nullptr;
}

bool known_table(std::string_view table) {
  for (const Key& k : keys())
    if (table == k.table) return true;
  return false;
}

std::string env_name(const Key& k) {
  std::string n = std::string("MASTHEAD_") + k.table + "_" + k.name;
  for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return n;
}

// An environment value as a TOML node: integers where the key wants one.
std::string apply_env(Config& config, const Key& key, const std::string& value) {
  std::string error = key.set(config, toml::value<std::string>(value));
  if (error == "expected a whole number") {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) return error;
    error = key.set(config, toml::value<std::int64_t>(n));
  }
  return error;
}

}  // namespace

std::optional<std::array<unsigned char, 32>> decode_secret(std::string_view base64) {
  if (sodium_init() < 0) return std::nullopt;
  std::array<unsigned char, 32> key{};
  for (int variant :
       {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_URLSAFE,
        sodium_base64_VARIANT_ORIGINAL_NO_PADDING, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
    std::size_t length = 0;
    std::string_view trimmed = base::trim(base64);
    if (sodium_base642bin(key.data(), key.size(), trimmed.data(), trimmed.size(), nullptr, &length,
                          nullptr, variant) == 0 &&
        length == key.size())
      return key;
  }
  return std::nullopt;
}

base::Result<Config> load_config(const std::string& path,
                                 const std::map<std::string, std::string>& env) {
  Config config;
  if (!path.empty()) {
    toml::table file;
    try {
      file = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return base::Error{path + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description())};
    }
    for (const auto& [table_name, table_node] : file) {
      std::string table(table_name.str());
      int line = static_cast<int>(table_node.source().begin.line);
      if (!known_table(table) || !table_node.is_table())
        return base::Error{path + ":" + std::to_string(line) + ": unknown table [" + table + "]"};
      for (const auto& [key_name, value] : *table_node.as_table()) {
        std::string name(key_name.str());
        int key_line = static_cast<int>(value.source().begin.line);
        const Key* key = find_key(table, name);
        if (!key)
          return base::Error{path + ":" + std::to_string(key_line) + ": unknown key '" + name +
                             "' in [" + table + "]"};
        std::string error = key->set(config, value);
        if (!error.empty())
          return base::Error{path + ":" + std::to_string(key_line) + ": " + table + "." + name +
                             ": " + error};
      }
    }
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("MASTHEAD_", 0) != 0) continue;
    const Key* match = nullptr;
    for (const Key& k : keys())
      if (env_name(k) == name) match = &k;
    if (!match) {
      // Only names shaped like a key are ours; MASTHEAD_SOURCE_DIR and the
      // like belong to the build and tests.
      bool ours = false;
      for (const Key& k : keys()) ours = ours || name.rfind(env_name({k.table, "", {}}), 0) == 0;
      if (ours) return base::Error{"environment variable " + name + " names no configuration key"};
      continue;
    }
    std::string error = apply_env(config, *match, value);
    if (!error.empty()) return base::Error{"environment variable " + name + ": " + error};
  }
  // Checks across keys.
  const bool https = config.site.base_url.rfind("https://", 0) == 0;
  if (config.accounts.secure_cookies.value_or(https) && !https)
    return base::Error{
        "accounts.secure_cookies is true but site.base_url is http://: browsers drop Secure "
        "cookies there; set accounts.secure_cookies = false for plain-HTTP local use"};
  if (config.billing.gateway == "stripe" &&
      (config.billing.stripe_secret_key.empty() || config.billing.stripe_webhook_secret.empty()))
    return base::Error{
        "billing.gateway is \"stripe\": set billing.stripe_secret_key and "
        "billing.stripe_webhook_secret (or MASTHEAD_BILLING_STRIPE_SECRET_KEY and "
        "MASTHEAD_BILLING_STRIPE_WEBHOOK_SECRET)"};
  return config;
}

std::map<std::string, std::string> masthead_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("MASTHEAD_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

}  // namespace masthead::app
