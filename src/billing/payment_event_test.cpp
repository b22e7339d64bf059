// apply_event(): the journeys through gateway events, replays (same event
// twice = one change), out-of-order delivery (older events never overwrite
// newer state, and are recorded), events that match nothing, and a failure
// midway that a retry applies exactly once. Against MemoryBillingStore; the
// conformance suite repeats the essentials against every store.
#include "billing/payment_event.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"
#include "billing/entitlements.h"
#include "billing/testing/memory_billing_store.h"

namespace masthead::billing {
namespace {

using namespace std::chrono_literals;
using State = SubscriptionState;
using testing::FaultyBillingStore;
using testing::MemoryBillingStore;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

constexpr std::chrono::seconds kGrace = 3 * 24h;
const base::TimePoint kT0 = at("2026-11-18T07:30:00Z");
const BillingPeriod kFirst{kT0, at("2026-12-18T07:30:00Z")};
const BillingPeriod kSecond{kFirst.end, at("2027-01-18T07:30:00Z")};

class ApplyEventTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store.put_plan(
        {"digital-monthly", "Digital", 2900, "USD", Interval::kMonth, {true, false, false}, true});
    store.put_plan({"digital-yearly",
                    "Digital yearly",
                    29000,
                    "USD",
                    Interval::kYear,
                    {true, true, false},
                    true});
    Offer winter;
    winter.code = "winter";
    winter.plan_code = "digital-monthly";
    winter.intro_price_minor = 900;
    winter.intro_intervals = 3;
    winter.starts_at = at("2026-11-01T00:00:00Z");
    winter.ends_at = at("2027-02-01T00:00:00Z");
    ASSERT_TRUE(store.put_offer(winter));
  }

  // An event of `type` about sub_1 of account 7 (customer cus_7), created at `created`.
  static PaymentEvent event(std::string id, PaymentEventType type, base::TimePoint created) {
    PaymentEvent e;
    e.gateway = "stripe";
    e.id = std::move(id);
    e.type = type;
    e.created_at = created;
    e.account_id = 7;
    e.customer_id = "cus_7";
    e.subscription_id = "sub_1";
    e.plan_code = "digital-monthly";
    return e;
  }
  static PaymentEvent updated(std::string id, base::TimePoint created, State status,
                              std::optional<bool> cancel = std::nullopt) {
    PaymentEvent e = event(std::move(id), PaymentEventType::kSubscriptionUpdated, created);
    e.status = status;
    e.period = kFirst;
    e.cancel_at_period_end = cancel;
    return e;
  }

  ApplyResult apply(const PaymentEvent& e) { return apply_event(store, e, e.created_at + 1s); }
  Subscription sub() { return store.subscription_by_gateway_id("stripe", "sub_1").value(); }
  paywall::Entitlements entitlements(base::TimePoint now) {
    return entitlements_at(store.subscriptions_of(7), store.plans(), now, kGrace);
  }

  MemoryBillingStore store;
};

TEST_F(ApplyEventTest, CheckoutRenewalFailureRecoveryCancellationAndEnd) {
  PaymentEvent checkout = event("evt_1", PaymentEventType::kCheckoutCompleted, kT0);
  checkout.offer_code = "winter";
  EXPECT_EQ(apply(checkout).result.outcome, EventOutcome::kApplied);
  EXPECT_EQ(sub().state, State::kActive);
  EXPECT_EQ(sub().offer_code, "winter");
  EXPECT_EQ(sub().intro_end, at("2027-02-18T07:30:00Z"));
  EXPECT_EQ(sub().current_period_end, kFirst.end);
  EXPECT_TRUE(entitlements(kT0 + 1h).active);

  PaymentEvent renewal = event("evt_2", PaymentEventType::kInvoicePaid, kFirst.end + 1h);
  renewal.period = kSecond;
  apply(renewal);
  EXPECT_EQ(sub().current_period_end, kSecond.end);

  const base::TimePoint failed_at = kSecond.end + 1h;
  apply(event("evt_3", PaymentEventType::kInvoicePaymentFailed, failed_at));
  EXPECT_EQ(sub().state, State::kPastDue);
  EXPECT_TRUE(entitlements(failed_at + kGrace - 1s).active);

  PaymentEvent recovered = event("evt_4", PaymentEventType::kInvoicePaid, failed_at + 24h);
  recovered.period = {kSecond.end, at("2027-02-18T07:30:00Z")};
  apply(recovered);
  EXPECT_EQ(sub().state, State::kActive);
  EXPECT_FALSE(sub().past_due_since);
  EXPECT_TRUE(entitlements(failed_at + kGrace + 1h).active);

  PaymentEvent cancel = updated("evt_5", failed_at + 48h, State::kActive, true);
  cancel.period = recovered.period;
  apply(cancel);
  EXPECT_TRUE(sub().cancel_at_period_end);
  const base::TimePoint end = recovered.period->end;
  EXPECT_TRUE(entitlements(end - 1s).active);
  EXPECT_FALSE(entitlements(end).active);
  EXPECT_EQ(entitlements(end).subscription_expired_at, end);

  apply(event("evt_6", PaymentEventType::kSubscriptionDeleted, end));
  EXPECT_EQ(sub().state, State::kExpired);
  EXPECT_EQ(sub().ended_at, end);
  EXPECT_EQ(sub().updated_by_event_at, end);
}

TEST_F(ApplyEventTest, TheTrialJourneyEndsInTrialExpired) {
  PaymentEvent trial = event("evt_1", PaymentEventType::kTrialStarted, kT0);
  trial.trial_end = kT0 + 14 * 24h;
  apply(trial);
  EXPECT_EQ(sub().state, State::kTrialing);
  EXPECT_TRUE(entitlements(kT0 + 14 * 24h - 1s).active);
  const paywall::Entitlements after = entitlements(kT0 + 14 * 24h);
  EXPECT_FALSE(after.active);
  EXPECT_EQ(after.trial_expired_at, kT0 + 14 * 24h);
  EXPECT_FALSE(after.subscription_expired_at);
  // The trial is used up: no second one, not even a local one.
  Subscription local;
  local.account_id = 7;
  local.plan_code = "digital-monthly";
  EXPECT_FALSE(store.start_trial(trial_started(local, kT0, kT0 + 24h)));
}

TEST_F(ApplyEventTest, EveryEventTwiceIsOneChange) {
  PaymentEvent renewal = event("evt_2", PaymentEventType::kInvoicePaid, kFirst.end + 1h);
  renewal.period = kSecond;
  const PaymentEvent events[] = {
      event("evt_1", PaymentEventType::kCheckoutCompleted, kT0),
      renewal,
      event("evt_3", PaymentEventType::kInvoicePaymentFailed, kSecond.end + 1h),
      updated("evt_4", kSecond.end + 2h, State::kActive, true),
      event("evt_5", PaymentEventType::kSubscriptionDeleted, kSecond.end + 3h),
  };
  for (const PaymentEvent& e : events) {
    const ApplyResult first = apply(e);
    EXPECT_FALSE(first.duplicate) << e.id;
    const Subscription after_first = sub();
    const ApplyResult again = apply_event(store, e, e.created_at + 1h);
    EXPECT_TRUE(again.duplicate) << e.id;
    EXPECT_EQ(again.result.outcome, first.result.outcome) << e.id;
    EXPECT_EQ(sub(), after_first) << e.id;
  }
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
}

TEST_F(ApplyEventTest, OlderEventsNeverOverwriteNewerState) {
  struct Row {
    const char* what;
    PaymentEvent newer;
    PaymentEvent older;
    State state;
    bool cancelling;
  };
  PaymentEvent paid = event("evt_new", PaymentEventType::kInvoicePaid, kT0 + 2h);
  paid.period = kFirst;
  const Row rows[] = {
      {"cancel flag", updated("evt_new", kT0 + 2h, State::kActive, true),
       updated("evt_old", kT0 + 1h, State::kActive, false), State::kActive, true},
      {"deleted, then the creation",
       event("evt_new", PaymentEventType::kSubscriptionDeleted, kT0 + 2h),
       updated("evt_old", kT0 + 1h, State::kActive), State::kExpired, false},
      {"paid, then an older failure", paid,
       event("evt_old", PaymentEventType::kInvoicePaymentFailed, kT0 + 1h), State::kActive, false},
      {"past due, then an older active",
       event("evt_new", PaymentEventType::kInvoicePaymentFailed, kT0 + 2h),
       updated("evt_old", kT0 + 1h, State::kActive), State::kPastDue, false},
  };
  for (const Row& row : rows) {
    MemoryBillingStore fresh;
    for (const Plan& p : store.plans()) fresh.put_plan(p);
    for (const Offer& o : store.offers()) ASSERT_TRUE(fresh.put_offer(o));
    apply_event(fresh, updated("evt_created", kT0, State::kActive), kT0);
    apply_event(fresh, row.newer, row.newer.created_at);
    const Subscription before = *fresh.subscription_by_gateway_id("stripe", "sub_1");
    const ApplyResult r = apply_event(fresh, row.older, row.newer.created_at + 1h);
    EXPECT_EQ(r.result.outcome, EventOutcome::kStale) << row.what;
    EXPECT_NE(r.result.detail.find("older than"), std::string::npos) << row.what;
    const Subscription after = *fresh.subscription_by_gateway_id("stripe", "sub_1");
    EXPECT_EQ(after, before) << row.what;
    EXPECT_EQ(after.state, row.state) << row.what;
    EXPECT_EQ(after.cancel_at_period_end, row.cancelling) << row.what;
    ASSERT_TRUE(fresh.processed_event("stripe", "evt_old")) << row.what;  // recorded anyway
  }
}

TEST_F(ApplyEventTest, EventsOfTheSameSecondApplyInArrivalOrder) {
  apply(updated("evt_1", kT0, State::kActive, false));
  apply(updated("evt_2", kT0, State::kActive, true));
  EXPECT_TRUE(sub().cancel_at_period_end);
  EXPECT_EQ(store.processed_event("stripe", "evt_2")->result.outcome, EventOutcome::kApplied);
}

TEST_F(ApplyEventTest, TheSubscriptionEventMayArriveBeforeTheCheckout) {
  PaymentEvent created = updated("evt_1", kT0, State::kActive);
  created.period = {kT0 - 5s, kFirst.end};
  apply(created);
  PaymentEvent checkout = event("evt_2", PaymentEventType::kCheckoutCompleted, kT0);
  checkout.offer_code = "winter";
  apply(checkout);
  EXPECT_EQ(sub().current_period_start, kT0 - 5s);  // kept, not recomputed
  EXPECT_EQ(sub().offer_code, "winter");
  EXPECT_EQ(sub().state, State::kActive);
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
}

TEST_F(ApplyEventTest, EventsThatMatchNothingAreRecordedAndChangeNothing) {
  PaymentEvent no_account = event("evt_1", PaymentEventType::kInvoicePaid, kT0);
  no_account.account_id.reset();
  no_account.customer_id = "cus_unknown";
  PaymentEvent unknown_plan = event("evt_2", PaymentEventType::kCheckoutCompleted, kT0);
  unknown_plan.plan_code = "gold";
  PaymentEvent no_plan = event("evt_3", PaymentEventType::kCheckoutCompleted, kT0);
  no_plan.plan_code = "";
  PaymentEvent no_subscription = event("evt_4", PaymentEventType::kInvoicePaid, kT0);
  no_subscription.subscription_id = "";
  PaymentEvent no_status = updated("evt_5", kT0, State::kActive);
  no_status.status.reset();
  struct Row {
    PaymentEvent e;
    const char* detail;
  };
  const Row rows[] = {{no_account, "no account"},
                      {unknown_plan, "does not know"},
                      {no_plan, "names no plan"},
                      {no_subscription, "no gateway subscription"},
                      {no_status, "without a status"}};
  for (const Row& row : rows) {
    const ApplyResult r = apply(row.e);
    EXPECT_EQ(r.result.outcome, EventOutcome::kUnmatched) << row.e.id;
    EXPECT_NE(r.result.detail.find(row.detail), std::string::npos) << r.result.detail;
    EXPECT_TRUE(store.processed_event("stripe", row.e.id)) << row.e.id;
  }
  EXPECT_TRUE(store.subscriptions_of(7).empty());
}

TEST_F(ApplyEventTest, AKnownCustomerNamesTheAccount) {
  apply(event("evt_1", PaymentEventType::kCheckoutCompleted, kT0));
  PaymentEvent second = event("evt_2", PaymentEventType::kCheckoutCompleted, kT0 + 1h);
  second.account_id.reset();
  second.subscription_id = "sub_2";
  EXPECT_EQ(apply(second).result.outcome, EventOutcome::kApplied);
  EXPECT_EQ(store.subscriptions_of(7).size(), 2u);
}

TEST_F(ApplyEventTest, APlanChangeNeedsAKnownPlan) {
  apply(updated("evt_1", kT0, State::kActive));
  PaymentEvent moved = updated("evt_2", kT0 + 1h, State::kActive);
  moved.plan_code = "digital-yearly";
  apply(moved);
  EXPECT_EQ(sub().plan_code, "digital-yearly");
  PaymentEvent unknown = updated("evt_3", kT0 + 2h, State::kActive);
  unknown.plan_code = "gold";
  EXPECT_EQ(apply(unknown).result.outcome, EventOutcome::kUnmatched);
  EXPECT_EQ(sub().plan_code, "digital-yearly");
}

TEST_F(ApplyEventTest, AFailureMidwayLeavesNothingAndTheRetryAppliesOnce) {
  FaultyBillingStore faulty(store, 1);
  const PaymentEvent checkout = event("evt_1", PaymentEventType::kCheckoutCompleted, kT0);
  EXPECT_THROW(apply_event(faulty, checkout, kT0), std::runtime_error);
  EXPECT_THROW(apply_event(faulty, checkout, kT0 + 1s), std::runtime_error);  // still failing
  EXPECT_TRUE(store.subscriptions_of(7).empty());
  EXPECT_FALSE(store.processed_event("stripe", "evt_1"));
  faulty.armed = false;
  EXPECT_FALSE(apply_event(faulty, checkout, kT0 + 2s).duplicate);
  EXPECT_TRUE(apply_event(faulty, checkout, kT0 + 3s).duplicate);
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
  EXPECT_EQ(store.processed_event("stripe", "evt_1")->event.received_at, kT0 + 2s);
}

TEST(PaymentEventType, NamesRoundTrip) {
  for (PaymentEventType t :
       {PaymentEventType::kCheckoutCompleted, PaymentEventType::kTrialStarted,
        PaymentEventType::kSubscriptionUpdated, PaymentEventType::kSubscriptionDeleted,
        PaymentEventType::kInvoicePaid, PaymentEventType::kInvoicePaymentFailed})
    EXPECT_EQ(parse_event_type(event_type_name(t)), t);
  EXPECT_EQ(parse_event_type("invoice.paid"), std::nullopt);
  EXPECT_EQ(parse_outcome(outcome_name(EventOutcome::kStale)), EventOutcome::kStale);
}

}  // namespace
}  // namespace masthead::billing
