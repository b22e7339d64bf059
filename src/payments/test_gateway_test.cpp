// TestGateway: pending checkouts (random ids, per account, once, expiring),
// the test cards, and the events it synthesizes going through apply_event()
// into the same subscription states a Stripe webhook would produce.
#include "payments/test_gateway.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "base/iso_time.h"
#include "billing/entitlements.h"
#include "billing/testing/billing_store_conformance.h"
#include "billing/testing/memory_billing_store.h"

namespace masthead::payments {
namespace {

using namespace std::chrono_literals;
using billing::SubscriptionState;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

class TestGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store.put_plan(monthly);
    store.put_plan(annual);
    ASSERT_TRUE(store.put_offer(intro));
    ASSERT_TRUE(store.put_offer(trial));
  }
  billing::CheckoutRequest request(std::int64_t account,
                                   std::optional<billing::Offer> offer = std::nullopt) {
    billing::CheckoutRequest r;
    r.account_id = account;
    r.email = "reader@example.org";
    r.plan = offer && offer->plan_code == annual.code ? annual : monthly;
    r.offer = std::move(offer);
    r.success_url = "http://localhost/account?subscribed=1";
    r.cancel_url = "http://localhost/offers";
    return r;
  }
  std::string start(std::int64_t account, std::optional<billing::Offer> offer = std::nullopt) {
    auto checkout = gateway.create_checkout(request(account, std::move(offer)));
    EXPECT_TRUE(checkout);
    return checkout->session_id;
  }

  billing::testing::MemoryBillingStore store;
  base::FakeClock clock{at("2026-11-18T07:30:00Z")};
  TestGateway gateway{store, clock};
  const billing::Plan monthly{"digital-monthly",         "Digital monthly",   900, "GBP",
                              billing::Interval::kMonth, {true, true, false}, true};
  const billing::Plan annual{"digital-annual",         "Digital annual",   9000, "GBP",
                             billing::Interval::kYear, {true, true, true}, true};
  const billing::Offer intro{"first-month",
                             "digital-monthly",
                             billing::OfferKind::kIntroPrice,
                             100,
                             1,
                             0,
                             at("2026-01-01T00:00:00Z"),
                             at("2027-02-01T00:00:00Z"),
                             true,
                             true};
  const billing::Offer trial{
      "paid-trial", "digital-annual",           billing::OfferKind::kTrial, 100,  0,
      14,           at("2026-01-01T00:00:00Z"), at("2030-01-01T00:00:00Z"), true, false};
};

TEST_F(TestGatewayTest, ACheckoutIsAPageOnTheSiteWithARandomId) {
  auto first = gateway.create_checkout(request(7));
  auto second = gateway.create_checkout(request(7));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->redirect_url, "/checkout/test/" + first->session_id);
  EXPECT_EQ(first->session_id.rfind("test_cs_", 0), 0u);
  EXPECT_EQ(first->session_id.size(), 8u + 32u);
  EXPECT_NE(first->session_id, second->session_id);
  ASSERT_TRUE(gateway.pending(first->session_id, 7));
  EXPECT_EQ(gateway.pending(first->session_id, 7)->request.plan, monthly);
  EXPECT_FALSE(gateway.create_checkout(request(0)));
}

TEST_F(TestGatewayTest, ACheckoutBelongsToItsAccount) {
  const std::string id = start(7);
  EXPECT_FALSE(gateway.pending(id, 8));
  EXPECT_EQ(gateway.pay(id, 8, "4242 4242 4242 4242").outcome,
            TestGateway::PayOutcome::kUnknownCheckout);
  EXPECT_TRUE(store.subscriptions_of(8).empty());
  EXPECT_TRUE(gateway.pending(id, 7));
}

TEST_F(TestGatewayTest, TheDecliningCardRecordsNothingAndKeepsTheCheckout) {
  const std::string id = start(7);
  EXPECT_EQ(gateway.pay(id, 7, "4000 0000 0000 0002").outcome, TestGateway::PayOutcome::kDeclined);
  EXPECT_EQ(gateway.pay(id, 7, "4000-0000-0000-0002").outcome, TestGateway::PayOutcome::kDeclined);
  EXPECT_EQ(gateway.pay(id, 7, "5555 5555 5555 4444").outcome,
            TestGateway::PayOutcome::kNotATestCard);
  EXPECT_EQ(gateway.pay(id, 7, "4242x4242").outcome, TestGateway::PayOutcome::kNotATestCard);
  EXPECT_EQ(gateway.pay(id, 7, "").outcome, TestGateway::PayOutcome::kNotATestCard);
  EXPECT_TRUE(store.subscriptions_of(7).empty());
  EXPECT_TRUE(gateway.pending(id, 7));
}

TEST_F(TestGatewayTest, TheSucceedingCardAppliesACheckoutEventOnce) {
  const std::string id = start(7, intro);
  const TestGateway::Payment paid = gateway.pay(id, 7, "4242424242424242");
  ASSERT_EQ(paid.outcome, TestGateway::PayOutcome::kPaid);
  const auto subs = store.subscriptions_of(7);
  ASSERT_EQ(subs.size(), 1u);
  const billing::Subscription& s = subs.front();
  EXPECT_EQ(s.gateway, "test");
  EXPECT_EQ(s.gateway_subscription_id, paid.subscription_id);
  EXPECT_EQ(s.gateway_customer_id, "test_cus_7");
  EXPECT_EQ(s.plan_code, "digital-monthly");
  EXPECT_EQ(s.offer_code, "first-month");
  EXPECT_EQ(s.state, SubscriptionState::kActive);
  EXPECT_EQ(s.current_period_end, at("2026-12-18T07:30:00Z"));
  EXPECT_EQ(s.intro_end, at("2026-12-18T07:30:00Z"));
  EXPECT_TRUE(s.activated_at);
  EXPECT_TRUE(billing::entitlements_at(subs, store.plans(), clock.now(), 0s).active);
  // The checkout is gone: paying again does nothing.
  EXPECT_EQ(gateway.pay(id, 7, "4242424242424242").outcome,
            TestGateway::PayOutcome::kUnknownCheckout);
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
}

TEST_F(TestGatewayTest, ConcurrentPaymentsOfOneCheckoutMakeOneSubscription) {
  const std::string id = start(7);
  std::vector<std::thread> threads;
  std::atomic<int> paid{0};
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&] {
      if (gateway.pay(id, 7, "4242424242424242").outcome == TestGateway::PayOutcome::kPaid) ++paid;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(paid.load(), 1);
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
}

TEST_F(TestGatewayTest, ATrialOfferStartsTheGatewaysTrial) {
  const std::string id = start(7, trial);
  ASSERT_EQ(gateway.pay(id, 7, "4242424242424242").outcome, TestGateway::PayOutcome::kPaid);
  const auto subs = store.subscriptions_of(7);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs.front().state, SubscriptionState::kTrialing);
  EXPECT_EQ(subs.front().trial_end, clock.now() + 14 * 24h);
  EXPECT_FALSE(subs.front().activated_at);
}

TEST_F(TestGatewayTest, CheckoutsExpire) {
  const std::string id = start(7);
  clock.advance(1h);
  EXPECT_FALSE(gateway.pending(id, 7));
  EXPECT_EQ(gateway.pay(id, 7, "4242424242424242").outcome,
            TestGateway::PayOutcome::kUnknownCheckout);
  EXPECT_TRUE(store.subscriptions_of(7).empty());
}

TEST_F(TestGatewayTest, CancelResumeAndChangePlanGoThroughEvents) {
  ASSERT_EQ(gateway.pay(start(7), 7, "4242424242424242").outcome, TestGateway::PayOutcome::kPaid);
  auto current = [&] { return store.subscriptions_of(7).front(); };
  const base::TimePoint period_end = current().current_period_end;

  clock.advance(1h);
  ASSERT_TRUE(gateway.cancel_at_period_end(current()));
  EXPECT_TRUE(current().cancel_at_period_end);
  EXPECT_EQ(current().state, SubscriptionState::kActive);
  EXPECT_EQ(current().updated_by_event_at, clock.now());
  const auto cancelled = billing::effective_state(current(), clock.now(), 0s);
  EXPECT_TRUE(cancelled.cancelling);

  clock.advance(1h);
  ASSERT_TRUE(gateway.resume(current()));
  EXPECT_FALSE(current().cancel_at_period_end);

  clock.advance(1h);
  ASSERT_TRUE(gateway.change_plan(current(), annual));
  EXPECT_EQ(current().plan_code, "digital-annual");
  EXPECT_EQ(current().current_period_end, period_end);

  // Cancelled, then past the period end: expired, and the paywall says so.
  ASSERT_TRUE(gateway.cancel_at_period_end(current()));
  clock.set(period_end);
  const auto ent =
      billing::entitlements_at(store.subscriptions_of(7), store.plans(), clock.now(), 7 * 24h);
  EXPECT_FALSE(ent.active);
  EXPECT_EQ(ent.subscription_expired_at, period_end);
}

TEST_F(TestGatewayTest, ItManagesOnlyItsOwnSubscriptions) {
  billing::Subscription stripe;
  stripe.gateway = "stripe";
  stripe.gateway_subscription_id = "sub_1";
  EXPECT_FALSE(gateway.cancel_at_period_end(stripe));
  billing::Subscription trial_here;  // a Masthead trial: gateway ""
  EXPECT_FALSE(gateway.resume(trial_here));
}

TEST(TestGatewayIds, RandomIdsAreDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(random_id("test_evt_"));
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_EQ(TestGateway::card_digits(" 4242-4242 4242 4242 "), "4242424242424242");
  EXPECT_EQ(TestGateway::card_digits("4242a"), "");
}

}  // namespace
}  // namespace masthead::payments

// The in-memory store comes with the billing conformance suite, which this
// binary does not instantiate (billing_test does).
namespace masthead::billing::testing {
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BillingStoreConformance);
}  // namespace masthead::billing::testing
