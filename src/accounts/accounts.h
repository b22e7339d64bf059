// Accounts: the reader's own pages — registration, login, e-mail links,
// the account page, offers, checkout and the payment gateways' webhooks.
//
// What it is. The web layer over members/ (accounts, sessions, links,
// throttling), billing/ (plans, offers, subscriptions, events), payments/
// (gateways) and mail/ (the outbox). Handlers are plain functions of a
// request, registered on the http::Router by add_auth_routes() (auth.cpp:
// register, confirm, login, logout, reset, account management, export,
// delete) and add_billing_routes() (billing_pages.cpp: offers, subscribe,
// the test gateway's checkout, Stripe webhooks, cancel / resume / change
// plan). This header is what both share: the Services they use, the
// options, who is signed in, and small helpers for pages and forms.
//
// The rules every handler keeps (OWASP ASVS 4.0.3 level 2, see README.md):
//  - no state change on GET; every POST passes CsrfGuard::verify and
//    same_origin() or gets 403 and changes nothing;
//  - pages that show or depend on the account are `Cache-Control: no-store`;
//  - a new session token at login, old ones dropped at logout and password
//    change; `?next=` goes through safe_next();
//  - unknown e-mail and wrong password get the same response (and the same
//    argon2id work, PasswordHasher::verify_against_dummy);
//  - forms work without JavaScript and are labelled (templates/form.html).
//
// Frames: the pages use the site's chrome (header, menu, footer) in the
// reader's language; the app passes a FrameSource that asks site::Site, so
// this module does not depend on site.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/web_security.h"
#include "base/clock.h"
#include "billing/billing_store.h"
#include "billing/payment_gateway.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "mail/outbox.h"
#include "members/member_store.h"
#include "members/password.h"
#include "members/session.h"
#include "members/throttle.h"
#include "paywall/decision.h"
#include "paywall/meter_store.h"
#include "render/date_format.h"
#include "render/message_catalog.h"
#include "render/template_set.h"

namespace masthead::accounts {

// The site's chrome for a page, in the reader's language.
struct Frame {
  boost::json::object context;  // site, page, t
  const render::MessageCatalog* messages = nullptr;
  const render::DateFormatter* dates = nullptr;
  std::string locale;  // "en-GB", "ja-JP"
};
using FrameSource =
    std::function<Frame(const http::Request&, std::string title, std::string canonical_path)>;

struct AccountsOptions {
  std::string publication;  // site.name
  std::string base_url;     // "https://news.example.org", no trailing slash
  members::SessionPolicy sessions;
  members::ThrottlePolicy throttle;
  std::chrono::seconds grace{std::chrono::hours(24 * 7)};  // past due keeps access this long
  std::string gateway = "test";                            // "test" or "stripe"
  std::string stripe_webhook_secret;                       // "whsec_..."; empty: no Stripe
};

struct Services {
  members::MemberStore& members;
  billing::BillingStore& billing;
  paywall::MeterStore& meters;
  mail::Outbox& outbox;
  std::function<void()> mail_ready;  // wakes the courier after enqueue
  billing::PaymentGateway& gateway;  // the configured one (test or Stripe)
  const render::TemplateSet& templates;
  FrameSource frame;
  const base::Clock& clock;
  const CsrfGuard& csrf;
  CookiePolicy cookies;
  const members::PasswordHasher& hasher;
  // Keys that sign e-mail links (members/email_token.h); the first signs.
  std::vector<std::string> link_keys;
  // Signing in: the anonymous reader's meter of this period joins the
  // account's (site::PaywallGate::merge_anonymous_meter).
  std::function<void(const http::Request&, std::string_view account_reader_key)> merge_meter;
  // Where a request comes from, for login throttling per address (the app
  // passes readers::client_address behind its trusted proxies). Empty: the
  // connection's peer address.
  std::function<std::string(const http::Request&)> client_address = {};
};

// "acct:<id>": an account's meter key.
std::string account_reader_key(std::int64_t account_id);

// The session cookie's name under `cookies` ("__Host-session" / "session").
std::string session_cookie_name(const CookiePolicy& cookies);

// Who is signed in: the request's session cookie names a stored session
// that is neither idle- nor absolutely-expired, of an existing account.
// Touches the session (at most once a minute). Expired sessions are deleted.
struct SignedIn {
  members::Account account;
  members::Session session;
};
std::optional<SignedIn> signed_in(const Services& services, const AccountsOptions& options,
                                  const http::Request& request);

// The paywall's view of an account's subscriptions now.
paywall::Entitlements entitlements_of(const Services& services, const AccountsOptions& options,
                                      std::int64_t account_id);

// An HTML page: the frame's context plus `page_context`, rendered with
// `template_name`, `Cache-Control: no-store`. `set_cookies` are sent as is.
http::Response render_page(const Services& services, Frame frame, std::string_view template_name,
                           const boost::json::object& page_context, int status = 200,
                           const std::vector<std::string>& set_cookies = {});

// The form posted: parsed, CSRF- and Origin-checked. On failure the
// response to send (400/403/415), and nothing may change.
struct CheckedForm {
  std::optional<http::Form> form;
  http::Response refusal;
};
CheckedForm checked_form(const Services& services, const AccountsOptions& options,
                         const http::Request& request);

// The subscription section of /account (templates/account.html's
// `subscription`: heading, state, detail, forms, offers_url, offers_label),
// for the signed-in reader, with `csrf` for its forms. billing_pages.cpp.
boost::json::object subscription_section(const Services& services, const AccountsOptions& options,
                                         const SignedIn& who, const Frame& frame,
                                         const CsrfGuard::Token& csrf);

// The paywall's current offer in the reader's language, for the wall under a
// metered article: "Your first month for £1, then £9/month · Offer ends
// January 31" and the link to take it (/offers#offer-<code>). Nothing when no
// offer is marked for the paywall or the marked one is not current.
struct WallOffer {
  std::string headline;
  std::string url;
};
std::optional<WallOffer> current_wall_offer(const Services& services,
                                            const render::MessageCatalog& messages,
                                            const render::DateFormatter& dates,
                                            std::string_view locale);

void add_auth_routes(http::Router& router, Services& services, const AccountsOptions& options);
void add_billing_routes(http::Router& router, Services& services, const AccountsOptions& options);

}  // namespace masthead::accounts
