// BillingService: what a reader can subscribe to and what they can change —
// offers for a reader, subscribe, free trials, cancel, resume, change plan,
// the confirmation after paying, receipts, and the gateways' events — as
// use cases that return results, never pages.
//
// The key idea: nothing here writes a subscription, except a free trial.
// Checkout, cancel, resume and plan changes ASK the gateway; the gateway's
// events (Stripe's webhooks, the test gateway's synthesized ones) are
// applied by billing::apply_event(), the one path that changes state,
// exactly once and in order. A free trial offer is granted by Masthead with
// BillingStore::start_trial(), atomic per account (twenty parallel requests
// make one trial), and needs no payment details; a discounted trial goes
// through the gateway's checkout like any paid offer.
//
// Eligibility is asked before anything is started: the offer must be
// current, on the plan asked for, and billing::eligible() for the account's
// history; an account that already has access through a gateway
// subscription is told so instead of paying twice. A Masthead trial does
// not block a checkout: that is how a trial converts.
//
// Mails: a receipt when a checkout completes (paid through the test
// gateway, or Stripe's checkout event applied), and a confirmation when a
// cancellation is accepted. They go through the MemberService's outbox.
//
// Blocking: gateway calls may take seconds; callers run subscribe(),
// change() and the test payment off the io threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "billing/billing_store.h"
#include "billing/payment_gateway.h"
#include "paywall/decision.h"
#include "services/language.h"
#include "services/member_service.h"
#include "services/sessions.h"
#include "services/stripe_webhook.h"

namespace masthead::services {

struct BillingOptions {
  std::string publication;
  std::string base_url;                                    // no trailing slash
  std::chrono::seconds grace{std::chrono::hours(24 * 7)};  // past due keeps access this long
  std::string stripe_webhook_secret;                       // "whsec_..."; empty: no Stripe
};

// One offer as a reader may see it.
struct OfferChoice {
  billing::Offer offer;
  bool featured = false;  // the paywall's offer
  bool eligible = true;   // this reader may take it
  bool trial_used = false;
};
struct PlanChoice {
  billing::Plan plan;
  std::vector<OfferChoice> offers;  // the featured one first
};
struct OfferList {
  std::vector<PlanChoice> plans;  // active plans, by code
  bool subscribed = false;        // the reader has paid access already
};

struct Subscribed {
  enum class Outcome {
    kCheckout,            // send the reader to redirect_url
    kTrialStarted,        // a Masthead free trial is running
    kUnknown,             // no such active plan, or the offer is not current on it
    kAlreadySubscribed,   // paid access already
    kTrialUsed,           // trial once per reader
    kNewSubscribersOnly,  // the offer is for new subscribers
    kGatewayFailed,       // reason: the provider's sentence
  };
  Outcome outcome = Outcome::kUnknown;
  std::string redirect_url;
  std::string reason;
};

enum class ChangeKind { kCancel, kResume, kPlan };
struct Changed {
  enum class Outcome { kDone, kNoSubscription, kNotHere, kUnknownPlan, kRefused, kGatewayFailed };
  Outcome outcome = Outcome::kDone;
  std::string reason;  // kRefused: the rule's sentence; kGatewayFailed: the provider's
};

// What a new subscription took and what comes next: the confirmation page
// and the receipt.
struct Receipt {
  billing::Subscription subscription;
  billing::Plan plan;
  std::optional<billing::Offer> offer;
  std::int64_t charged_minor = 0;  // the first payment
  base::TimePoint next_renewal;    // when the next payment is due (or the trial ends)
  bool trial = false;
};

// An account's entitlements now, from its subscriptions and the plans (the
// AccessService's member lookup uses it before a BillingService exists).
paywall::Entitlements entitlements_of(const billing::BillingStore& billing, std::int64_t account_id,
                                      base::TimePoint now, std::chrono::seconds grace);

class BillingService {
 public:
  BillingService(BillingOptions options, billing::BillingStore& billing,
                 billing::PaymentGateway& gateway, MemberService& members,
                 const base::Clock& clock);

  const BillingOptions& options() const { return options_; }
  std::string_view gateway_name() const { return gateway_.name(); }

  paywall::Entitlements entitlements(std::int64_t account_id) const;
  std::vector<billing::Subscription> subscriptions_of(std::int64_t account_id) const;
  // The subscription the account page is about: one that gives access now
  // (a gateway's before a Masthead trial, then the newest), else the newest.
  std::optional<billing::Subscription> current_subscription(std::int64_t account_id) const;
  bool has_paid_access(std::int64_t account_id) const;
  std::vector<billing::Plan> plans() const;
  std::optional<billing::Plan> plan(std::string_view code) const;

  // Active plans and their current offers, with the reader's eligibility
  // when signed in.
  OfferList offers_for(const std::optional<SignedIn>& who) const;
  // The paywall's current offer and its plan; nothing when none is marked
  // or the marked one is not current.
  std::optional<std::pair<billing::Offer, billing::Plan>> wall_offer() const;

  Subscribed subscribe(const SignedIn& who, std::string_view plan_code, std::string_view offer_code,
                       const Language& language);
  Changed change(const SignedIn& who, ChangeKind kind, std::string_view plan_code,
                 const Language& language);

  // The newest subscription the account took through a checkout (or trial)
  // since `since`, for the confirmation page; nothing until its event came.
  std::optional<Receipt> latest_confirmation(std::int64_t account_id, base::TimePoint since) const;
  // Mails the receipt of the account's newest subscription.
  void send_receipt(std::int64_t account_id, const Language& language);

  // A Stripe webhook delivery; a completed checkout mails its receipt in
  // `language` (the publication's default).
  WebhookAnswer stripe_webhook(std::string_view signature_header, std::string_view body,
                               const Language& language);

 private:
  std::optional<Receipt> confirmation_of(const billing::Subscription& s) const;

  BillingOptions options_;
  billing::BillingStore& billing_;
  billing::PaymentGateway& gateway_;
  MemberService& members_;
  const base::Clock& clock_;
};

}  // namespace masthead::services
