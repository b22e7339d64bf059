// Entitlements: what an account's subscriptions grant at an instant, in the
// paywall's terms.
//
// What it is. The paywall's decide() takes a paywall::Entitlements: whether
// the reader has full access now, and when a trial or paid access ended (for
// the "Your trial period has expired" and "Your full access has expired"
// walls). entitlements_at() computes it from all of an account's
// subscriptions, the plans, `now` and the past-due grace period, via
// effective_state() (subscription.h); entitlement_set_at() gives the web /
// apps / print set for later use (apps, print fulfilment).
//
// Rules:
//   - active: some subscription's effective state grants access (trialing,
//     active, past due within grace) and its plan grants `web`. A plan code
//     the plans do not know grants `web` only: plans are never deleted, so
//     that is a broken database, and a paying reader keeps reading.
//   - subscription_expired_at: the latest end among expired subscriptions
//     that gave paid access (activated_at set).
//   - trial_expired_at: the latest end among expired trials never paid for,
//     not counting a trial the account converted through another
//     subscription (one activated while the trial ran, up to its end: a free
//     Masthead trial followed by a checkout).
// Expiry times are always <= now (effective_state ends things only at or
// before now), as decide() expects.
#pragma once

#include <chrono>
#include <vector>

#include "base/clock.h"
#include "billing/plan.h"
#include "billing/subscription.h"
#include "paywall/decision.h"

namespace masthead::billing {

paywall::Entitlements entitlements_at(const std::vector<Subscription>& of_account,
                                      const std::vector<Plan>& plans, base::TimePoint now,
                                      std::chrono::seconds grace);

// The union of the entitlement sets of the plans of subscriptions that grant
// access at `now` (an unknown plan: web only).
EntitlementSet entitlement_set_at(const std::vector<Subscription>& of_account,
                                  const std::vector<Plan>& plans, base::TimePoint now,
                                  std::chrono::seconds grace);

}  // namespace masthead::billing
