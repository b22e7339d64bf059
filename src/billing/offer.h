// Offers: dated deals on a plan — an introductory price or a trial — and
// which of them a reader is shown and may take.
//
// What it is. An Offer belongs to one plan and is one of two kinds:
//   - kIntroPrice: `intro_price_minor` per interval for the first
//     `intro_intervals` intervals, then the plan's price ("3 months for $9,
//     then $29/month": intro_price_minor 900, intro_intervals 3);
//   - kTrial: `trial_days` days of access for `intro_price_minor` in total
//     (0: a free trial), then the plan's price unless cancelled.
// It is current in [starts_at, ends_at): shown from starts_at, gone at
// ends_at exactly. At most one offer is marked `paywall`: the one the paywall
// promotes (BillingStore::set_paywall_offer keeps it at most one).
//
// The key idea: every question takes `now`. Nothing is switched off when an
// offer ends; an expired offer simply stops being current, so it disappears
// from readers' pages by itself, and an expired paywall offer means no
// paywall offer (paywall_offer() returns nothing, it does not fall back to
// another offer: the newsroom chooses what the paywall says).
//
// Eligibility. `new_subscribers_only`: an account that has ever had a
// subscription or a trial is not new (AccountHistory, from its
// subscriptions). A trial offer is never open to an account that has had a
// trial, whatever the flag says: trials are once per reader (the store
// enforces that atomically, BillingStore::start_trial).
//
// Invariants (validate()): slugs for code and plan; kIntroPrice has 1-36
// intro intervals and trial_days 0; kTrial has 1-365 trial days and
// intro_intervals 0; the price is >= 0; starts_at < ends_at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "billing/plan.h"

namespace masthead::billing {

enum class OfferKind { kIntroPrice, kTrial };

// "intro_price" / "trial", and back.
std::string_view offer_kind_name(OfferKind kind);
std::optional<OfferKind> parse_offer_kind(std::string_view text);

struct Offer {
  std::string code;       // slug, the offer's identity: "winter-2026"
  std::string plan_code;  // the plan it discounts (same currency)
  OfferKind kind = OfferKind::kIntroPrice;
  std::int64_t intro_price_minor = 0;  // per intro interval (kIntroPrice) or for the trial (kTrial)
  int intro_intervals = 0;             // kIntroPrice only
  int trial_days = 0;                  // kTrial only
  base::TimePoint starts_at;           // current from here...
  base::TimePoint ends_at;             // ...until just before here
  bool new_subscribers_only = true;
  bool paywall = false;  // THE paywall's offer (at most one offer is marked)
  friend bool operator==(const Offer&, const Offer&) = default;
};

// What eligibility needs to know about an account (account_history() in
// subscription.h computes it from the account's subscriptions).
struct AccountHistory {
  bool had_subscription = false;  // any subscription, paid or trial, in any state
  bool had_trial = false;
  bool is_new() const { return !had_subscription && !had_trial; }
};

// starts_at <= now < ends_at.
bool is_current(const Offer& offer, base::TimePoint now);

// Whether an account with `history` may take `offer` (currency not checked:
// ask is_current() too, and whether the plan is active).
bool eligible(const Offer& offer, const AccountHistory& history);

// The current offers among `all`, in the order given.
std::vector<Offer> current_offers(const std::vector<Offer>& all, base::TimePoint now);

// The offer marked `paywall`, if it is current; nothing otherwise (also when
// the marked one has expired). Should several be marked (a store bug), the
// current one that started last wins, ties by code.
std::optional<Offer> paywall_offer(const std::vector<Offer>& all, base::TimePoint now);

// When the intro price ends for a subscription that starts at `start` with
// this offer (start + intro_intervals of the plan's interval); nullopt for a
// trial offer.
std::optional<base::TimePoint> intro_end(const Offer& offer, const Plan& plan,
                                         base::TimePoint start);

// Every problem with `offer`, as sentences; empty when it may be stored.
// validate(offer, plan) also checks that the offer names that plan and that
// the intro price is below the plan's price.
std::vector<std::string> validate(const Offer& offer);
std::vector<std::string> validate(const Offer& offer, const Plan& plan);

}  // namespace masthead::billing
