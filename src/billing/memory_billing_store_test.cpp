// Runs the BillingStore conformance suite against MemoryBillingStore, so that
// the suite itself is checked on every build and the store other modules'
// tests use behaves like the real ones; and checks FakePaymentGateway.
#include <gtest/gtest.h>

#include "billing/testing/billing_store_conformance.h"
#include "billing/testing/fake_payment_gateway.h"
#include "billing/testing/memory_billing_store.h"

namespace masthead::billing::testing {
namespace {

std::unique_ptr<BillingStore> make_memory_billing_store() {
  return std::make_unique<MemoryBillingStore>();
}

INSTANTIATE_TEST_SUITE_P(Memory, BillingStoreConformance,
                         ::testing::Values(&make_memory_billing_store),
                         [](const auto&) { return std::string("Store"); });

// The fake other modules' tests use: records calls, fails on demand.
TEST(FakePaymentGateway, RecordsCallsAndFailsOnDemand) {
  FakePaymentGateway gateway;
  CheckoutRequest request;
  request.account_id = 7;
  request.plan.code = "digital-monthly";
  const base::Result<Checkout> checkout = gateway.create_checkout(request);
  ASSERT_TRUE(checkout);
  EXPECT_EQ(checkout->session_id, "cs_fake_1");
  Subscription s;
  s.gateway_subscription_id = "sub_1";
  EXPECT_TRUE(gateway.cancel_at_period_end(s));
  gateway.fail_with = "The payment provider is unavailable";
  const Status failed = gateway.resume(s);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "The payment provider is unavailable");
  ASSERT_EQ(gateway.calls.size(), 3u);
  EXPECT_EQ(gateway.calls[1].what, "cancel");
  EXPECT_EQ(gateway.calls[2].subscription_id, "sub_1");
}

}  // namespace
}  // namespace masthead::billing::testing
