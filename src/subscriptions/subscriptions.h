// Subscriptions: the pages where a reader chooses, pays for and manages a
// subscription — offers, subscribe, the test gateway's checkout, the
// confirmation after paying, cancel (with a confirmation step), resume and
// change plan — and Stripe's webhook.
//
// What it is. Thin HTML adapters over services::BillingService: each
// handler checks the form (web::checked_form) when it is a POST, asks the
// service one question, and renders its result with the web kit. What a
// subscription may do is the service's (and billing's) rule; what the
// words are is services/offer_words.h.
//
// Routes (add_subscription_routes):
//   GET  /offers                 active plans and their current offers (the paywall's
//                                first), a subscribe button with its price each; a
//                                subscriber is told they have access already
//   POST /subscribe              a free trial (granted here) or the gateway's checkout
//   GET  /subscribe/done         the confirmation: what was charged, the offer, the next
//                                renewal (a receipt goes by mail)
//   GET/POST /checkout/test/:id  the test gateway's checkout page (only when the app
//                                passes the test gateway)
//   POST /webhooks/stripe        Stripe's events (404 without a webhook secret)
//   GET  /account/cancel         "Cancel your subscription?" — the confirmation step
//   POST /account/cancel         cancel at period end; the account page and a mail say so
//   POST /account/resume, /account/plan
// POSTs that call the gateway run on http's blocking pool.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "http/router.h"
#include "payments/test_gateway.h"
#include "services/billing_service.h"
#include "services/member_service.h"
#include "web/page.h"

namespace masthead::subscriptions {

struct SubscriptionPages {
  const web::Kit& kit;
  services::BillingService& billing;
  const services::MemberService& members;
  payments::TestGateway* test_gateway = nullptr;  // its checkout pages, when it is the gateway
  services::Language default_language;            // for webhook receipts
};

void add_subscription_routes(http::Router& router, const SubscriptionPages& pages);

// The account page's subscription part (templates/account.html's
// `subscription`) for the signed-in reader.
boost::json::object account_section(const SubscriptionPages& pages, const web::Page& page,
                                    const services::SignedIn& who);

// The paywall's current offer in a language, for the wall under a metered
// article: "Digital monthly: Your first month for £1, then £9/month · Offer
// ends 31 January 2027" and the link to take it (/offers#offer-<code>).
struct WallOffer {
  std::string headline;
  std::string url;
};
std::optional<WallOffer> wall_offer(const services::BillingService& billing,
                                    const services::Language& language, base::TimePoint now);

}  // namespace masthead::subscriptions
