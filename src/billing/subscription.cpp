// See subscription.h. Every function here is pure: the instant is an
// argument, and nothing is read from a clock or a store.
#include "billing/subscription.h"

#include <algorithm>

namespace masthead::billing {

std::string_view state_name(SubscriptionState state) {
  switch (state) {
    case SubscriptionState::kTrialing:
      return "trialing";
    case SubscriptionState::kActive:
      return "active";
    case SubscriptionState::kPastDue:
      return "past_due";
    case SubscriptionState::kExpired:
      return "expired";
  }
  return "expired";
}

std::optional<SubscriptionState> parse_state(std::string_view text) {
  for (SubscriptionState s : {SubscriptionState::kTrialing, SubscriptionState::kActive,
                              SubscriptionState::kPastDue, SubscriptionState::kExpired})
    if (state_name(s) == text) return s;
  return std::nullopt;
}

namespace {

EffectiveState ended(const Subscription& s, base::TimePoint at) {
  EffectiveState e;
  e.state = SubscriptionState::kExpired;
  e.ended_at = at;
  e.trial_unconverted = s.trial_end.has_value() && !s.activated_at.has_value();
  return e;
}

EffectiveState holding(const Subscription& s, SubscriptionState state) {
  EffectiveState e;
  e.state = state;
  e.cancelling = s.cancel_at_period_end && state != SubscriptionState::kPastDue;
  return e;
}

// Past due since `since`: access until since + grace, or the period's end when cancelling.
EffectiveState past_due(const Subscription& s, base::TimePoint since, base::TimePoint now,
                        std::chrono::seconds grace) {
  base::TimePoint end = since + grace;
  if (s.cancel_at_period_end) end = std::min(end, s.current_period_end);
  if (now >= end) return ended(s, end);
  return holding(s, SubscriptionState::kPastDue);
}

}  // namespace

EffectiveState effective_state(const Subscription& s, base::TimePoint now,
                               std::chrono::seconds grace) {
  switch (s.state) {
    case SubscriptionState::kExpired:
      return ended(s, s.ended_at.value_or(s.current_period_end));
    case SubscriptionState::kTrialing: {
      const base::TimePoint end = s.trial_end.value_or(s.current_period_end);
      if (now >= end) return ended(s, end);
      return holding(s, SubscriptionState::kTrialing);
    }
    case SubscriptionState::kActive:
      if (now < s.current_period_end) return holding(s, SubscriptionState::kActive);
      if (s.cancel_at_period_end) return ended(s, s.current_period_end);
      return past_due(s, s.current_period_end, now, grace);
    case SubscriptionState::kPastDue:
      return past_due(s, s.past_due_since.value_or(s.current_period_end), now, grace);
  }
  return ended(s, now);
}

AccountHistory account_history(const std::vector<Subscription>& of_account) {
  AccountHistory h;
  for (const Subscription& s : of_account) {
    h.had_subscription = true;
    if (s.trial_end) h.had_trial = true;
  }
  return h;
}

Subscription trial_started(Subscription s, base::TimePoint start, base::TimePoint trial_end) {
  if (s.state == SubscriptionState::kExpired) return s;
  s.state = SubscriptionState::kTrialing;
  if (s.id == 0) s.started_at = start;
  s.current_period_start = start;
  s.current_period_end = std::max(start, trial_end);
  s.trial_end = s.current_period_end;
  s.ended_at.reset();
  return s;
}

Subscription checkout_completed(Subscription s, const Plan& plan, const std::optional<Offer>& offer,
                                base::TimePoint at, std::optional<BillingPeriod> period) {
  if (s.state == SubscriptionState::kExpired) return s;
  if (s.id == 0) s.started_at = at;
  s.plan_code = plan.code;
  if (offer) s.offer_code = offer->code;
  s.cancel_at_period_end = false;
  s.past_due_since.reset();
  s.ended_at.reset();
  if (offer && offer->kind == OfferKind::kTrial) {
    return trial_started(std::move(s), at, at + std::chrono::days(offer->trial_days));
  }
  const BillingPeriod p = period.value_or(BillingPeriod{at, add_intervals(at, plan.interval, 1)});
  s.state = SubscriptionState::kActive;
  s.current_period_start = p.start;
  s.current_period_end = std::max(p.start, p.end);
  if (!s.activated_at) s.activated_at = at;
  if (offer) s.intro_end = intro_end(*offer, plan, p.start);
  return s;
}

Subscription invoice_paid(Subscription s, BillingPeriod period) {
  if (s.state == SubscriptionState::kExpired) return s;
  s.current_period_start = period.start;
  s.current_period_end = std::max(period.start, period.end);
  s.past_due_since.reset();
  if (s.state == SubscriptionState::kTrialing && s.trial_end && period.end <= *s.trial_end)
    return s;  // the trial's own (discounted) invoice: still a trial
  s.state = SubscriptionState::kActive;
  if (!s.activated_at) s.activated_at = period.start;
  return s;
}

Subscription payment_failed(Subscription s, base::TimePoint at) {
  if (s.state == SubscriptionState::kExpired) return s;
  s.state = SubscriptionState::kPastDue;
  if (!s.past_due_since) s.past_due_since = at;
  return s;
}

Subscription subscription_updated(Subscription s, const SubscriptionSnapshot& snapshot,
                                  base::TimePoint at) {
  if (s.state == SubscriptionState::kExpired) return s;
  if (s.id == 0) s.started_at = snapshot.period ? std::min(at, snapshot.period->start) : at;
  if (!snapshot.plan_code.empty()) s.plan_code = snapshot.plan_code;
  if (snapshot.period) {
    s.current_period_start = snapshot.period->start;
    s.current_period_end = std::max(snapshot.period->start, snapshot.period->end);
  }
  if (snapshot.cancel_at_period_end) s.cancel_at_period_end = *snapshot.cancel_at_period_end;
  if (snapshot.trial_end) s.trial_end = snapshot.trial_end;
  s.state = snapshot.state;
  switch (snapshot.state) {
    case SubscriptionState::kTrialing:
      if (!s.trial_end) s.trial_end = s.current_period_end;
      s.past_due_since.reset();
      break;
    case SubscriptionState::kActive:
      if (!s.activated_at) s.activated_at = snapshot.period ? snapshot.period->start : at;
      s.past_due_since.reset();
      break;
    case SubscriptionState::kPastDue:
      if (!s.past_due_since) s.past_due_since = at;
      break;
    case SubscriptionState::kExpired:
      if (!s.ended_at) s.ended_at = at;
      break;
  }
  return s;
}

Subscription subscription_deleted(Subscription s, base::TimePoint at) {
  if (s.state == SubscriptionState::kExpired) return s;
  if (s.id == 0) s.started_at = at;
  s.state = SubscriptionState::kExpired;
  s.ended_at = at;
  return s;
}

base::Result<Subscription> cancel_at_period_end(Subscription s, base::TimePoint now,
                                                std::chrono::seconds grace) {
  const EffectiveState e = effective_state(s, now, grace);
  if (!e.grants_access()) return base::Error{"the subscription has already ended"};
  if (s.cancel_at_period_end)
    return base::Error{"the subscription is already cancelled at the end of its period"};
  s.cancel_at_period_end = true;
  return s;
}

base::Result<Subscription> resume(Subscription s, base::TimePoint now, std::chrono::seconds grace) {
  if (!effective_state(s, now, grace).grants_access())
    return base::Error{"the subscription has already ended; subscribe again"};
  if (!s.cancel_at_period_end) return base::Error{"the subscription is not cancelled"};
  s.cancel_at_period_end = false;
  return s;
}

base::Result<Subscription> change_plan(Subscription s, const Plan& plan, base::TimePoint now,
                                       std::chrono::seconds grace) {
  if (!effective_state(s, now, grace).grants_access())
    return base::Error{"the subscription has already ended; subscribe again"};
  if (s.plan_code == plan.code) return base::Error{"the subscription is already on this plan"};
  if (!plan.active) return base::Error{"plan '" + plan.code + "' is no longer offered"};
  s.plan_code = plan.code;
  return s;
}

}  // namespace masthead::billing
