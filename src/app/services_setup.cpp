// See services_setup.h.
#include "app/services_setup.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "mail/courier.h"
#include "mail/message.h"
#include "mail/smtp_sender.h"
#include "members/password.h"
#include "payments/stripe_gateway.h"
#include "readers/reader_token.h"
#include "store/sqlite/sqlite_billing_store.h"
#include "store/sqlite/sqlite_mail_outbox.h"
#include "store/sqlite/sqlite_member_store.h"
#include "store/sqlite/sqlite_secrets.h"

namespace masthead::app {

namespace {

// No SMTP server configured: the mail goes to the error log, whole, so that
// a local reader can follow its links. Never used when smtp_url is set.
class LogSender final : public mail::Sender {
 public:
  explicit LogSender(std::string from) : from_(std::move(from)) {}
  mail::SendOutcome send(const mail::QueuedMail& queued) override {
    spdlog::warn("mail (no [mail] smtp_url configured, not sent) from {} to {}: {}\n{}", from_,
                 queued.message.to, queued.message.subject, queued.message.body);
    return mail::SendOutcome::sent();
  }

 private:
  std::string from_;
};

// The keys of `purpose` in the secrets table (made when missing), the
// newest first.
std::vector<std::string> keys_of(store::sqlite::SqliteSecrets& secrets, const char* purpose,
                                 base::TimePoint now) {
  if (secrets.keys(purpose, now).empty()) {
    readers::KeyBytes key = readers::generate_key();
    secrets.rotate(purpose, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()),
                   now, std::chrono::seconds(0));
  }
  std::vector<std::string> keys;
  for (const auto& stored : secrets.keys(purpose, now)) keys.insert(keys.begin(), stored.bytes);
  return keys;
}

std::array<unsigned char, 32> first_key(const std::vector<std::string>& keys) {
  std::array<unsigned char, 32> key{};
  if (keys.empty() || keys.front().size() != key.size())
    throw std::runtime_error("secrets: a key has the wrong length");
  std::copy(keys.front().begin(), keys.front().end(), key.begin());
  return key;
}

std::unique_ptr<mail::Sender> make_sender(const Config& config) {
  if (config.mail.smtp_url.empty()) return std::make_unique<LogSender>(config.mail.from);
  mail::SmtpConfig smtp;
  smtp.url = config.mail.smtp_url;
  smtp.require_starttls = config.mail.require_starttls;
  smtp.from = config.mail.from;
  smtp.from_name = config.mail.from_name.empty() ? config.site.name : config.mail.from_name;
  smtp.username = config.mail.username;
  smtp.password = config.mail.password;
  if (std::string problem = mail::check_smtp_config(smtp); !problem.empty())
    throw std::runtime_error("[mail]: " + problem);
  return std::make_unique<mail::SmtpSender>(smtp);
}

std::unique_ptr<payments::StripeGateway> make_stripe(const Config& config) {
  payments::StripeConfig stripe;
  stripe.secret_key = config.billing.stripe_secret_key;
  stripe.api_base = config.billing.stripe_api_base;
  for (const std::string& mapping : config.billing.stripe_prices) {
    auto eq = mapping.find('=');
    stripe.prices[mapping.substr(0, eq)] = mapping.substr(eq + 1);
  }
  stripe.log = [](std::string_view line) { spdlog::warn("stripe: {}", line); };
  if (std::string problem = payments::check_stripe_config(stripe); !problem.empty())
    throw std::runtime_error("[billing]: " + problem);
  return std::make_unique<payments::StripeGateway>(stripe);
}

services::AccessOptions access_options(const Config& config, const KeyKeeper& keys) {
  services::AccessOptions options;
  options.policy = meter_policy(config);
  for (const std::string& text : config.server.trusted_proxies)
    options.trusted_proxies.add(readers::Cidr::parse(text).value());  // checked by load_config
  options.network_secret = keys.network_secret();
  return options;
}

}  // namespace

bool secure_cookies(const Config& config) {
  return config.accounts.secure_cookies.value_or(config.site.base_url.rfind("https://", 0) == 0);
}

struct ServicesParts {
  ServicesParts(const Config& config, ServicesWiring w)
      : clock(w.clock),
        // 1. stores
        member_store(w.db),
        billing_store(w.db),
        outbox(w.db),
        secrets(w.db),
        // 2. mail
        sender(make_sender(config)),
        courier(
            outbox, *sender, clock,
            mail::CourierOptions{.log = [](std::string_view line) { spdlog::warn("{}", line); }}),
        // 3. the gateway
        stripe(config.billing.gateway == "stripe" ? make_stripe(config) : nullptr),
        test(stripe ? nullptr : std::make_unique<payments::TestGateway>(billing_store, clock)),
        // 4.-7. the services
        sessions(member_store,
                 members::SessionPolicy{std::chrono::minutes(config.accounts.session_idle_minutes),
                                        std::chrono::hours(config.accounts.session_absolute_hours)},
                 clock),
        grace(std::chrono::hours(24) * config.billing.grace_days),
        access(
            access_options(config, w.keys), w.meters, [&keys = w.keys] { return keys.current(); },
            w.crawlers, clock,
            [this](std::string_view token) -> std::optional<services::Member> {
              auto member = sessions.find(token);
              if (!member) return std::nullopt;
              return services::Member{
                  member->account.id,
                  services::entitlements_of(billing_store, member->account.id, clock.now(), grace)};
            }),
        members(
            services::MemberOptions{config.site.name,
                                    config.site.base_url,
                                    {},
                                    keys_of(secrets, kEmailLinkKeys, clock.now()),
                                    keys_of(secrets, kFeedKeys, clock.now())},
            member_store, sessions, access, outbox, [this] { courier.notify(); }, hasher, clock),
        billing(services::BillingOptions{config.site.name, config.site.base_url, grace,
                                         config.billing.stripe_webhook_secret},
                billing_store, stripe ? static_cast<billing::PaymentGateway&>(*stripe) : *test,
                members, clock),
        // 8. the web kit's CSRF guard
        cookies{secure_cookies(config)},
        csrf(first_key(keys_of(secrets, kCsrfKeys, clock.now())), cookies) {}

  const base::Clock& clock;
  store::sqlite::SqliteMemberStore member_store;
  store::sqlite::SqliteBillingStore billing_store;
  store::sqlite::SqliteMailOutbox outbox;
  store::sqlite::SqliteSecrets secrets;
  std::unique_ptr<mail::Sender> sender;
  mail::Courier courier;
  std::unique_ptr<payments::StripeGateway> stripe;
  std::unique_ptr<payments::TestGateway> test;
  members::PasswordHasher hasher;
  services::Sessions sessions;
  std::chrono::seconds grace;
  services::AccessService access;
  services::MemberService members;
  services::BillingService billing;
  web::CookiePolicy cookies;
  web::CsrfGuard csrf;
};

Services::Services(const Config& config, ServicesWiring wiring)
    : parts_(std::make_unique<ServicesParts>(config, std::move(wiring))) {}
Services::~Services() = default;

services::AccessService& Services::access() {
  return parts_->access;
}
services::MemberService& Services::members() {
  return parts_->members;
}
services::BillingService& Services::billing() {
  return parts_->billing;
}
const web::CsrfGuard& Services::csrf() const {
  return parts_->csrf;
}
web::CookiePolicy Services::cookies() const {
  return parts_->cookies;
}
payments::TestGateway* Services::test_gateway() {
  return parts_->test.get();
}
void Services::maintain() {
  parts_->members.maintain();
}

}  // namespace masthead::app
