// See billing_store_conformance.h. Each TEST_P states one promise of the
// BillingStore contract. Times are whole seconds (stores keep Unix seconds).
#include "billing/testing/billing_store_conformance.h"
#include "base/testing/in_parallel.h"

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "base/iso_time.h"
#include "billing/payment_event.h"
#include "billing/testing/memory_billing_store.h"

namespace masthead::billing::testing {
namespace {

using namespace std::chrono_literals;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const base::TimePoint kNow = at("2026-11-18T07:30:00Z");

Plan monthly() {
  return Plan{"digital-monthly",
              "Digital, monthly",
              2900,
              "USD",
              Interval::kMonth,
              EntitlementSet{true, true, false},
              true};
}
Plan yearly() {
  return Plan{"digital-yearly",
              "Digital, yearly",
              29000,
              "USD",
              Interval::kYear,
              EntitlementSet{true, false, true},
              false};
}
Offer intro(std::string code = "winter", bool paywall = false) {
  Offer o;
  o.code = std::move(code);
  o.plan_code = "digital-monthly";
  o.kind = OfferKind::kIntroPrice;
  o.intro_price_minor = 900;
  o.intro_intervals = 3;
  o.starts_at = at("2026-11-01T00:00:00Z");
  o.ends_at = at("2027-02-01T00:00:00Z");
  o.paywall = paywall;
  return o;
}
Offer trial_offer() {
  Offer o;
  o.code = "two-weeks";
  o.plan_code = "digital-monthly";
  o.kind = OfferKind::kTrial;
  o.trial_days = 14;
  o.starts_at = at("2026-01-01T00:00:00Z");
  o.ends_at = at("2027-01-01T00:00:00Z");
  o.new_subscribers_only = false;
  return o;
}

Subscription local_trial(std::int64_t account) {
  Subscription s;
  s.account_id = account;
  s.plan_code = "digital-monthly";
  s.offer_code = "two-weeks";
  return trial_started(s, kNow, kNow + 14 * 24h);
}

using base::testing::in_parallel;

EventRecord record(std::string id, base::TimePoint created = kNow) {
  return EventRecord{"stripe", std::move(id), "invoice.paid", created, created + 2s};
}

// A mutation that writes one subscription for `account`, gateway id `gid`.
BillingStore::Mutation write_subscription(std::int64_t account, std::string gid) {
  return [account, gid](BillingTransaction& tx) {
    Subscription s;
    s.account_id = account;
    s.plan_code = "digital-monthly";
    s.gateway = "stripe";
    s.gateway_subscription_id = gid;
    s.started_at = s.current_period_start = kNow;
    s.current_period_end = at("2026-12-18T07:30:00Z");
    s.activated_at = kNow;
    tx.put_subscription(s);
    return EventResult{};
  };
}

// Two plans and two offers, which most tests start from.
void add_catalogue(BillingStore& store) {
  store.put_plan(monthly());
  store.put_plan(yearly());
  ASSERT_TRUE(store.put_offer(intro()));
  ASSERT_TRUE(store.put_offer(trial_offer()));
}

TEST_P(BillingStoreConformance, AnEmptyStoreHoldsNothing) {
  EXPECT_TRUE(store_->plans().empty());
  EXPECT_TRUE(store_->offers().empty());
  EXPECT_FALSE(store_->plan("digital-monthly"));
  EXPECT_FALSE(store_->offer("winter"));
  EXPECT_TRUE(store_->subscriptions_of(1).empty());
  EXPECT_FALSE(store_->subscription(1));
  EXPECT_FALSE(store_->subscription_by_gateway_id("stripe", "sub_1"));
  EXPECT_FALSE(store_->processed_event("stripe", "evt_1"));
}

TEST_P(BillingStoreConformance, PlansRoundTripAndAreReplacedByCode) {
  store_->put_plan(yearly());
  store_->put_plan(monthly());
  EXPECT_EQ(store_->plans(), (std::vector<Plan>{monthly(), yearly()}));  // by code
  Plan changed = monthly();
  changed.name = "Digital";
  changed.price_minor = 3100;
  changed.currency = "EUR";
  changed.entitlements = {true, true, true};
  changed.active = false;
  store_->put_plan(changed);
  EXPECT_EQ(store_->plan("digital-monthly"), changed);
  EXPECT_EQ(store_->plans().size(), 2u);
}

TEST_P(BillingStoreConformance, AnOfferNeedsItsPlan) {
  const Status refused = store_->put_offer(intro());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("digital-monthly"), std::string::npos);
  EXPECT_TRUE(store_->offers().empty());
}

TEST_P(BillingStoreConformance, OffersRoundTripAndAreReplacedByCode) {
  add_catalogue(*store_);
  EXPECT_EQ(store_->offers(), (std::vector<Offer>{trial_offer(), intro()}));  // by code
  Offer changed = intro();
  changed.plan_code = "digital-yearly";
  changed.intro_price_minor = 100;
  changed.intro_intervals = 1;
  changed.ends_at = at("2027-03-01T12:00:00Z");
  changed.new_subscribers_only = false;
  ASSERT_TRUE(store_->put_offer(changed));
  EXPECT_EQ(store_->offer("winter"), changed);
  EXPECT_EQ(store_->offer("two-weeks"), trial_offer());
}

TEST_P(BillingStoreConformance, AtMostOneOfferIsThePaywalls) {
  add_catalogue(*store_);
  auto marked = [&] {
    std::vector<std::string> codes;
    for (const Offer& o : store_->offers())
      if (o.paywall) codes.push_back(o.code);
    return codes;
  };
  EXPECT_TRUE(marked().empty());
  ASSERT_TRUE(store_->set_paywall_offer("winter"));
  EXPECT_EQ(marked(), std::vector<std::string>{"winter"});
  ASSERT_TRUE(store_->set_paywall_offer("two-weeks"));
  EXPECT_EQ(marked(), std::vector<std::string>{"two-weeks"});
  // Storing a marked offer unmarks the others.
  ASSERT_TRUE(store_->put_offer(intro("spring", true)));
  EXPECT_EQ(marked(), std::vector<std::string>{"spring"});
  // An unknown code changes nothing.
  EXPECT_FALSE(store_->set_paywall_offer("nope"));
  EXPECT_EQ(marked(), std::vector<std::string>{"spring"});
  ASSERT_TRUE(store_->set_paywall_offer(std::nullopt));
  EXPECT_TRUE(marked().empty());
}

TEST_P(BillingStoreConformance, ATrialIsOncePerAccount) {
  add_catalogue(*store_);
  const base::Result<Subscription> first = store_->start_trial(local_trial(7));
  ASSERT_TRUE(first);
  EXPECT_NE(first->id, 0);
  Subscription expected = local_trial(7);
  expected.id = first->id;
  EXPECT_EQ(first.value(), expected);
  EXPECT_EQ(store_->subscription(first->id), expected);
  EXPECT_FALSE(store_->start_trial(local_trial(7)));
  EXPECT_EQ(store_->subscriptions_of(7).size(), 1u);
  EXPECT_TRUE(store_->start_trial(local_trial(8)));  // another account
}

TEST_P(BillingStoreConformance, TwentyParallelTrialStartsCreateOne) {
  add_catalogue(*store_);
  std::atomic<int> started{0};
  in_parallel(20, [&](int) {
    if (store_->start_trial(local_trial(42))) ++started;
  });
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(store_->subscriptions_of(42).size(), 1u);
}

TEST_P(BillingStoreConformance, ApplyRecordsTheEventWithItsWrites) {
  add_catalogue(*store_);
  const ApplyResult r = store_->apply(record("evt_1"), write_subscription(5, "sub_1"));
  EXPECT_FALSE(r.duplicate);
  EXPECT_EQ(r.result.outcome, EventOutcome::kApplied);
  const std::optional<ProcessedEvent> seen = store_->processed_event("stripe", "evt_1");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->event, record("evt_1"));
  EXPECT_EQ(seen->result.outcome, EventOutcome::kApplied);
  EXPECT_EQ(store_->subscriptions_of(5).size(), 1u);
  EXPECT_TRUE(store_->subscription_by_gateway_id("stripe", "sub_1"));
  EXPECT_FALSE(store_->subscription_by_gateway_id("test", "sub_1"));  // ids are per gateway
  EXPECT_FALSE(store_->processed_event("test", "evt_1"));
}

TEST_P(BillingStoreConformance, EverySubscriptionFieldRoundTrips) {
  add_catalogue(*store_);
  Subscription full;
  full.account_id = 9;
  full.plan_code = "digital-yearly";
  full.offer_code = "winter";
  full.gateway = "stripe";
  full.gateway_customer_id = "cus_9";
  full.gateway_subscription_id = "sub_9";
  full.state = SubscriptionState::kPastDue;
  full.started_at = at("2026-01-02T03:04:05Z");
  full.current_period_start = at("2026-11-02T03:04:05Z");
  full.current_period_end = at("2026-12-02T03:04:05Z");
  full.trial_end = at("2026-01-16T03:04:05Z");
  full.intro_end = at("2026-04-02T03:04:05Z");
  full.cancel_at_period_end = true;
  full.past_due_since = at("2026-11-03T00:00:00Z");
  full.activated_at = at("2026-01-16T03:04:05Z");
  full.ended_at = at("2026-12-24T00:00:00Z");
  full.updated_by_event_at = at("2026-11-03T00:00:01Z");
  Subscription stored;
  store_->apply(record("evt_full"), [&](BillingTransaction& tx) {
    stored = tx.put_subscription(full);
    EXPECT_EQ(tx.subscription_by_gateway_id("stripe", "sub_9"), stored);  // sees its own write
    EXPECT_EQ(tx.subscriptions_of(9), std::vector<Subscription>{stored});
    EXPECT_EQ(tx.account_of_customer("stripe", "cus_9"), 9);
    EXPECT_FALSE(tx.account_of_customer("stripe", "cus_other"));
    return EventResult{};
  });
  full.id = stored.id;
  EXPECT_EQ(stored, full);
  EXPECT_EQ(store_->subscription(full.id), full);
  // Optional fields absent round-trip as absent; an update replaces by id.
  Subscription bare = full;
  bare.offer_code.reset();
  bare.trial_end.reset();
  bare.intro_end.reset();
  bare.past_due_since.reset();
  bare.activated_at.reset();
  bare.ended_at.reset();
  bare.updated_by_event_at.reset();
  bare.cancel_at_period_end = false;
  bare.state = SubscriptionState::kActive;
  store_->apply(record("evt_bare"), [&](BillingTransaction& tx) {
    tx.put_subscription(bare);
    return EventResult{};
  });
  EXPECT_EQ(store_->subscriptions_of(9), std::vector<Subscription>{bare});
}

TEST_P(BillingStoreConformance, ADuplicateEventRunsNothing) {
  add_catalogue(*store_);
  store_->apply(record("evt_1"), write_subscription(5, "sub_1"));
  bool ran = false;
  const ApplyResult again = store_->apply(record("evt_1"), [&](BillingTransaction&) {
    ran = true;
    return EventResult{EventOutcome::kStale, "x"};
  });
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.result.outcome, EventOutcome::kApplied);  // the recorded one
  EXPECT_FALSE(ran);
  EXPECT_EQ(store_->subscriptions_of(5).size(), 1u);
}

TEST_P(BillingStoreConformance, AMutationThatThrowsMidwayLeavesNothing) {
  add_catalogue(*store_);
  auto failing = [](BillingTransaction& tx) -> EventResult {
    write_subscription(5, "sub_1")(tx);
    throw std::runtime_error("the process died here");
  };
  EXPECT_THROW(store_->apply(record("evt_1"), failing), std::runtime_error);
  EXPECT_TRUE(store_->subscriptions_of(5).empty());
  EXPECT_FALSE(store_->processed_event("stripe", "evt_1"));
  // The gateway retries: applied once.
  EXPECT_FALSE(store_->apply(record("evt_1"), write_subscription(5, "sub_1")).duplicate);
  EXPECT_TRUE(store_->apply(record("evt_1"), write_subscription(5, "sub_1")).duplicate);
  EXPECT_EQ(store_->subscriptions_of(5).size(), 1u);
}

TEST_P(BillingStoreConformance, BrokenConstraintsThrowAndLeaveNothing) {
  add_catalogue(*store_);
  store_->apply(record("evt_1"), write_subscription(5, "sub_1"));
  // The same gateway subscription id twice.
  EXPECT_ANY_THROW(store_->apply(record("evt_2"), write_subscription(6, "sub_1")));
  EXPECT_FALSE(store_->processed_event("stripe", "evt_2"));
  EXPECT_TRUE(store_->subscriptions_of(6).empty());
  // An unknown plan.
  EXPECT_ANY_THROW(store_->apply(record("evt_3"), [](BillingTransaction& tx) {
    Subscription s;
    s.account_id = 6;
    s.plan_code = "nope";
    tx.put_subscription(s);
    return EventResult{};
  }));
  EXPECT_FALSE(store_->processed_event("stripe", "evt_3"));
}

TEST_P(BillingStoreConformance, TenDeliveriesOfOneEventApplyItOnce) {
  add_catalogue(*store_);
  std::atomic<int> ran{0};
  std::atomic<int> duplicates{0};
  in_parallel(10, [&](int i) {
    const ApplyResult r = store_->apply(record("evt_race"), [&](BillingTransaction& tx) {
      ++ran;
      return write_subscription(5, "sub_" + std::to_string(i))(tx);
    });
    if (r.duplicate) ++duplicates;
  });
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(duplicates.load(), 9);
  EXPECT_EQ(store_->subscriptions_of(5).size(), 1u);
}

// apply_event() over the store: the path every gateway's events take.
PaymentEvent event(std::string id, PaymentEventType type, base::TimePoint created) {
  PaymentEvent e;
  e.gateway = "stripe";
  e.id = std::move(id);
  e.type = type;
  e.created_at = created;
  e.account_id = 11;
  e.customer_id = "cus_11";
  e.subscription_id = "sub_11";
  e.plan_code = "digital-monthly";
  return e;
}

TEST_P(BillingStoreConformance, ApplyEventIsIdempotentAndOrderSafe) {
  add_catalogue(*store_);
  const base::TimePoint t0 = at("2026-11-18T07:30:00Z");
  PaymentEvent checkout = event("evt_a", PaymentEventType::kCheckoutCompleted, t0);
  checkout.offer_code = "winter";
  EXPECT_EQ(apply_event(*store_, checkout, t0).result.outcome, EventOutcome::kApplied);
  const Subscription after_checkout = *store_->subscription_by_gateway_id("stripe", "sub_11");
  EXPECT_EQ(after_checkout.state, SubscriptionState::kActive);
  EXPECT_EQ(after_checkout.offer_code, "winter");
  EXPECT_EQ(after_checkout.intro_end, at("2027-02-18T07:30:00Z"));
  // A replay changes nothing.
  EXPECT_TRUE(apply_event(*store_, checkout, t0 + 1h).duplicate);
  EXPECT_EQ(store_->subscription_by_gateway_id("stripe", "sub_11"), after_checkout);
  // A newer failure, then an older update delivered late: stale, recorded, no change.
  PaymentEvent failed = event("evt_c", PaymentEventType::kInvoicePaymentFailed, t0 + 40 * 24h);
  apply_event(*store_, failed, t0 + 40 * 24h);
  PaymentEvent late = event("evt_b", PaymentEventType::kSubscriptionUpdated, t0 + 1h);
  late.status = SubscriptionState::kActive;
  late.cancel_at_period_end = true;
  EXPECT_EQ(apply_event(*store_, late, t0 + 41 * 24h).result.outcome, EventOutcome::kStale);
  const Subscription s = *store_->subscription_by_gateway_id("stripe", "sub_11");
  EXPECT_EQ(s.state, SubscriptionState::kPastDue);
  EXPECT_FALSE(s.cancel_at_period_end);
  EXPECT_EQ(s.updated_by_event_at, t0 + 40 * 24h);
  ASSERT_TRUE(store_->processed_event("stripe", "evt_b"));
  EXPECT_EQ(store_->processed_event("stripe", "evt_b")->result.outcome, EventOutcome::kStale);
}

TEST_P(BillingStoreConformance, AnEventThatFailsMidwayIsAppliedOnceOnRetry) {
  add_catalogue(*store_);
  FaultyBillingStore faulty(*store_, 1);
  const PaymentEvent checkout = event("evt_a", PaymentEventType::kCheckoutCompleted, kNow);
  EXPECT_THROW(apply_event(faulty, checkout, kNow), std::runtime_error);
  EXPECT_TRUE(store_->subscriptions_of(11).empty());
  EXPECT_FALSE(store_->processed_event("stripe", "evt_a"));
  faulty.armed = false;
  EXPECT_EQ(apply_event(faulty, checkout, kNow).result.outcome, EventOutcome::kApplied);
  EXPECT_TRUE(apply_event(faulty, checkout, kNow).duplicate);
  EXPECT_EQ(store_->subscriptions_of(11).size(), 1u);
}

TEST_P(BillingStoreConformance, AGatewayTrialUsesUpTheAccountsTrial) {
  add_catalogue(*store_);
  PaymentEvent trial = event("evt_t", PaymentEventType::kTrialStarted, kNow);
  trial.trial_end = kNow + 14 * 24h;
  EXPECT_EQ(apply_event(*store_, trial, kNow).result.outcome, EventOutcome::kApplied);
  EXPECT_FALSE(store_->start_trial(local_trial(11)));
  EXPECT_EQ(store_->subscriptions_of(11).size(), 1u);
}

}  // namespace
}  // namespace masthead::billing::testing
