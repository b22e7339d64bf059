// See accounts_setup.h.
#include "app/accounts_setup.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "accounts/test_gateway.h"
#include "mail/message.h"
#include "mail/smtp_sender.h"
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

}  // namespace

struct AccountsRuntime {
  AccountsRuntime(const Config& config, AccountsWiring wiring)
      : clock(wiring.clock),
        members(wiring.db),
        billing(wiring.db),
        outbox(wiring.db),
        secrets(wiring.db),
        secure(config.accounts.secure_cookies.value_or(config.site.base_url.rfind("https://", 0) ==
                                                       0)),
        link_keys(keys_of(secrets, kEmailLinkKeys, clock.now())),
        csrf(first_key(keys_of(secrets, kCsrfKeys, clock.now())), accounts::CookiePolicy{secure}) {
    options.publication = config.site.name;
    options.base_url = config.site.base_url;
    options.sessions.idle_timeout = std::chrono::minutes(config.accounts.session_idle_minutes);
    options.sessions.absolute_timeout = std::chrono::hours(config.accounts.session_absolute_hours);
    options.grace = std::chrono::hours(24) * config.billing.grace_days;
    options.gateway = config.billing.gateway;
    options.stripe_webhook_secret = config.billing.stripe_webhook_secret;

    if (config.mail.smtp_url.empty()) {
      sender = std::make_unique<LogSender>(config.mail.from);
    } else {
      mail::SmtpConfig smtp;
      smtp.url = config.mail.smtp_url;
      smtp.require_starttls = config.mail.require_starttls;
      smtp.from = config.mail.from;
      smtp.from_name = config.mail.from_name.empty() ? config.site.name : config.mail.from_name;
      smtp.username = config.mail.username;
      smtp.password = config.mail.password;
      if (std::string problem = mail::check_smtp_config(smtp); !problem.empty())
        throw std::runtime_error("[mail]: " + problem);
      sender = std::make_unique<mail::SmtpSender>(smtp);
    }
    mail::CourierOptions courier_options;
    courier_options.log = [](std::string_view line) { spdlog::warn("{}", line); };
    courier = std::make_unique<mail::Courier>(outbox, *sender, clock, courier_options);

    if (config.billing.gateway == "stripe") {
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
      gateway = std::make_unique<payments::StripeGateway>(stripe);
    } else {
      gateway = std::make_unique<accounts::TestGateway>(billing, clock);
    }

    services = std::make_unique<accounts::Services>(accounts::Services{
        .members = members,
        .billing = billing,
        .meters = *wiring.meters,
        .outbox = outbox,
        .mail_ready = [this] { courier->notify(); },
        .gateway = *gateway,
        .templates = wiring.templates,
        .frame = std::move(wiring.frame),
        .clock = clock,
        .csrf = csrf,
        .cookies = accounts::CookiePolicy{secure},
        .hasher = hasher,
        .link_keys = link_keys,
        .merge_meter = std::move(wiring.merge_meter),
        .client_address = std::move(wiring.client_address),
    });
  }

  const base::Clock& clock;
  store::sqlite::SqliteMemberStore members;
  store::sqlite::SqliteBillingStore billing;
  store::sqlite::SqliteMailOutbox outbox;
  store::sqlite::SqliteSecrets secrets;
  bool secure;
  std::vector<std::string> link_keys;
  accounts::CsrfGuard csrf;
  members::PasswordHasher hasher;
  accounts::AccountsOptions options;
  std::unique_ptr<mail::Sender> sender;
  std::unique_ptr<mail::Courier> courier;
  std::unique_ptr<billing::PaymentGateway> gateway;
  std::unique_ptr<accounts::Services> services;
};

Accounts::Accounts(const Config& config, AccountsWiring wiring)
    : runtime_(std::make_unique<AccountsRuntime>(config, std::move(wiring))) {}

Accounts::~Accounts() = default;

accounts::Services& Accounts::services() {
  return *runtime_->services;
}
const accounts::AccountsOptions& Accounts::options() const {
  return runtime_->options;
}
bool Accounts::secure_cookies() const {
  return runtime_->secure;
}

void Accounts::maintain() {
  const base::TimePoint now = runtime_->clock.now();
  runtime_->members.purge_sessions(runtime_->options.sessions, now);
  runtime_->members.purge_email_tokens(now);
  runtime_->members.purge_login_failures(now - std::chrono::hours(24));
}

}  // namespace masthead::app
