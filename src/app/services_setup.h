// Services setup: the use cases of `serve`, built from the configuration
// and the database in one stated order, and owned in one place.
//
// The order (each part needs only what is above it; no part reaches for
// one made later):
//   1. stores: members, billing, the mail outbox, secrets (SQLite; the
//      meters and the key ring come from paywall_setup)
//   2. mail: a sender (SMTP with `[mail] smtp_url`, else the error log, so
//      that a local demo can follow its links) and its courier thread
//   3. the payment gateway: Stripe, or the built-in test gateway
//   4. Sessions                       (member store)
//   5. AccessService                  (meters, keys, crawlers; a member lookup
//                                      = Sessions + billing's entitlements)
//   6. MemberService                  (Sessions, AccessService for the meter
//                                      merge, outbox, password hasher)
//   7. BillingService                 (billing store, gateway, MemberService for
//                                      mail and accounts)
//   8. the web kit's CSRF guard       (keys in `secrets`, purpose "csrf")
// Keys for CSRF tokens and e-mail links live in the `secrets` table
// (purposes "csrf" and "email_link", made on first start when missing).
#pragma once

#include <memory>

#include "app/config.h"
#include "app/paywall_setup.h"
#include "base/clock.h"
#include "payments/test_gateway.h"
#include "readers/crawler_verifier.h"
#include "services/access_service.h"
#include "services/billing_service.h"
#include "services/member_service.h"
#include "services/sessions.h"
#include "store/sqlite/database.h"
#include "web/web_security.h"

namespace masthead::app {

inline constexpr const char* kCsrfKeys = "csrf";
inline constexpr const char* kEmailLinkKeys = "email_link";
inline constexpr const char* kFeedKeys = "private_feed";

struct ServicesParts;  // defined in services_setup.cpp

struct ServicesWiring {
  std::shared_ptr<store::sqlite::Database> db;
  paywall::MeterStore& meters;
  KeyKeeper& keys;
  readers::CrawlerVerifier* crawlers;
  const base::Clock& clock;
};

class Services {
 public:
  // Throws std::runtime_error naming the configuration key that is wrong.
  Services(const Config& config, ServicesWiring wiring);
  ~Services();

  services::AccessService& access();
  services::MemberService& members();
  services::BillingService& billing();
  const web::CsrfGuard& csrf() const;
  web::CookiePolicy cookies() const;
  // The test gateway when it is the configured one (its checkout pages).
  payments::TestGateway* test_gateway();
  // Purges expired sessions, used links and old login failures.
  void maintain();

 private:
  std::unique_ptr<ServicesParts> parts_;
};

// `[accounts] secure_cookies`, else whether the base URL is https://.
bool secure_cookies(const Config& config);

}  // namespace masthead::app
