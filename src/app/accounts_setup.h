// Accounts setup: everything the accounts pages need, built from the
// configuration and the database, owned in one place for `serve`.
//
// What it is. AccountsRuntime holds the SQLite member, billing and mail
// stores, the mail sender and its courier thread, the payment gateway
// ("test" or "stripe"), the password hasher, the CSRF guard, and the
// accounts::Services that the handlers use. Keys for CSRF tokens and e-mail
// links live in the `secrets` table (purposes "csrf" and "email_link", made
// by `init` or on first start, like the reader-cookie keys).
//
// Mail: with `[mail] smtp_url` set, an SMTP sender (libcurl); without it,
// mail is written to the error log instead, so a local demo can follow its
// confirmation and reset links. Either way it goes through the outbox.
#pragma once

#include <memory>

#include "accounts/accounts.h"
#include "app/config.h"
#include "base/clock.h"
#include "mail/courier.h"
#include "render/template_set.h"
#include "store/sqlite/database.h"

namespace masthead::app {

inline constexpr const char* kCsrfKeys = "csrf";
inline constexpr const char* kEmailLinkKeys = "email_link";

struct AccountsRuntime;  // defined in accounts_setup.cpp

struct AccountsWiring {
  std::shared_ptr<store::sqlite::Database> db;
  paywall::MeterStore* meters = nullptr;
  const base::Clock& clock;
  const render::TemplateSet& templates;
  accounts::FrameSource frame;
  std::function<void(const http::Request&, std::string_view)> merge_meter;
  std::function<std::string(const http::Request&)> client_address;  // behind trusted proxies
};

class Accounts {
 public:
  // Throws std::runtime_error naming the configuration key that is wrong.
  Accounts(const Config& config, AccountsWiring wiring);
  ~Accounts();

  accounts::Services& services();
  const accounts::AccountsOptions& options() const;
  bool secure_cookies() const;
  // Purges expired sessions, used links and old login failures.
  void maintain();

 private:
  std::unique_ptr<AccountsRuntime> runtime_;
};

}  // namespace masthead::app
