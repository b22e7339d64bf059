// Payment events: what a gateway tells Masthead about a subscription, in one
// gateway-neutral shape, and apply_event(), the one code path that turns them
// into subscription state for every gateway (Stripe webhooks, the built-in
// test gateway).
//
// What it is. A PaymentEvent is a fact with an id and a creation time:
// checkout completed, trial started, subscription updated (a full snapshot:
// status, period, cancel flag, plan), subscription deleted, invoice paid
// (a period paid for), invoice payment failed. stripe_events.h parses
// Stripe's JSON into it; the test gateway builds it directly.
//
// apply_event(store, event, now) is exactly-once, out-of-order safe and
// atomic, by construction rather than by care:
//   - idempotent: the store records (gateway, id) in the same transaction as
//     the change; a replay is a duplicate and changes nothing;
//   - atomic: the event record and the subscription writes commit together
//     (BillingStore::apply); a failure midway leaves neither, and the
//     gateway's retry applies the event once;
//   - out of order: an event created strictly before the subscription's
//     updated_by_event_at changes nothing (outcome kStale) but is recorded as
//     processed. Events of the same second apply in arrival order (Stripe's
//     `created` has whole seconds; the snapshots make that converge).
//
// Matching. An event belongs to the subscription with its (gateway,
// gateway_subscription_id). When there is none yet, the event creates it if
// it names an account (account_id, else the account of a known gateway
// customer) and a plan Masthead knows; otherwise it is recorded as
// kUnmatched. So a gateway's checkout must carry the account id and plan code
// on the subscription itself (Stripe: subscription_data.metadata), so that
// whichever event arrives first can create the row.
//
// Trials: a subscription created in kTrialing records the account's trial
// (BillingStore's once-per-reader record) in the same transaction; a trial
// the gateway reports is a fact and is stored even if the account had one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "billing/billing_store.h"
#include "billing/subscription.h"

namespace masthead::billing {

enum class PaymentEventType {
  kCheckoutCompleted,     // a checkout finished: a new subscription (or trial, for a trial offer)
  kTrialStarted,          // a trial began (period = the trial)
  kSubscriptionUpdated,   // the gateway's full picture (created or updated)
  kSubscriptionDeleted,   // ended now
  kInvoicePaid,           // `period` is paid for
  kInvoicePaymentFailed,  // a payment failed: past due
};

// "checkout_completed", "trial_started", ...; and back.
std::string_view event_type_name(PaymentEventType type);
std::optional<PaymentEventType> parse_event_type(std::string_view text);

struct PaymentEvent {
  std::string gateway;  // "stripe", "test"
  std::string id;       // the gateway's event id; unique per gateway
  base::TimePoint created_at;
  PaymentEventType type = PaymentEventType::kSubscriptionUpdated;
  std::optional<std::int64_t> account_id;  // when the gateway carries it (metadata)
  std::string customer_id;                 // the gateway's customer
  std::string subscription_id;             // the gateway's subscription (required)
  std::string plan_code;                   // "" = not said
  std::string offer_code;                  // "" = none
  std::optional<BillingPeriod> period;     // current period (trial: the trial)
  std::optional<base::TimePoint> trial_end;
  std::optional<SubscriptionState> status;  // kSubscriptionUpdated: required
  std::optional<bool> cancel_at_period_end;
};

// Applies `event` through store.apply() (see above). `now` is recorded as the
// time it was received. Exceptions from the store propagate (nothing was
// written); the caller answers the gateway with an error so that it retries.
ApplyResult apply_event(BillingStore& store, const PaymentEvent& event, base::TimePoint now);

// The mutation apply_event() runs, for stores' tests and for callers that
// need it inside their own transaction.
EventResult apply_event_in(BillingTransaction& tx, const PaymentEvent& event);

}  // namespace masthead::billing
