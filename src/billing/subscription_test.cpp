// The subscription lifecycle: effective_state() at every boundary (trial end,
// period end, grace, all exactly), each transition, and the journeys of the
// issue walked with a fake clock.
#include "billing/subscription.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::billing {
namespace {

using namespace std::chrono_literals;
using State = SubscriptionState;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

constexpr std::chrono::seconds kGrace = 7 * 24h;
const base::TimePoint kStart = at("2026-11-18T07:30:00Z");
const base::TimePoint kTrialEnd = kStart + 14 * 24h;
const base::TimePoint kPeriodEnd = at("2026-12-18T07:30:00Z");

const Plan kMonthly{"digital-monthly",    "Digital", 2900, "USD", Interval::kMonth,
                    {true, false, false}, true};

Subscription identity() {
  Subscription s;
  s.id = 1;
  s.account_id = 7;
  s.plan_code = "digital-monthly";
  s.gateway = "test";
  s.gateway_subscription_id = "sub_1";
  return s;
}

Subscription trialing() {
  Subscription s = identity();
  s.id = 0;
  s = trial_started(s, kStart, kTrialEnd);
  s.id = 1;
  return s;
}

Subscription active() {
  Subscription s = identity();
  s.id = 0;
  s = checkout_completed(s, kMonthly, std::nullopt, kStart, std::nullopt);
  s.id = 1;
  return s;
}

std::string describe(const EffectiveState& e) {
  std::string out(state_name(e.state));
  if (e.ended_at) out += " at " + base::format_iso8601_utc(*e.ended_at);
  if (e.trial_unconverted) out += " (trial unconverted)";
  if (e.cancelling) out += " (cancelling)";
  return out;
}

TEST(EffectiveState, EveryBoundaryExactly) {
  Subscription cancelling = active();
  cancelling.cancel_at_period_end = true;
  Subscription past_due = payment_failed(active(), kPeriodEnd + 1h);
  Subscription past_due_cancelling = past_due;
  past_due_cancelling.cancel_at_period_end = true;
  past_due_cancelling.current_period_end = kPeriodEnd + 2 * 24h;
  Subscription deleted = subscription_deleted(active(), kStart + 3 * 24h);
  Subscription trial_cancelling = trialing();
  trial_cancelling.cancel_at_period_end = true;
  struct Row {
    const char* what;
    Subscription s;
    base::TimePoint now;
    std::string expected;
  };
  const Row rows[] = {
      {"trial, a second before its end", trialing(), kTrialEnd - 1s, "trialing"},
      {"trial, at its end exactly", trialing(), kTrialEnd,
       "expired at 2026-12-02T07:30:00Z (trial unconverted)"},
      {"trial, cancelling, before its end", trial_cancelling, kTrialEnd - 1s,
       "trialing (cancelling)"},
      {"active, a second before period end", active(), kPeriodEnd - 1s, "active"},
      {"active, not renewed at period end: past due", active(), kPeriodEnd, "past_due"},
      {"active, not renewed, grace - 1s", active(), kPeriodEnd + kGrace - 1s, "past_due"},
      {"active, not renewed, grace exactly", active(), kPeriodEnd + kGrace,
       "expired at 2026-12-25T07:30:00Z"},
      {"cancelling, before period end", cancelling, kPeriodEnd - 1s, "active (cancelling)"},
      {"cancelling, at period end exactly", cancelling, kPeriodEnd,
       "expired at 2026-12-18T07:30:00Z"},
      {"past due, within grace", past_due, kPeriodEnd + 1h + kGrace - 1s, "past_due"},
      {"past due, grace exactly", past_due, kPeriodEnd + 1h + kGrace,
       "expired at 2026-12-25T08:30:00Z"},
      {"past due and cancelling: the period end comes first", past_due_cancelling,
       kPeriodEnd + 2 * 24h, "expired at 2026-12-20T07:30:00Z"},
      {"deleted", deleted, kStart + 3 * 24h, "expired at 2026-11-21T07:30:00Z"},
      {"deleted: an ended subscription stays ended", deleted, kStart,
       "expired at 2026-11-21T07:30:00Z"},
  };
  for (const Row& row : rows)
    EXPECT_EQ(describe(effective_state(row.s, row.now, kGrace)), row.expected) << row.what;
  // No grace: past due is expired at once.
  EXPECT_EQ(effective_state(past_due, kPeriodEnd + 1h, 0s).state, State::kExpired);
}

TEST(Transitions, EachFactMovesTheSubscription) {
  const BillingPeriod next{kPeriodEnd, at("2027-01-18T07:30:00Z")};
  struct Row {
    const char* what;
    Subscription result;
    State state;
    base::TimePoint period_end;
    bool activated;
  };
  Offer trial_offer;
  trial_offer.code = "two-weeks";
  trial_offer.plan_code = "digital-monthly";
  trial_offer.kind = OfferKind::kTrial;
  trial_offer.trial_days = 14;
  Subscription fresh = identity();
  fresh.id = 0;
  const Row rows[] = {
      {"trial started", trialing(), State::kTrialing, kTrialEnd, false},
      {"checkout", active(), State::kActive, kPeriodEnd, true},
      {"checkout with a trial offer", checkout_completed(fresh, kMonthly, trial_offer, kStart, {}),
       State::kTrialing, kTrialEnd, false},
      {"trial converted by a paid invoice",
       invoice_paid(trialing(), {kTrialEnd, kTrialEnd + 30 * 24h}), State::kActive,
       kTrialEnd + 30 * 24h, true},
      {"the trial's own invoice keeps it a trial", invoice_paid(trialing(), {kStart, kTrialEnd}),
       State::kTrialing, kTrialEnd, false},
      {"renewal paid", invoice_paid(active(), next), State::kActive, next.end, true},
      {"payment failed", payment_failed(active(), kPeriodEnd), State::kPastDue, kPeriodEnd, true},
      {"past due, then paid", invoice_paid(payment_failed(active(), kPeriodEnd), next),
       State::kActive, next.end, true},
      {"deleted", subscription_deleted(active(), kStart + 1h), State::kExpired, kPeriodEnd, true},
      {"ended stays ended: paid", invoice_paid(subscription_deleted(active(), kStart), next),
       State::kExpired, kPeriodEnd, true},
      {"ended stays ended: updated",
       subscription_updated(subscription_deleted(active(), kStart),
                            {State::kActive, next, {}, {}, ""}, kStart + 1h),
       State::kExpired, kPeriodEnd, true},
      {"snapshot: active in a new period",
       subscription_updated(trialing(), {State::kActive, next, {}, false, ""}, kPeriodEnd),
       State::kActive, next.end, true},
      {"snapshot: past due",
       subscription_updated(active(), {State::kPastDue, {}, {}, {}, ""}, kPeriodEnd),
       State::kPastDue, kPeriodEnd, true},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(row.result.state, row.state) << row.what;
    EXPECT_EQ(row.result.current_period_end, row.period_end) << row.what;
    EXPECT_EQ(row.result.activated_at.has_value(), row.activated) << row.what;
  }
  const Subscription failed_twice =
      payment_failed(payment_failed(active(), kPeriodEnd), kPeriodEnd + 3 * 24h);
  EXPECT_EQ(failed_twice.past_due_since, kPeriodEnd);  // the first failure of the stretch
  EXPECT_FALSE(invoice_paid(failed_twice, next).past_due_since);
  const Subscription moved =
      subscription_updated(active(), {State::kActive, {}, {}, true, "digital-yearly"}, kStart + 1h);
  EXPECT_EQ(moved.plan_code, "digital-yearly");
  EXPECT_TRUE(moved.cancel_at_period_end);
}

TEST(Transitions, CheckoutWithAnIntroOfferRecordsTheIntroEnd) {
  Offer intro;
  intro.code = "winter";
  intro.plan_code = "digital-monthly";
  intro.kind = OfferKind::kIntroPrice;
  intro.intro_price_minor = 900;
  intro.intro_intervals = 3;
  Subscription fresh = identity();
  fresh.id = 0;
  const Subscription s = checkout_completed(fresh, kMonthly, intro, kStart, std::nullopt);
  EXPECT_EQ(s.offer_code, "winter");
  EXPECT_EQ(s.intro_end, at("2027-02-18T07:30:00Z"));
  EXPECT_EQ(s.current_period_start, kStart);
  EXPECT_EQ(s.current_period_end, kPeriodEnd);
  EXPECT_EQ(s.started_at, kStart);
  // A period the gateway reports wins over the computed one.
  const BillingPeriod given{kStart, kStart + 30 * 24h};
  EXPECT_EQ(checkout_completed(fresh, kMonthly, intro, kStart, given).current_period_end,
            given.end);
}

TEST(Transitions, ReaderRequestsAreRefusedWhenTheStateForbidsThem) {
  const Plan yearly{"digital-yearly",     "Yearly", 29000, "USD", Interval::kYear,
                    {true, false, false}, true};
  Plan retired = yearly;
  retired.active = false;
  struct Row {
    const char* what;
    base::Result<Subscription> result;
    const char* error;  // nullptr: allowed
  };
  Subscription cancelling = active();
  cancelling.cancel_at_period_end = true;
  const Row rows[] = {
      {"cancel", cancel_at_period_end(active(), kStart + 1h, kGrace), nullptr},
      {"cancel twice", cancel_at_period_end(cancelling, kStart + 1h, kGrace), "already cancelled"},
      {"cancel after the end", cancel_at_period_end(cancelling, kPeriodEnd, kGrace),
       "already ended"},
      {"resume before period end", resume(cancelling, kPeriodEnd - 1s, kGrace), nullptr},
      {"resume at period end", resume(cancelling, kPeriodEnd, kGrace), "already ended"},
      {"resume when not cancelling", resume(active(), kStart + 1h, kGrace), "not cancelled"},
      {"change plan", change_plan(active(), yearly, kStart + 1h, kGrace), nullptr},
      {"change to the same plan", change_plan(active(), kMonthly, kStart + 1h, kGrace),
       "already on"},
      {"change to a retired plan", change_plan(active(), retired, kStart + 1h, kGrace),
       "no longer"},
      {"change after the end", change_plan(cancelling, yearly, kPeriodEnd, kGrace),
       "already ended"},
  };
  for (const Row& row : rows) {
    if (row.error == nullptr) {
      EXPECT_TRUE(row.result) << row.what;
    } else {
      ASSERT_FALSE(row.result) << row.what;
      EXPECT_NE(row.result.error().message.find(row.error), std::string::npos)
          << row.what << ": " << row.result.error().message;
    }
  }
  EXPECT_TRUE(cancel_at_period_end(active(), kStart, kGrace)->cancel_at_period_end);
  EXPECT_FALSE(resume(cancelling, kStart, kGrace)->cancel_at_period_end);
  EXPECT_EQ(change_plan(active(), yearly, kStart, kGrace)->plan_code, "digital-yearly");
}

// The journeys of the issue, with a clock that moves.
TEST(Lifecycle, TrialToActive) {
  base::FakeClock clock(kStart);
  Subscription s = trialing();
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kTrialing);
  clock.set(kTrialEnd);
  s = invoice_paid(s, {kTrialEnd, add_intervals(kTrialEnd, Interval::kMonth, 1)});
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kActive);
  clock.advance(20 * 24h);
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kActive);
}

TEST(Lifecycle, TrialToExpired) {
  base::FakeClock clock(kStart);
  const Subscription s = trialing();
  clock.set(kTrialEnd - 1s);
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kTrialing);
  clock.advance(1s);
  const EffectiveState e = effective_state(s, clock.now(), kGrace);
  EXPECT_EQ(e.state, State::kExpired);
  EXPECT_TRUE(e.trial_unconverted);
  EXPECT_EQ(e.ended_at, kTrialEnd);
}

TEST(Lifecycle, PastDueToActive) {
  base::FakeClock clock(kPeriodEnd);
  Subscription s = payment_failed(active(), clock.now());
  clock.advance(3 * 24h);
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kPastDue);
  s = invoice_paid(s, {kPeriodEnd, at("2027-01-18T07:30:00Z")});
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kActive);
  clock.advance(kGrace);  // the old grace would have ended by now
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kActive);
}

TEST(Lifecycle, PastDueToExpired) {
  base::FakeClock clock(kPeriodEnd);
  const Subscription s = payment_failed(active(), clock.now());
  clock.advance(kGrace - 1s);
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kPastDue);
  clock.advance(1s);
  const EffectiveState e = effective_state(s, clock.now(), kGrace);
  EXPECT_EQ(e.state, State::kExpired);
  EXPECT_FALSE(e.trial_unconverted);
}

TEST(Lifecycle, CancelThenPeriodEndThenExpired) {
  base::FakeClock clock(kStart + 24h);
  const Subscription s = cancel_at_period_end(active(), clock.now(), kGrace).value();
  EXPECT_EQ(describe(effective_state(s, clock.now(), kGrace)), "active (cancelling)");
  clock.set(kPeriodEnd - 1s);
  EXPECT_EQ(effective_state(s, clock.now(), kGrace).state, State::kActive);
  clock.set(kPeriodEnd);
  EXPECT_EQ(describe(effective_state(s, clock.now(), kGrace)), "expired at 2026-12-18T07:30:00Z");
  EXPECT_FALSE(resume(s, clock.now(), kGrace));
}

TEST(AccountHistory, TrialsAndSubscriptionsCount) {
  EXPECT_TRUE(account_history({}).is_new());
  const AccountHistory after_trial = account_history({trialing()});
  EXPECT_TRUE(after_trial.had_trial);
  EXPECT_TRUE(after_trial.had_subscription);
  const AccountHistory paid = account_history({active()});
  EXPECT_FALSE(paid.had_trial);
  EXPECT_FALSE(paid.is_new());
  EXPECT_EQ(parse_state("past_due"), State::kPastDue);
  EXPECT_EQ(parse_state("cancelled"), std::nullopt);
}

}  // namespace
}  // namespace masthead::billing
