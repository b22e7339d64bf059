// Subscriptions: an account's access to a plan, its lifecycle as pure
// functions, and what holds at an instant.
//
// What it is. A Subscription is one row per gateway subscription (or per
// trial Masthead grants itself, gateway ""): the account, the plan, the
// offer it was taken with, the current period, and the facts the gateways
// reported. Its `state` is the state as last RECORDED; what holds now is
// effective_state(subscription, now, grace), because time alone ends things
// and nothing runs at midnight to flip rows:
//
//   recorded     effective at `now`
//   kTrialing    kExpired at trial_end (exactly: the trial is [start, trial_end)), unless
//                converted (a payment turns it kActive first)
//   kActive      kActive before current_period_end; at current_period_end: kExpired if
//                cancel_at_period_end, else not renewed yet = kPastDue since period end
//   kPastDue     kPastDue before since + grace (access kept), kExpired at since + grace
//                exactly (since = past_due_since, else current_period_end); with
//                cancel_at_period_end it ends at min(period end, since + grace)
//   kExpired     kExpired at ended_at (else at current_period_end)
//
// "Cancelled at period end" is not a state: it is kActive (or kTrialing) with
// cancel_at_period_end, which resume() clears before the period ends.
//
// The key idea: transitions are functions from a subscription and a fact to a
// subscription, the same for every gateway; apply_event() (payment_event.h)
// maps gateway events onto them and the store persists the result. Recorded
// kExpired is terminal: no later fact revives an ended subscription (a new
// checkout makes a new one). Transitions a reader asks for (cancel, resume,
// change plan) return a Result and refuse with a sentence when the effective
// state does not allow them; the web layer asks them before calling the
// gateway, and the gateway's event then records the change.
//
// Invariants: current_period_start <= current_period_end; trial_end is set
// iff the subscription began as a trial; activated_at is set iff it ever gave
// paid access (checkout without trial, a paid invoice after a trial), which is
// what tells "trial expired" from "subscription expired"; updated_by_event_at
// only grows (apply_event skips older events).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "billing/offer.h"
#include "billing/plan.h"

namespace masthead::billing {

enum class SubscriptionState { kTrialing, kActive, kPastDue, kExpired };

// "trialing", "active", "past_due", "expired", and back.
std::string_view state_name(SubscriptionState state);
std::optional<SubscriptionState> parse_state(std::string_view text);

struct Subscription {
  std::int64_t id = 0;  // the store's; 0 until stored
  std::int64_t account_id = 0;
  std::string plan_code;
  std::optional<std::string> offer_code;  // the offer it was taken with
  std::string gateway;                    // "stripe", "test"; "" = a trial granted by Masthead
  std::string gateway_customer_id;        // "" when unknown or no gateway
  std::string gateway_subscription_id;    // unique per gateway; "" when no gateway
  SubscriptionState state = SubscriptionState::kActive;  // as recorded (see effective_state)
  base::TimePoint started_at;
  base::TimePoint current_period_start;
  base::TimePoint current_period_end;
  std::optional<base::TimePoint> trial_end;  // began as a trial, ending here
  std::optional<base::TimePoint> intro_end;  // the offer's intro price applies until here
  bool cancel_at_period_end = false;
  std::optional<base::TimePoint> past_due_since;       // first failed payment of this stretch
  std::optional<base::TimePoint> activated_at;         // first paid access
  std::optional<base::TimePoint> ended_at;             // recorded end (deleted by the gateway)
  std::optional<base::TimePoint> updated_by_event_at;  // created_at of the last applied event
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

struct EffectiveState {
  SubscriptionState state = SubscriptionState::kExpired;
  std::optional<base::TimePoint> ended_at;  // set iff kExpired: when access ended
  bool trial_unconverted = false;           // kExpired, and it was a trial never paid for
  bool cancelling = false;                  // kTrialing/kActive with cancel_at_period_end
  bool grants_access() const { return state != SubscriptionState::kExpired; }
  friend bool operator==(const EffectiveState&, const EffectiveState&) = default;
};

// What holds at `now` (table above). `grace` >= 0 is the past-due grace
// period from the configuration.
EffectiveState effective_state(const Subscription& s, base::TimePoint now,
                               std::chrono::seconds grace);

// An account's history for offer eligibility: any subscription counts, a
// trial is any subscription with trial_end.
AccountHistory account_history(const std::vector<Subscription>& of_account);

// --- Transitions: facts from a gateway (always applied, except to a recorded kExpired
// subscription, which they return unchanged). `s` carries the identity fields; for a new
// subscription the rest is filled in here.

// A trial from `start` to `trial_end`.
Subscription trial_started(Subscription s, base::TimePoint start, base::TimePoint trial_end);

// Checkout paid (or, for a trial offer, a trial begun) at `at`. Without a
// trial: kActive, activated_at = at, the period given or [at, at + one
// interval), intro_end from an intro-price offer. With a trial offer: kTrialing
// until at + trial_days.
struct BillingPeriod {
  base::TimePoint start;
  base::TimePoint end;
  friend bool operator==(const BillingPeriod&, const BillingPeriod&) = default;
};
Subscription checkout_completed(Subscription s, const Plan& plan, const std::optional<Offer>& offer,
                                base::TimePoint at, std::optional<BillingPeriod> period);

// A paid invoice for `period`: kActive in it, past due cleared, a trial
// converted. An invoice that only covers the trial (period.end <= trial_end)
// keeps a trial trialing.
Subscription invoice_paid(Subscription s, BillingPeriod period);

// A failed payment at `at`: kPastDue since the first failure of the stretch.
Subscription payment_failed(Subscription s, base::TimePoint at);

// The gateway's full picture of the subscription at `at` (Stripe's
// customer.subscription.* objects): the recorded state becomes `state`, with
// the fields that go with it.
struct SubscriptionSnapshot {
  SubscriptionState state = SubscriptionState::kActive;
  std::optional<BillingPeriod> period;
  std::optional<base::TimePoint> trial_end;
  std::optional<bool> cancel_at_period_end;
  std::string plan_code;  // "" = unchanged
};
Subscription subscription_updated(Subscription s, const SubscriptionSnapshot& snapshot,
                                  base::TimePoint at);

// Ended by the gateway at `at` (deleted, cancelled now): kExpired, ended_at = at.
Subscription subscription_deleted(Subscription s, base::TimePoint at);

// --- Transitions a reader asks for; refused with a sentence when the
// effective state at `now` does not allow them.

// Ends at the period's end (a trial: at trial end). Refused when expired or
// already cancelling.
base::Result<Subscription> cancel_at_period_end(Subscription s, base::TimePoint now,
                                                std::chrono::seconds grace);
// Undoes cancel_at_period_end before the period ends. Refused when not
// cancelling or already expired.
base::Result<Subscription> resume(Subscription s, base::TimePoint now, std::chrono::seconds grace);
// Moves to `plan` (active plans only; the offer, if any, stays). Refused
// when expired, the same plan, or the plan is inactive.
base::Result<Subscription> change_plan(Subscription s, const Plan& plan, base::TimePoint now,
                                       std::chrono::seconds grace);

}  // namespace masthead::billing
