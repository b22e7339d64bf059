// masthead: the command line. Parses arguments with CLI11 and hands each
// command to a function below; this is the one place that picks the
// implementations (SQLite store, system clock, embedded resources) and wires
// them together.
//
// Exit codes: 0 success, 1 the command failed (a clear message on stderr),
// 2 bad usage (CLI11's message).
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "accounts/accounts.h"
#include "app/article_import.h"
#include "app/billing_cli.h"
#include "app/config.h"
#include "app/embedded_files.h"
#include "app/file_clock.h"
#include "app/paywall_setup.h"
#include "app/resources.h"
#include "app/services_setup.h"
#include "base/iso_time.h"
#include "content/slug.h"
#include "feeds/feed_source.h"
#include "http/server.h"
#include "site/feed_routes.h"
#include "site/paywall_gate.h"
#include "site/site.h"
#include "store/sqlite/sqlite_article_store.h"
#include "store/sqlite/sqlite_billing_store.h"
#include "store/sqlite/sqlite_meter_store.h"
#include "store/sqlite/sqlite_secrets.h"
#include "subscriptions/subscriptions.h"
#include "web/visitor.h"

namespace masthead::app {
namespace {

namespace fs = std::filesystem;

struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Config load_or_fail(const std::string& config_path) {
  auto config = load_config(config_path, masthead_environment());
  if (!config) throw CommandError(config.error().message);
  return std::move(config.value());
}

std::shared_ptr<store::sqlite::Database> open_db(const std::string& path, bool create) {
  if (create) {
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
  }
  return store::sqlite::Database::open(path, create);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

const content::Section kDemoSections[] = {{"world", "World", 1},
                                          {"business", "Business", 2},
                                          {"technology", "Technology", 3},
                                          {"opinion", "Opinion", 4}};

int add_demo_content(content::ArticleStore& store, base::TimePoint now) {
  for (const auto& s : kDemoSections) store.put_section(s);
  int count = 0;
  for (const auto& file : embedded_files()) {
    std::string_view path = file.path;
    if (path.rfind("demo/articles/", 0) != 0 || path.substr(path.size() - 3) != ".md") continue;
    auto reader = [](const std::string& relative) -> std::optional<std::string> {
      std::string wanted = "demo/articles/" + relative;
      for (const auto& f : embedded_files())
        if (f.path == wanted) return std::string(f.bytes);
      return std::nullopt;
    };
    auto imported = import_article(store, file.bytes, path, reader, now);
    if (!imported) throw CommandError("demo content: " + imported.error().message);
    ++count;
  }
  return count;
}

int cmd_init(const std::string& db_path, bool demo) {
  bool existed = fs::exists(db_path);
  auto db = open_db(db_path, true);
  store::sqlite::SqliteArticleStore store(db);
  base::SystemClock clock;
  std::cout << (existed ? "Upgraded " : "Created ") << db_path << " (schema version "
            << db->schema_version() << ")\n";
  store::sqlite::SqliteSecrets secrets(db);
  if (int made = ensure_keys(secrets, clock.now()))
    std::cout << "Generated " << made << " signing keys\n";
  if (demo) {
    std::cout << "Added demo content: " << add_demo_content(store, clock.now()) << " articles\n";
    store::sqlite::SqliteBillingStore billing(db);
    add_demo_billing(billing, clock.now());
    std::cout << "Added demo plans and offers\n";
  }
  return 0;
}

std::shared_ptr<spdlog::logger> make_access_log(const std::string& target) {
  if (target == "off") return nullptr;
  spdlog::init_thread_pool(8192, 1);
  std::shared_ptr<spdlog::logger> logger;
  if (target == "-") {
    logger = spdlog::create_async_nb<spdlog::sinks::stderr_sink_mt>("access");
  } else {
    logger = spdlog::create_async_nb<spdlog::sinks::basic_file_sink_mt>("access", target);
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
  return logger;
}

// Access log values in logfmt are quoted, with quotes and control bytes escaped.
std::string logfmt_quote(std::string_view v) {
  std::string out = "\"";
  for (char c : v.substr(0, 512)) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
    out += c;
  }
  return out + "\"";
}

// Work a running server does in the background: reload the signing keys
// (a `keys rotate` from the CLI reaches it within a minute) and purge the
// meters of periods that have ended.
class Maintenance {
 public:
  Maintenance(KeyKeeper& keys, paywall::MeterStore& meters, const base::Clock& clock,
              std::function<void()> more)
      : thread_([this, &keys, &meters, &clock, more = std::move(more)] {
          std::unique_lock lock(mutex_);
          auto next_purge = std::chrono::steady_clock::now();
          while (!stop_) {
            try {
              keys.reload();
              if (std::chrono::steady_clock::now() >= next_purge) {
                meters.purge_ended(clock.now());
                if (more) more();
                next_purge = std::chrono::steady_clock::now() + std::chrono::hours(1);
              }
            } catch (const std::exception& e) {
              spdlog::error("maintenance: {}", e.what());
            }
            wake_.wait_for(lock, std::chrono::minutes(1), [this] { return stop_; });
          }
        }) {}
  ~Maintenance() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

int cmd_serve(const std::string& config_path, const std::string& db_override, int port_override,
              const std::string& bind_override, const std::string& clock_file) {
  Config config = load_or_fail(config_path);
  if (!db_override.empty()) config.database.path = db_override;
  if (port_override >= 0) config.server.port = port_override;
  if (!bind_override.empty()) config.server.bind = bind_override;

  std::unique_ptr<base::Clock> clock;
  if (clock_file.empty())
    clock = std::make_unique<base::SystemClock>();
  else
    clock = std::make_unique<FileClock>(clock_file);
  readers::CrawlerOptions crawler_config = crawler_options(config);

  // The wiring, in order: stores and keys; the services (services_setup.h
  // says their order); the site, whose frame the other HTML modules wear;
  // the accounts and subscription pages; the routes.
  auto db = open_db(config.database.path, false);
  store::sqlite::SqliteArticleStore store(db, static_cast<int>(config.paywall.lead_in_paragraphs));
  store::sqlite::SqliteMeterStore meters(db);
  store::sqlite::SqliteSecrets secrets(db);
  KeyKeeper keys(secrets, config, *clock);
  auto resources = load_resources(config.site.locale, config.site.locales);
  readers::CrawlerVerifier crawlers(std::move(crawler_config), readers::system_resolver(), *clock);

  Services services(config, ServicesWiring{db, meters, keys, &crawlers, *clock});
  site::PaywallGate gate(services.access(), services.cookies());

  site::SiteOptions options{config.site.name,        config.site.base_url,
                            config.site.locale,      config.site.timezone,
                            config.site.description, static_cast<int>(config.site.page_size)};
  options.offer_headline = config.paywall.offer_headline;
  options.offer_url = config.paywall.offer_url;
  options.register_url = config.paywall.register_url;
  options.login_url = config.paywall.login_url;
  // The wall shows the paywall's current offer from billing when there is one
  // (the configured headline otherwise).
  options.current_offer =
      [&services, &clock](const render::MessageCatalog& messages,
                          const render::DateFormatter& dates,
                          std::string_view locale) -> std::optional<site::SiteOptions::WallOffer> {
    auto offer = subscriptions::wall_offer(
        services.billing(), services::Language{&messages, &dates, std::string(locale)},
        clock->now());
    if (!offer) return std::nullopt;
    return site::SiteOptions::WallOffer{offer->headline, offer->url};
  };
  // The header of a signed-in reader's pages: Account, Log out, and
  // Subscribe unless they have full access.
  // An anonymous reader (no session cookie) costs one cookie lookup here.
  options.reader_links = [&services, session_cookie = web::session_cookie_name(services.cookies())](
                             const http::Request& request) -> std::optional<site::ReaderLinks> {
    if (!request.cookie(session_cookie)) return std::nullopt;
    const services::Visitor visitor = web::visitor_of(request, services.cookies());
    auto who = services.members().signed_in(visitor);
    if (!who) return std::nullopt;
    web::CsrfGuard::Token csrf = services.csrf().issue(request);
    return site::ReaderLinks{services.billing().entitlements(who->account.id).active,
                             std::move(csrf.field), std::move(csrf.set_cookie)};
  };
  // Search reaches past the public text only for a signed-in reader with an
  // active entitlement.
  options.search_everything = [&services, session_cookie = web::session_cookie_name(
                                              services.cookies())](const http::Request& request) {
    if (!request.cookie(session_cookie)) return false;
    auto who = services.members().signed_in(web::visitor_of(request, services.cookies()));
    return who && services.billing().entitlements(who->account.id).active;
  };
  site::Site site(options, store, *clock, resources->templates, *resources->catalogs,
                  resources->assets, gate);

  const web::Kit kit{
      .templates = resources->templates,
      .clock = *clock,
      .csrf = services.csrf(),
      .cookies = services.cookies(),
      .publication = config.site.name,
      .base_url = config.site.base_url,
      .frame = [&site](const http::Request& request, std::string title, std::string path) {
        site::Site::Frame f = site.frame(request, std::move(title), std::move(path));
        return web::Frame{std::move(f.context), services::Language{f.messages, f.dates, f.locale}};
      }};
  const render::MessageCatalog& default_messages =
      resources->catalogs->for_locale(resources->catalogs->default_locale());
  const render::DateFormatter default_dates(resources->catalogs->default_locale(),
                                            config.site.timezone);
  const subscriptions::SubscriptionPages subscription_pages{
      .kit = kit,
      .billing = services.billing(),
      .members = services.members(),
      .test_gateway = services.test_gateway(),
      .default_language = {&default_messages, &default_dates,
                           resources->catalogs->default_locale()}};
  const accounts::AuthPages auth_pages{
      .kit = kit,
      .members = services.members(),
      .billing = services.billing(),
      .session_lifetime = std::chrono::hours(config.accounts.session_absolute_hours),
      .subscription_section = [&subscription_pages](const web::Page& page,
                                                    const services::SignedIn& who) {
        return subscriptions::account_section(subscription_pages, page, who);
      }};

  http::Router router;
  accounts::add_account_routes(router, auth_pages);
  subscriptions::add_subscription_routes(router, subscription_pages);
  site.add_routes(router);
  // The feeds: every item cut through the AccessService's decision for an
  // anonymous reader, in the site's default language.
  const feeds::FeedSource feed_source(
      feeds::FeedOptions{.name = config.site.name,
                         .base_url = config.site.base_url,
                         .description = config.site.description,
                         .language = config.site.locale,
                         .full_text_free = config.feeds.full_text_free},
      store, services.access(), default_messages, *clock);
  // A private feed token: the member it is good for, with their entitlements now.
  site::FeedRoutes feed_routes(
      feed_source, store, [&services](std::string_view token) -> std::optional<services::Member> {
        std::optional<std::int64_t> account = services.members().feed_account(token);
        if (!account) return std::nullopt;
        return services::Member{*account, services.billing().entitlements(*account)};
      });
  feed_routes.add_routes(router);
  Maintenance maintenance(keys, meters, *clock, [&services] { services.maintain(); });

  http::ServerOptions server_options;
  server_options.bind = config.server.bind;
  server_options.port = static_cast<std::uint16_t>(config.server.port);
  server_options.threads = static_cast<unsigned>(config.server.threads);
  server_options.max_header_bytes = static_cast<std::size_t>(config.server.max_header_bytes);
  server_options.max_body_bytes = static_cast<std::size_t>(config.server.max_body_bytes);
  server_options.request_timeout = std::chrono::milliseconds(config.server.request_timeout_ms);
  server_options.idle_timeout = std::chrono::milliseconds(config.server.idle_timeout_ms);
  server_options.blocking_threads = static_cast<unsigned>(config.server.blocking_threads);
  server_options.blocking_queue = static_cast<std::size_t>(config.server.blocking_queue);
  server_options.default_headers = {
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'" +
           std::string(config.billing.gateway == "stripe" ? " https://checkout.stripe.com" : "") +
           "; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
  };
  if (config.site.base_url.rfind("https://", 0) == 0)
    server_options.default_headers.push_back({"Strict-Transport-Security", "max-age=31536000"});
  if (auto log = make_access_log(config.server.access_log)) {
    server_options.access_log = [log](const http::AccessLogEntry& e) {
      log->info("remote={} method={} target={} status={} bytes={} us={} ua={}", e.remote_address,
                http::method_name(e.method), logfmt_quote(e.target), e.status, e.bytes,
                e.duration.count(), logfmt_quote(e.user_agent));
    };
  }

  auto errors = spdlog::stderr_logger_mt("error");
  server_options.error_log = [errors](std::string_view message) { errors->error("{}", message); };
  http::Server server(server_options, std::move(router));
  std::uint16_t port = server.listen();
  server.stop_on_signals();
  std::cout << "Masthead is serving " << config.database.path << " at http://"
            << (config.server.bind.find(':') != std::string::npos ? "[" + config.server.bind + "]"
                                                                  : config.server.bind)
            << ":" << port << "/" << std::endl;
  server.run();
  std::cout << "Masthead stopped." << std::endl;
  spdlog::shutdown();
  return 0;
}

int cmd_article_add(const std::string& db_path, const std::string& file) {
  auto text = read_file(file);
  if (!text) throw CommandError("cannot read " + file);
  auto db = open_db(db_path, false);
  store::sqlite::SqliteArticleStore store(db);
  base::SystemClock clock;
  fs::path dir = fs::path(file).parent_path();
  auto reader = [&dir](const std::string& relative) -> std::optional<std::string> {
    fs::path p = fs::path(relative).is_absolute() ? fs::path(relative) : dir / relative;
    if (!fs::is_regular_file(p)) return std::nullopt;
    return read_file(p);
  };
  auto imported = import_article(store, *text, file, reader, clock.now());
  if (!imported) throw CommandError(imported.error().message);
  std::cout << "Stored /" << imported->section << "/" << imported->slug << " ("
            << content::status_name(imported->status) << ")\n";
  return 0;
}

int cmd_article_list(const std::string& db_path) {
  auto db = open_db(db_path, false);
  store::sqlite::SqliteArticleStore store(db);
  base::SystemClock clock;
  for (int offset = 0;; offset += 500) {
    auto list = store.list_articles({.visible_only = false}, clock.now(), offset, 500);
    for (const auto& a : list.articles) {
      std::cout << (a.published_at ? base::format_iso8601_utc(*a.published_at)
                                   : std::string(20, '-'))
                << "  " << content::status_name(a.status) << "  /" << a.section << "/" << a.slug
                << (a.sponsored() ? "  [sponsored]" : "") << (a.free ? "  [free]" : "") << "\n";
    }
    if (list.articles.size() < 500) break;
  }
  return 0;
}

int cmd_section_add(const std::string& db_path, const std::string& slug, const std::string& name,
                    int order) {
  if (content::is_reserved_section_slug(slug))
    throw CommandError("'" + slug + "' is reserved for the site's own pages; choose another slug");
  if (!content::is_valid_slug(slug))
    throw CommandError("'" + slug +
                       "' is not a slug (lowercase letters, digits and single hyphens)");
  if (name.empty() || name.size() > 100)
    throw CommandError("a section name has 1 to 100 characters");
  auto db = open_db(db_path, false);
  store::sqlite::SqliteArticleStore store(db);
  store.put_section({slug, name, order});
  std::cout << "Stored section /" << slug << "\n";
  return 0;
}

int cmd_keys_rotate(const std::string& db_path, int grace_days) {
  auto db = open_db(db_path, false);
  store::sqlite::SqliteSecrets secrets(db);
  base::SystemClock clock;
  readers::KeyBytes key = readers::generate_key();
  auto stored = secrets.rotate(
      kReaderCookieKeys, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()),
      clock.now(), std::chrono::hours(24) * grace_days);
  std::cout << "Reader cookies are now signed with key " << stored.id
            << "; earlier keys keep verifying for " << grace_days << " days\n";
  return 0;
}

int cmd_section_list(const std::string& db_path) {
  auto db = open_db(db_path, false);
  store::sqlite::SqliteArticleStore store(db);
  for (const auto& s : store.sections())
    std::cout << s.menu_order << "  /" << s.slug << "  " << s.name << "\n";
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"Masthead: a news publishing server with a metered paywall"};
  app.require_subcommand(1);
  std::string db_path = "data/masthead.db";

  auto* init = app.add_subcommand("init", "Create (or upgrade) a site database");
  bool demo = false;
  init->add_option("--db", db_path, "SQLite database file")->capture_default_str();
  init->add_flag("--demo", demo, "Fill it with the demo publication");

  auto* serve = app.add_subcommand("serve", "Serve the site over HTTP");
  std::string config_path, serve_db, bind;
  int port = -1;
  serve->add_option("--config", config_path, "TOML configuration file")->check(CLI::ExistingFile);
  serve->add_option("--db", serve_db, "SQLite database file (overrides [database] path)");
  serve->add_option("--port", port, "TCP port; 0 picks a free one")->check(CLI::Range(0, 65535));
  serve->add_option("--bind", bind, "Address to listen on");
  std::string clock_file;
  serve->add_option("--clock-file", clock_file, "Testing: read the time from this file")
      ->group("");  // hidden: for the integration and browser tests

  auto* keys = app.add_subcommand("keys", "Manage signing keys");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand(
      "rotate", "Sign reader cookies with a new key; old keys verify for a grace period");
  int grace_days = 30;
  keys_rotate->add_option("--db", db_path, "SQLite database file")->capture_default_str();
  keys_rotate->add_option("--grace-days", grace_days, "Days the previous key keeps verifying")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();

  auto* article = app.add_subcommand("article", "Manage articles");
  article->require_subcommand(1);
  auto* article_add =
      article->add_subcommand("add", "Add or update (by slug) an article from a Markdown file");
  std::string article_file;
  article_add->add_option("--db", db_path, "SQLite database file")->capture_default_str();
  article_add->add_option("--file", article_file, "Markdown file with YAML front matter")
      ->required();
  auto* article_list = article->add_subcommand("list", "List every article, newest first");
  article_list->add_option("--db", db_path, "SQLite database file")->capture_default_str();

  auto* section = app.add_subcommand("section", "Manage sections");
  section->require_subcommand(1);
  auto* section_add = section->add_subcommand("add", "Add or update (by slug) a section");
  std::string section_slug, section_name;
  int section_order = 0;
  section_add->add_option("--db", db_path, "SQLite database file")->capture_default_str();
  section_add->add_option("--slug", section_slug, "URL name, e.g. sport")->required();
  section_add->add_option("--name", section_name, "Display name, e.g. Sport")->required();
  section_add->add_option("--order", section_order, "Position in the menu");
  auto* section_list = section->add_subcommand("list", "List sections in menu order");
  section_list->add_option("--db", db_path, "SQLite database file")->capture_default_str();

  add_billing_commands(app);

  CLI11_PARSE(app, argc, argv);
  if (billing_command_ran(app)) return 0;
  try {
    if (*init) return cmd_init(db_path, demo);
    if (*serve) return cmd_serve(config_path, serve_db, port, bind, clock_file);
    if (*keys_rotate) return cmd_keys_rotate(db_path, grace_days);
    if (*article_add) return cmd_article_add(db_path, article_file);
    if (*article_list) return cmd_article_list(db_path);
    if (*section_add) return cmd_section_add(db_path, section_slug, section_name, section_order);
    if (*section_list) return cmd_section_list(db_path);
  } catch (const std::exception& e) {
    std::cerr << "masthead: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace masthead::app

int main(int argc, char** argv) {
  return masthead::app::run(argc, argv);
}
