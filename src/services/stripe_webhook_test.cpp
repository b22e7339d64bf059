// handle_stripe_webhook(): every answer of the webhook flow, against the
// in-memory billing store — valid events apply, bad signatures and bodies are
// 400 with nothing changed, replays and older events change nothing, and a
// delivery that fails midway is a 500 that leaves nothing, so the retry
// applies the event exactly once.
#include "services/stripe_webhook.h"

#include <gtest/gtest.h>

#include <string>

#include "base/iso_time.h"
#include "billing/stripe_events.h"
#include "billing/testing/memory_billing_store.h"

namespace masthead::services {
namespace {

using namespace std::chrono_literals;
using billing::SubscriptionState;
using billing::testing::FaultyBillingStore;
using billing::testing::MemoryBillingStore;

constexpr std::string_view kSecret = "whsec_test_secret";

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

std::string subscription_event(const std::string& id, std::int64_t created, const char* status,
                               bool cancel) {
  return R"({"id":")" + id + R"(","object":"event","type":"customer.subscription.updated",)" +
         R"("created":)" + std::to_string(created) +
         R"(,"data":{"object":{"id":"sub_1","object":"subscription","customer":"cus_7",)" +
         R"("status":")" + status + R"(","cancel_at_period_end":)" + (cancel ? "true" : "false") +
         R"(,"current_period_start":1795000000,"current_period_end":1797592000,)" +
         R"("metadata":{"account_id":"7","plan":"digital-monthly"}}}})";
}

class StripeWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store.put_plan({"digital-monthly",
                    "Digital",
                    900,
                    "GBP",
                    billing::Interval::kMonth,
                    {true, true, false},
                    true});
  }
  WebhookAnswer deliver(billing::BillingStore& to, const std::string& body,
                        base::TimePoint signed_at) {
    return handle_stripe_webhook(to, kSecret,
                                 billing::sign_stripe_payload(body, kSecret, signed_at), body, now);
  }
  WebhookAnswer deliver(const std::string& body) { return deliver(store, body, now); }
  std::optional<billing::Subscription> sub() {
    return store.subscription_by_gateway_id("stripe", "sub_1");
  }

  MemoryBillingStore store;
  base::TimePoint now = at("2026-11-18T07:30:00Z");
  std::int64_t created = base::to_unix_seconds(at("2026-11-18T07:29:00Z"));
};

TEST_F(StripeWebhookTest, AValidEventApplies) {
  const WebhookAnswer answer = deliver(subscription_event("evt_1", created, "active", false));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.text, "applied");
  ASSERT_TRUE(sub());
  EXPECT_EQ(sub()->account_id, 7);
  EXPECT_EQ(sub()->state, SubscriptionState::kActive);
}

TEST_F(StripeWebhookTest, BadSignaturesAre400AndChangeNothing) {
  const std::string body = subscription_event("evt_1", created, "active", false);
  const std::string other_secret = billing::sign_stripe_payload(body, "whsec_other", now);
  WebhookAnswer answer = handle_stripe_webhook(store, kSecret, other_secret, body, now);
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.text, "signature: mismatch");
  answer = handle_stripe_webhook(store, kSecret, "", body, now);
  EXPECT_EQ(answer.status, 400);
  // Signed, then tampered with.
  std::string tampered = body;
  tampered.replace(tampered.find("active"), 6, "past_d");
  answer = handle_stripe_webhook(store, kSecret, billing::sign_stripe_payload(body, kSecret, now),
                                 tampered, now);
  EXPECT_EQ(answer.status, 400);
  // Authentic but too old (a captured delivery replayed later), or from the future.
  EXPECT_EQ(deliver(store, body, now - 301s).text, "signature: too_old");
  EXPECT_EQ(deliver(store, body, now + 60s).text, "signature: from_the_future");
  EXPECT_FALSE(sub());
  EXPECT_FALSE(store.processed_event("stripe", "evt_1"));
}

TEST_F(StripeWebhookTest, UnreadableBodiesAre400AndIgnoredTypesAre200) {
  EXPECT_EQ(deliver("{not json").status, 400);
  const WebhookAnswer ignored =
      deliver(R"({"id":"evt_x","object":"event","type":"customer.created","created":1794987000,)"
              R"("data":{"object":{"id":"cus_1"}}})");
  EXPECT_EQ(ignored.status, 200);
  EXPECT_EQ(ignored.text.rfind("ignored: ", 0), 0u) << ignored.text;
}

TEST_F(StripeWebhookTest, AReplayChangesNothing) {
  const std::string body = subscription_event("evt_1", created, "active", false);
  ASSERT_EQ(deliver(body).text, "applied");
  const auto before = sub();
  // The same event again (Stripe redelivers), freshly signed.
  now += 10s;
  const WebhookAnswer again = deliver(body);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.text, "duplicate");
  EXPECT_EQ(sub(), before);
}

TEST_F(StripeWebhookTest, AnOlderEventAfterANewerOneDoesNotRegress) {
  ASSERT_EQ(deliver(subscription_event("evt_new", created, "active", true)).text, "applied");
  const WebhookAnswer older =
      deliver(subscription_event("evt_old", created - 60, "past_due", false));
  EXPECT_EQ(older.status, 200);
  EXPECT_EQ(older.text.rfind("stale", 0), 0u) << older.text;
  EXPECT_EQ(sub()->state, SubscriptionState::kActive);
  EXPECT_TRUE(sub()->cancel_at_period_end);
  ASSERT_TRUE(store.processed_event("stripe", "evt_old"));
}

TEST_F(StripeWebhookTest, AFailureMidwayIs500AndTheRetryAppliesOnce) {
  FaultyBillingStore faulty(store, 1);
  const std::string body = subscription_event("evt_1", created, "active", false);
  const WebhookAnswer failed = deliver(faulty, body, now);
  EXPECT_EQ(failed.status, 500);
  EXPECT_FALSE(sub());
  EXPECT_FALSE(store.processed_event("stripe", "evt_1"));
  // Stripe retries; this time the store holds.
  faulty.armed = false;
  now += 60s;
  const WebhookAnswer retried = deliver(faulty, body, now);
  EXPECT_EQ(retried.status, 200);
  EXPECT_EQ(retried.text, "applied");
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
  EXPECT_EQ(deliver(faulty, body, now).text, "duplicate");
  EXPECT_EQ(store.subscriptions_of(7).size(), 1u);
}

}  // namespace
}  // namespace masthead::services

// The conformance suite comes with the in-memory store; this binary does not run it.
namespace masthead::billing::testing {
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BillingStoreConformance);
}  // namespace masthead::billing::testing
